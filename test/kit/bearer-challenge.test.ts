// A 401 of the MCP endpoint names the Bearer scheme among its challenges (T3 of docs/mcp-binding.md): any one
// of several, in any order (RFC 9110 §11.6.1); a parameter that merely says "bearer" is no challenge.
import { describe, expect, it } from 'vitest';
import { Finding, type Exchange } from '../../src/kit/check.js';
import { expectBearerChallenge } from '../../src/kit/expect.js';

const refused = (headers: Record<string, string>, status = 401): Exchange => {
  const wire = { status, headers, text: '{"jsonrpc":"2.0","id":null,"error":{"code":-32010,"message":"x"}}' };
  return { request: { method: 'POST', path: '/mcp', headers: {} }, response: { ...wire, json: undefined }, durationMs: 0, mcp: { rpc: 'initialize', request: { method: 'POST', path: '/mcp', headers: {} }, response: wire, durationMs: 0 } };
};
const judged = (ex: Exchange) => {
  try {
    expectBearerChallenge(ex, 'initialize');
    return 'pass';
  } catch (e) {
    if (e instanceof Finding) return 'fail';
    throw e;
  }
};

describe('expectBearerChallenge', () => {
  it('passes a Bearer challenge, alone or among others, and fails a 401 without one', () => {
    expect(judged(refused({ 'www-authenticate': 'Bearer realm="openport", error="invalid_token"' }))).toBe('pass');
    expect(judged(refused({ 'www-authenticate': 'bearer' }))).toBe('pass');
    expect(judged(refused({ 'www-authenticate': 'Basic realm="mcp", Bearer realm="openport"' }))).toBe('pass');
    expect(judged(refused({}))).toBe('fail');
    expect(judged(refused({ 'www-authenticate': 'Basic realm="bearer x"' }))).toBe('fail');
    expect(judged(refused({ 'www-authenticate': 'Bearerx realm="o"' }))).toBe('fail');
    // Only a 401 is held to it.
    expect(judged(refused({}, 403))).toBe('pass');
  });
});
