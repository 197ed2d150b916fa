import { afterEach, describe, expect, it } from 'vitest';
import { parseAdminHeader, parseReporters, parseSeed, parseTargetUrl } from '../../src/cli/options.js';
import { useColor } from '../../src/cli/io.js';

describe('flag parsers', () => {
  it('--admin-header accumulates Name: value pairs with lower-cased names', () => {
    const one = parseAdminHeader('X-Admin-User: admin_demo');
    expect(parseAdminHeader('Authorization:  Bearer abc ', one)).toEqual({ 'x-admin-user': 'admin_demo', authorization: 'Bearer abc' });
    for (const bad of ['x-admin-user admin_demo', 'x admin: v', 'x-admin-user:', ': v']) {
      expect(() => parseAdminHeader(bad), bad).toThrow(/'Name: value'/);
    }
  });

  it('--reporter accepts comma lists and repeats, refuses unknown names listing the valid ones', () => {
    expect(parseReporters('junit, sarif', parseReporters('pretty'))).toEqual(['pretty', 'junit', 'sarif']);
    expect(() => parseReporters('pretty,xml')).toThrow(/unknown reporter "xml"; choose from pretty, json, junit, sarif, markdown, html/);
    expect(() => parseReporters(',')).toThrow(/unknown reporter/);
  });

  it('--seed is a 32-bit unsigned integer', () => {
    expect(parseSeed('0')).toBe(0);
    expect(parseSeed('4294967295')).toBe(4294967295);
    for (const bad of ['-1', '1.5', '4294967296', '1e3', '']) expect(() => parseSeed(bad), bad).toThrow(/integer/);
  });

  it('the url must be http(s)', () => {
    expect(parseTargetUrl('https://api.example.test/base')).toBe('https://api.example.test/base');
    expect(() => parseTargetUrl('127.0.0.1:8080')).toThrow(/http/);
    expect(() => parseTargetUrl('file:///etc/passwd')).toThrow(/http:\/\/ or https:\/\//);
  });
});

describe('colour', () => {
  const saved = process.env.NO_COLOR;
  afterEach(() => {
    if (saved === undefined) delete process.env.NO_COLOR;
    else process.env.NO_COLOR = saved;
  });

  it('on a TTY unless NO_COLOR is non-empty or TERM=dumb; FORCE_COLOR forces it on (or off with 0)', () => {
    const tty = { isTTY: true } as never;
    const pipe = { isTTY: false } as never;
    expect(useColor(tty, {})).toBe(true);
    expect(useColor(pipe, {})).toBe(false);
    expect(useColor(tty, { NO_COLOR: '1' })).toBe(false);
    // An empty NO_COLOR does not count (no-color.org).
    expect(useColor(tty, { NO_COLOR: '' })).toBe(true);
    expect(useColor(tty, { TERM: 'dumb' })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1' })).toBe(true);
    expect(useColor(tty, { FORCE_COLOR: '0' })).toBe(false);
    expect(useColor(pipe, { FORCE_COLOR: '1', NO_COLOR: '1' })).toBe(false);
  });
});
