import type { CheckDef } from '../../src/kit/check.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env005: CheckDef = {
  id: 'ENV-005',
  safety: 'read-only',
  needs: [],
  phase: 'final',
  description: 'No error body of the run (plus an edge-request battery) contains a stack trace, file path, SQL, token or known secret, and no response header echoes a known secret (over MCP: no refusal the server sent — isError result, JSON-RPC error, refused session open).',
  async run(ctx) {
    // Credentials only (ctx.secrets()): a server may name its operator (x-admin-user), never echo a token.
    await judgeAll(ctx, await exchangesToJudge(ctx), 'ENV-005');
  },
};
