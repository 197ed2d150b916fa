import { deletesByName } from '../../protocol/mcp-binding.js';
import type { FaultDef } from './fault.js';

/** The impact with every described row cut down to its id (summary and other values kept). */
function idsOnly(impact: unknown): unknown {
  if (impact === null || typeof impact !== 'object' || Array.isArray(impact)) return impact;
  return Object.fromEntries(
    Object.entries(impact).map(([k, v]) => [k, v !== null && typeof v === 'object' && !Array.isArray(v) && 'id' in v ? { id: (v as { id: unknown }).id } : v]),
  );
}

export const fault = {
  name: 'preflight-delete-impact-id-only',
  clauses: ['PREFLIGHT.impact.delete-row'],
  description: "A delete's impact names the target row by its id only, without the row's current fields (preflight and execute alike, so the hash still binds).",
  hooks: {
    actionImpact: (next) => (action, impact) => (deletesByName(action) ? idsOnly(next(action, impact)) : next(action, impact)),
  },
} as const satisfies FaultDef;
