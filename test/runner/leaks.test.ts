import { describe, expect, it } from 'vitest';
import { findLeaks } from '../../src/kit/expect.js';

describe('findLeaks', () => {
  it('flags stack traces, paths, SQL, tokens and known secrets', () => {
    const secret = 'op_abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG'; // openport-conform-allow: the alphabet, not a token
    expect(findLeaks('TypeError: x is undefined\n    at handler (/srv/app/dist/server.js:10:5)', [])).not.toEqual([]);
    expect(findLeaks('query failed: SELECT id, title FROM transactions WHERE org_id = $1', [])).toEqual([expect.stringMatching(/^SQL/)]);
    expect(findLeaks('INSERT INTO drafts (id) VALUES (1)', [])).toEqual([expect.stringMatching(/^SQL/)]);
    expect(findLeaks('error: syntax error at or near "FROM"', [])).toEqual([expect.stringMatching(/^SQL/)]);
    expect(findLeaks('SQLITE_CONSTRAINT: UNIQUE constraint failed', [])).toEqual([expect.stringMatching(/^SQL/)]);
    expect(findLeaks(`bad token ${secret}`, [secret]).join(' ')).toMatch(/token|secret/);
  });
  it("flags a string of the authors' token shape (op_ and 43 base64url characters) only: a stored prefix or an id that starts with op_ is no token", () => {
    const shaped = `op_${'aB3-_'.repeat(8)}xyz`;
    expect(findLeaks(`echoed ${shaped}`, [])).toEqual([expect.stringMatching(/^token/)]);
    for (const text of ['{"token_prefix":"op_live_org_demo_-5jWXK"}', '{"request_id":"op_01JEXAMPLE0000000000000000"}', `${shaped}Q`]) {
      expect(findLeaks(text, []), text).toEqual([]);
    }
  });
  it('does not flag ordinary English that happens to contain SQL words', () => {
    for (const prose of [
      'Please select a ledger from the list',
      'Cannot delete from a closed ledger',
      'Update ledger settings first',
      'Insert into the draft a justification',
      'Validation failed',
    ]) expect(findLeaks(prose, []), prose).toEqual([]);
  });
});
