/** A hand-made RunReport with hostile strings, shared by the reporter tests. */
import type { RunReport } from '../../src/runner/result.js';

/** A full agent token in the authors' format: op_ + base64url(32 bytes). It must never reach an output. */
// openport-conform-allow: base64 of a made-up sentence, never minted by any runtime
export const FULL_TOKEN = 'op_Zk9vYmFyQmF6UXV4MTIzNDU2Nzg5MGFiY2RlZmdoaWo';
/** A secret that does not look like a token (e.g. an admin credential); only ctx.secrets can catch it. */
export const ADMIN_SECRET = 'adm1n-S3cret-value-xyz';
/** The public source the runner attaches to the sample finding's basis (§6). */
export const SAMPLE_SOURCE = 'https://github.com/VancouverCanada/openport/blob/b12f86bf60594cd9b7cbf19cdd536c65278fde3b/docs/04-security-threat-model.md#required-controls';
export const HOSTILE = `<script>alert("x")</script> & 'quote' | pipe ]]> \u0001 \u001b[2J \`\`\`\` backticks`;

export function sampleReport(): RunReport {
  return {
    tool: { name: 'openport-conform', version: '0.1.0' },
    target: { url: 'http://127.0.0.1:8787', embedded: false, faults: [] },
    profile: 'core',
    safety: 'draft',
    strict: false,
    seed: 42,
    startedAt: '2025-01-02T03:04:05.000Z',
    finishedAt: '2025-01-02T03:04:07.500Z',
    durationMs: 2500,
    summary: { pass: 1, fail: 1, warn: 1, skip: 1, blocked: 1, error: 1, total: 6, heldBack: 2 },
    heldBack: { ids: ['IDEM-003', 'ADM-001'], flag: '--safety load' },
    verdict: 'not-conformant',
    exitCode: 1,
    results: [
      { id: 'ENV-001', level: 'MUST', layer: 'core', title: 'Endpoints exist', safety: 'read-only', status: 'pass', durationMs: 12 },
      {
        id: 'AUTHN-004',
        level: 'MUST',
        layer: 'core',
        title: 'A revoked key is refused',
        safety: 'draft',
        status: 'fail',
        message: `revoked key still accepted ${HOSTILE}`,
        expected: 'HTTP 401 agent.token_invalid',
        actual: `HTTP 200 common.success echoing ${FULL_TOKEN}`,
        reproduce: `curl -H 'Authorization: Bearer ${FULL_TOKEN}' -H 'x-admin-token: ${ADMIN_SECRET}' http://127.0.0.1:8787/api/agent/v1/manifest`,
        finding: {
          expected: { status: 401, code: 'agent.token_invalid', text: 'HTTP 401 agent.token_invalid' },
          actual: { status: 200, code: 'common.success', pointer: '/ok', text: `HTTP 200 common.success echoing ${FULL_TOKEN}` },
          route: 'GET /api/agent/v1/manifest',
          exchanges: [17],
          basis: '§6 (2): "revocation effective on the very next request, no caching"',
          source: SAMPLE_SOURCE,
          replay: 'openport-conform run http://127.0.0.1:8787 --profile core --only AUTHN-004 --seed 42',
        },
        durationMs: 30,
      },
      {
        id: 'AUTHN-007',
        level: 'SHOULD',
        layer: 'core',
        title: 'Token outside the header does not authenticate',
        safety: 'read-only',
        status: 'warn',
        message: 'query-string token accepted',
        expected: 'HTTP 401',
        actual: 'HTTP 200',
        reproduce: `curl 'http://127.0.0.1:8787/api/agent/v1/manifest?token=op_…' # ${HOSTILE}`,
        durationMs: 5,
      },
      {
        id: 'ABAC-001',
        level: 'MUST',
        layer: 'core',
        title: 'IP allowlist refuses',
        safety: 'draft',
        status: 'skip',
        message: 'needs the admin plane',
        hint: "--admin-header 'x-admin-user: admin_demo'",
        durationMs: 0,
      },
      { id: 'ADM-002', level: 'MUST', layer: 'core', title: 'No side effects on 429', safety: 'load', status: 'blocked', message: 'unprovoked 429', durationMs: 3 },
      { id: 'AUDIT-001', level: 'MUST', layer: 'core', title: 'Audit event per operation', safety: 'draft', status: 'error', message: `tool error: ${HOSTILE}`, errorCode: 'OPC_E_SETUP', durationMs: 4 },
    ],
    cleanup: { revoked: ['app_1'], failed: ['app_2'] },
  };
}
