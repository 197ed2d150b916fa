import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { jsonUnescaped, redactSecrets, redactToken, SecretMatcher } from '../../src/protocol/redact.js';
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

describe('a secret the server escaped character by character (JSON \\u escapes)', () => {
  const secret = ['adm', 'b6aT91vyMm4sFCmWV8kE1BMqWkMTezg'].join('_');
  const escaped = [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('');
  const body = `{"ok":false,"code":"common.validation","hint":"escaped ${escaped} and \\/ \\"q\\" \\\\u0061"}`;

  it('reads escapes as a left-to-right reading of escape pairs does, on any text', () => {
    // The reading it must equal, written as the obvious regular expression.
    const reference = (t: string) => t.replace(/\\(?:u([0-9a-fA-F]{4})|\/)|\\[^]/g, (m: string, hex: string | undefined) => {
      if (m === '\\/') return '/';
      if (hex === undefined) return m;
      const c = parseInt(hex, 16);
      if (c >= 0xd800 && c <= 0xdfff) return m;
      // A quote, a backslash, a control character: as JSON.stringify writes it.
      return c < 0x20 || c === 0x22 || c === 0x5c ? JSON.stringify(String.fromCharCode(c)).slice(1, -1) : String.fromCharCode(c);
    });
    const piece = fc.constantFrom('\\', 'u', '0', '0041', '00', 'd83d', '0022', '005c', '001f', 'FFFF', 'g', '/', '"', 'a', 'é');
    fc.assert(fc.property(fc.array(piece, { maxLength: 40 }).map((p) => p.join('')), (t) => jsonUnescaped(t) === reference(t)), { numRuns: 2000, seed: 11 });
  });

  it('reads escapes of ordinary characters as the characters, and writes those that would change the value as JSON.stringify does', () => {
    expect(jsonUnescaped('a\\u0062 \\u0022 \\u005c \\u0007 \\u000A \\ud83d \\/ \\\\u0061')).toBe('ab \\" \\\\ \\u0007 \\n \\ud83d / \\\\u0061');
    expect(JSON.parse(jsonUnescaped(body))).toEqual(JSON.parse(body));
  });

  it('is found (an echo a leak check sees), redacted wherever it is shown, and the stored text is the same JSON', () => {
    const m = new SecretMatcher();
    m.add(secret);
    expect(m.find(body)).toEqual([secret]);
    expect(m.echoes(body)).toBe(1);
    const scanned = m.scan(body);
    expect(scanned.echoes).toBe(1);
    expect(JSON.parse(scanned.text).hint).toBe('escaped adm_b6aT… and / "q" \\u0061');
    expect(JSON.stringify(JSON.parse(redactSecrets(body, [secret])))).not.toContain(secret);
    expect(findLeaks(body, [secret])).toEqual(['secret adm_b6aT… echoed']);
    // Beside a plain copy the escaped one is not kept either: the stored text is the unescaped form, redacted.
    const both = `{"a":"${secret}","b":"${escaped}"}`;
    for (const stored of [m.scan(both).text, redactSecrets(both, [secret])]) {
      expect(JSON.parse(stored)).toEqual({ a: 'adm_b6aT…', b: 'adm_b6aT…' });
    }
    // Nothing escaped: the text is kept byte for byte.
    expect(m.scan('{"a":"\\u00e9 x"}').text).toBe('{"a":"\\u00e9 x"}');
  });
});

describe('a secret JSON must escape (a quote, a backslash, a control character in it)', () => {
  // An admin credential of a production server: quoted cookie values, a Digest-style header, a key with a backslash.
  const secret = `tk"<&'\\Zsecret\tvalue9876`;
  const once = JSON.stringify({ ok: false, code: 'agent.unauthorized', message: `refused Bearer ${secret}` });
  const twice = JSON.stringify({ ok: false, code: 'common.internal_error', message: `upstream said ${once}` });
  // The quote written \u0022 and the backslash \u005C: the same JSON value.
  const spelt = once.replace('\\"', '\\u0022').replace('\\\\', '\\u005C');

  it('is found (an echo a leak check sees) however the body escapes it, once or quoted again', () => {
    const m = new SecretMatcher();
    m.add('op_someotherrunsecretvalue');
    m.add(secret);
    for (const body of [once, twice, spelt]) {
      expect(m.find(body), body).toEqual([secret]);
      expect(m.echoes(body), body).toBe(1);
      expect(findLeaks(body, [secret]), body).toEqual([`secret ${redactToken(secret)} echoed`]);
    }
  });

  it('is found and redacted percent-encoded in a URL, as the token-in-query probes send it', () => {
    const m = new SecretMatcher();
    m.add(secret);
    for (const path of [`/api/agent/v1/manifest?access_token=${encodeURIComponent(secret)}`, `/x?${new URLSearchParams({ token: secret })}`]) {
      expect(m.find(path), path).toEqual([secret]);
      expect(m.scan(path).text).not.toContain('Zsecret');
      expect(redactSecrets(path, [secret])).toBe(m.scan(path).text);
    }
  });

  it('is redacted wherever it is shown, the stored text the same JSON with the redacted form in its place', () => {
    const m = new SecretMatcher();
    m.add(secret);
    for (const body of [once, twice, spelt]) {
      const stored = m.scan(body).text;
      expect(stored).toBe(redactSecrets(body, [secret]));
      expect(stored).not.toContain('secret\\tvalue');
      expect(stored).not.toContain('Zsecret');
      const parsed = JSON.parse(stored) as { message: string };
      const inner = body === twice ? (JSON.parse(parsed.message.slice('upstream said '.length)) as { message: string }).message : parsed.message;
      expect(inner).toBe(`refused Bearer ${redactToken(secret)}`);
    }
  });
});

describe('secrets no URL can write, and short ones', () => {
  it('learns a secret with a lone surrogate (or an emoji its prefix cuts in two) and redacts it', () => {
    for (const secret of ['op_abcd\u{1F600}xxxxxxxxxxxxxxxx', 'abcdef\ud800ghijklmn']) {
      const m = new SecretMatcher();
      expect(() => m.add(secret)).not.toThrow();
      expect(m.redact(`a ${secret} b`)).not.toContain(secret);
      expect(redactSecrets(`a ${secret} b`, [secret])).not.toContain(secret);
      expect(m.find(`x${JSON.stringify(secret)}`)).toEqual([secret]);
    }
  });

  it('replaces a short secret\'s escaped forms only where they stand alone, as the secret itself', () => {
    for (const [secret, text] of [['a b', 'data%20bar'], ['a"', 'pa\\"ss']] as const) {
      expect(redactSecrets(text, [secret])).toBe(text);
      const m = new SecretMatcher();
      m.add(secret);
      expect(m.redact(text)).toBe(text);
    }
  });
});
