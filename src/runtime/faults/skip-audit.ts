/**
 * The building block of faults that leave one kind of agent-plane operation unaudited: one file per audited
 * operation of the brief's list (section 10), the filtering here once.
 */
import type { HookOverrides } from '../hooks.js';
import type { AgentEvent } from '../core.js';

/** Overrides auditEvent so that the events `skip` selects are never written. */
export function skipAudit(skip: (e: AgentEvent) => boolean): HookOverrides {
  return {
    auditEvent: (next) => (s, e) => {
      if (!skip(e)) next(s, e);
    },
  };
}
