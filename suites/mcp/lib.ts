import type { CheckContext } from '../../src/kit/check.js';
import { fail } from '../../src/kit/expect.js';
import { initialize } from '../../src/kit/mcp-wire.js';

/**
 * initialize with the run's valid token and one header naming another server (Host or Origin): a positive
 * control first (the same request without it opens a session), then the request that must be refused.
 */
export async function refusesForeign(ctx: CheckContext, header: 'host' | 'origin', value: string): Promise<void> {
  const token = ctx.agent.token!;
  const control = await initialize(ctx, token);
  if (!control.session) throw new Error(`${ctx.checkId} set-up: initialize with the run's token answered HTTP ${control.ex.response.status}`);
  await control.session.close();
  const { ex, session } = await initialize(ctx, token, { headers: { [header]: value } });
  // A session the server should not have opened is ended too (it is a finding, not something to leave behind).
  await session?.close();
  if (ex.response.status < 400 || session) {
    fail(`an initialize with ${header === 'host' ? 'Host' : 'Origin'}: ${value} opened a session (DNS rebinding: a web page could drive the endpoint)`, { status: 403, text: 'refused (HTTP 403)' }, `HTTP ${ex.response.status}`, ex);
  }
}
