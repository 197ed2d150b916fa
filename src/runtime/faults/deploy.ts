/**
 * What the deployment faults (GATE.deploy.*) share: the auto-execute windows they ship the runtime's
 * bootstrap app with — open for an hour over the domain's write tools of one risk class, so that only the one
 * field a fault changes makes it unsafe — and the admin plane's listing of the deployed tools.
 */
import type { ToolDescriptor } from '../../protocol/types.js';
import type { HookOverrides } from '../hooks.js';
import type { HighRiskWindow, WritesWindow } from '../policy.js';

const HOUR_MS = 3_600_000;

/** An enabled window ending in an hour, allowing the write tools of `risk`. */
export function openWindow(tools: readonly ToolDescriptor[], risk: 'high' | 'low/medium', now: number): WritesWindow {
  const writes = tools.filter((t) => t.kind === 'action' && (risk === 'high') === (t.risk === 'high'));
  return { enabled: true, expires_at: new Date(now + HOUR_MS).toISOString(), allowed_actions: writes.map((t) => t.name) };
}

/** A high-risk window ending in an hour with both gates on, then `change` applied. */
export function highRiskWindow(tools: readonly ToolDescriptor[], now: number, change: Partial<HighRiskWindow>): HighRiskWindow {
  return { ...openWindow(tools, 'high', now), require_preflight: true, require_idempotency: true, max_export_rows: 1000, ...change };
}

/**
 * The deployment as GET /apps/{id}/tools lists it (what the release gate reviews), with each write tool
 * rewritten by `change`; the manifest agents discover is left as it is.
 */
export function deployedWriteTools(change: (tool: Record<string, unknown>) => Record<string, unknown>): HookOverrides {
  return {
    replyData: (next) => (plane, route, data) => {
      if (plane !== 'admin' || route !== 'GET /apps/:id/tools' || !Array.isArray(data.tools)) return next(plane, route, data);
      return next(plane, route, { ...data, tools: (data.tools as Record<string, unknown>[]).map((t) => (t.kind === 'action' ? change(t) : t)) });
    },
  };
}
