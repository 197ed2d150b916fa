// The admin client's audit read: one page from a server that does not page; a server that pages
// (data.nextCursor) is followed newest first for at most AUDIT_PAGES pages, so the read is bounded whatever
// the server's history.
import { describe, expect, it } from 'vitest';
import type { Exchange, HttpExchangeRequest } from '../../src/kit/check.js';
import { AUDIT_PAGES, createAdminClient } from '../../src/kit/clients.js';

function server(pages: number | 'endless') {
  const asked: string[] = [];
  const send = async (req: HttpExchangeRequest): Promise<Exchange> => {
    asked.push(req.path);
    const cursor = Number(new URL(`http://x${req.path}`).searchParams.get('cursor') ?? 0);
    const last = pages !== 'endless' && cursor + 1 >= pages;
    const data = { items: [{ id: `evt_${cursor}`, app_id: 'app_1' }, { id: `other_${cursor}`, app_id: 'app_2' }], nextCursor: last ? null : String(cursor + 1) };
    const json = { ok: true, code: 'common.success', data };
    return { request: req, response: { status: 200, headers: { 'content-type': 'application/json' }, text: JSON.stringify(json), json }, durationMs: 1 } as unknown as Exchange;
  };
  return { asked, admin: createAdminClient(send, { authorization: 'Bearer adm_test' }) };
}

describe('admin audit read', () => {
  it('reads one page from a server that does not page, filtered to the app', async () => {
    const { asked, admin } = server(1);
    expect((await admin.audit('app_1')).map((e) => e.id)).toEqual(['evt_0']);
    expect(asked).toHaveLength(1);
  });

  it('follows nextCursor to the last page', async () => {
    const { asked, admin } = server(3);
    expect((await admin.audit('app_1')).map((e) => e.id)).toEqual(['evt_0', 'evt_1', 'evt_2']);
    expect(asked[1]).toContain('cursor=1');
  });

  it('stops after AUDIT_PAGES pages of a history without end', async () => {
    const { asked, admin } = server('endless');
    expect(await admin.audit('app_1')).toHaveLength(AUDIT_PAGES);
    expect(asked).toHaveLength(AUDIT_PAGES);
  });
});
