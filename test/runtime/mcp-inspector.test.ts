// A client nobody here wrote drives the served MCP front end to end: the MCP Inspector's CLI mode (pinned
// under tools/mcp-inspector, installed on first use by scripts/ensure-mcp-conformance.mjs) lists the tools,
// drafts a write, and after the approval on the admin plane polls the draft with openport.draft.get until the
// execution is there. Each Inspector invocation is its own process and its own MCP session, as a host's is.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureMcpInspector } from '../../scripts/ensure-mcp-conformance.mjs';
import { startHttpServer, type StartedServer } from '../../src/runtime/index.js';
import { DRAFT_TOOL, META as MCP_META } from '../../src/runtime/mcp.js';
import { CREATE, harness, type Harness } from './helpers.js';

describe('the MCP Inspector CLI against serve --mcp', () => {
  let h: Harness;
  let server: StartedServer;
  let home: string;
  let tool: { node: string; inspector: string };

  /** One Inspector CLI call with the agent's bearer header; its stdout parsed as the JSON result. */
  const inspect = (args: string[], token = h.token): Promise<{ code: number; json: any; stderr: string }> =>
    new Promise((done) => {
      const argv = [tool.inspector, '--cli', `${server.url}/mcp`, '--transport', 'http', '--header', `Authorization: Bearer ${token}`, ...args];
      // HOME is a scratch directory: the Inspector keeps its catalog and client storage under ~/.mcp-inspector.
      execFile(tool.node, argv, { env: { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1' }, timeout: 60_000, maxBuffer: 8 << 20 }, (err, stdout, stderr) => {
        let json: unknown;
        try {
          json = JSON.parse(stdout);
        } catch {
          json = undefined;
        }
        done({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, json, stderr });
      });
    });

  beforeAll(async () => {
    tool = ensureMcpInspector() as { node: string; inspector: string };
    home = mkdtempSync(join(tmpdir(), 'opc-inspector-'));
    h = harness({ rateLimit: { limit: 1000, windowMs: 60_000 } });
    server = await startHttpServer(h.runtime, { mcp: true });
  }, 420_000);
  afterAll(async () => {
    await server?.close();
    if (home) rmSync(home, { recursive: true, force: true });
  });

  it('lists the tools, drafts a write, and polls it to confirmed after the admin plane approves it', async () => {
    const listed = await inspect(['--method', 'tools/list']);
    expect(listed.code, listed.stderr).toBe(0);
    const names = (listed.json.tools as { name: string }[]).map((t) => t.name);
    expect(names).toEqual(expect.arrayContaining(['transaction.create', DRAFT_TOOL]));
    const create = (listed.json.tools as any[]).find((t) => t.name === 'transaction.create');
    expect(create.annotations).toMatchObject({ readOnlyHint: false });

    const drafted = await inspect(['--method', 'tools/call', '--tool-name', 'transaction.create', '--tool-args-json', JSON.stringify({ payload: CREATE })]);
    expect(drafted.code, drafted.stderr).toBe(0);
    expect(drafted.json).toMatchObject({ _meta: { [MCP_META.code]: 'common.success' }, structuredContent: { status: 'draft', draft: { status: 'draft', action_type: 'transaction.create' } } });
    expect(drafted.json.isError).not.toBe(true);
    const id = drafted.json.structuredContent.draft.id as string;

    const pending = await inspect(['--method', 'tools/call', '--tool-name', DRAFT_TOOL, '--tool-arg', `draftId=${id}`]);
    expect(pending.json.structuredContent.draft).toMatchObject({ id, status: 'draft' });

    // The approval is a human's, on the admin plane of the same server (HTTP, as an operator's console sends it).
    const approve = await fetch(`${server.url}/api/agent-admin/v1/drafts/${id}/approve`, {
      method: 'POST',
      headers: { ...h.runtime.adminHeaders, 'x-admin-user': 'admin_test', 'content-type': 'application/json' },
      body: '{}',
    });
    expect(approve.status).toBe(200);

    const polled = await inspect(['--method', 'tools/call', '--tool-name', DRAFT_TOOL, '--tool-arg', `draftId=${id}`]);
    expect(polled.code, polled.stderr).toBe(0);
    expect(polled.json.structuredContent).toMatchObject({ draft: { id, status: 'confirmed' }, execution: { status: 'success' } });
  }, 240_000);

  it('shows a refusal as an isError result carrying the reason code and the issues', async () => {
    const refused = await inspect(['--method', 'tools/call', '--tool-name', 'transaction.create', '--tool-args-json', JSON.stringify({ payload: { ledgerId: 'ledger_main' } })]);
    // The Inspector exits non-zero on an isError result and still prints the result as it came.
    expect(refused.code).not.toBe(0);
    expect(refused.json).toMatchObject({ isError: true, _meta: { [MCP_META.code]: 'common.validation' }, structuredContent: { code: 'common.validation' } });
    expect(refused.json.content[0].text).toMatch(/^common\.validation: .*\n- payload\.kind: /);
  }, 120_000);
});
