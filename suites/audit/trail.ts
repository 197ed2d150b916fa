import type { CheckContext, Exchange } from '../../src/engine/check.js';
import { fail } from '../../src/engine/expect.js';
import { auditFor } from '../../src/engine/helpers.js';
import type { AuditEvent } from '../../src/protocol/types.js';

/**
 * The audit events an app gained while `act` ran. Diffing by id (rather than filtering by action names,
 * which the protocol does not fix) keeps provisioning events out of the count.
 */
export async function eventsDuring(ctx: CheckContext, appId: string, act: () => Promise<Exchange>): Promise<{ ex: Exchange; events: AuditEvent[] }> {
  const before = new Set((await auditFor(ctx, appId)).map((e) => e.id));
  const ex = await act();
  const events = (await auditFor(ctx, appId)).filter((e) => !before.has(e.id));
  return { ex, events };
}

export function summarize(events: readonly AuditEvent[]): string {
  return events.length ? events.map((e) => `${e.action} ${e.status} ${e.code ?? '(no code)'}`).join('; ') : 'no new events';
}

/** Exactly one new event, else a finding naming what was logged. */
export function exactlyOne(events: AuditEvent[], what: string, ex: Exchange): AuditEvent {
  if (events.length !== 1) fail(`${what}: expected exactly one audit event, found ${events.length}`, 'one audit event', summarize(events), ex);
  return events[0];
}
