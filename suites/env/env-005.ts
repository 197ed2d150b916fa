import type { CheckDef } from '../../src/kit/check.js';
import { echoedInBody, findLeaks, headerLeaks } from '../../src/kit/expect.js';
import { exchangesToJudge, judgeAll } from './battery.js';

export const env005: CheckDef = {
  id: 'ENV-005',
  safety: 'read-only',
  needs: [],
  bindings: ['http'],
  phase: 'final',
  description: 'No error body of the run (plus an edge-request battery) contains a stack trace, file path, SQL, token or known secret, and no response header echoes a known secret.',
  async run(ctx) {
    const all = await exchangesToJudge(ctx);
    // Credentials only: a server may name its operator (x-admin-user), never echo a token.
    const secrets = ctx.secrets();
    await judgeAll(ctx, all, (ex) => {
      // An echoed credential in a header is a leak whatever the status.
      const leaks = headerLeaks(ex, secrets);
      const j = ex.response.json as { ok?: unknown } | undefined;
      if (ex.response.status >= 400 || j?.ok === false) leaks.push(...findLeaks(ex.response.text, secrets), ...echoedInBody(ex));
      return leaks.length ? `leaks ${leaks.join('; ')}` : undefined;
    }, 'leak internals or secrets in an error body or a header', 'error bodies without stack traces, paths, SQL, tokens or secrets; no secret in any header');
  },
};
