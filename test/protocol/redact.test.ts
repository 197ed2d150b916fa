import { describe, expect, it } from 'vitest';
import { redactSecrets, redactToken } from '../../src/protocol/redact.js';
import { findLeaks, headerLeaks } from '../../src/kit/expect.js';
import type { Exchange } from '../../src/kit/check.js';

describe('redactSecrets', () => {
  it('never shows a secret in full, whatever its length', () => {
    for (const s of ['a', 'ab', 'abc', 'op_x', 'op_xy', 'op_abcdefghijklmnopqrstuvwxyz']) {
      expect(redactSecrets(`token=${s} end`, [s]).includes(` ${s} `) || redactSecrets(`Bearer ${s}`, [s]).endsWith(` ${s}`)).toBe(false);
      expect(redactToken(s).endsWith('…')).toBe(true);
      expect(redactToken(s).length).toBeLessThan(s.length + 1);
    }
    expect(redactSecrets('curl -H authorization: Bearer op_x', ['op_x'])).toBe('curl -H authorization: Bearer …');
  });

  it('replaces secrets of 4+ characters everywhere, shorter ones only where they stand alone', () => {
    expect(redactSecrets('xop_xx', ['op_x'])).toBe('x…x');
    expect(redactSecrets('x-ray x', ['x'])).toBe('x-ray …');
  });

  it('redacts credential-named JSON fields it was not told about', () => {
    expect(redactSecrets('{"token":"tk_abcdefgh123","id":"app_1"}', [])).toBe('{"token":"tk_abcde…","id":"app_1"}');
    expect(() => JSON.parse(redactSecrets('{"secret":"a\\"bcdefghij"}', []))).not.toThrow();
  });
});

describe('leak checks', () => {
  const ex = (headers: Record<string, string>, text = ''): Exchange => ({ request: { method: 'GET', path: '/', headers: {} }, response: { status: 400, headers, text, json: undefined }, durationMs: 0 });
  it('find a secret of 4+ characters echoed in a body or a header', () => {
    expect(findLeaks('message: Bearer op_x', ['op_x'])).toEqual(['secret … echoed']);
    expect(headerLeaks(ex({ 'x-echo': 'authorization: Bearer op_x' }), ['op_x'])).toEqual(['header x-echo echoes secret …']);
  });
  it('ignore secrets under 4 characters (they would match ordinary text) and clean responses', () => {
    expect(findLeaks('abc', ['abc'])).toEqual([]);
    expect(headerLeaks(ex({ 'x-echo': 'nothing here' }), ['op_x'])).toEqual([]);
  });
});
