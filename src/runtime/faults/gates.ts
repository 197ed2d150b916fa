/**
 * What the faults that misorder, drop or force open an auto-execute gate share. Not a fault
 * itself; each fault file names its clause and the gates it touches.
 */
import type { AutoExecuteGate, HookOverrides } from '../hooks.js';

/** The gates with `a` and `b` trading places. */
export function swapGates(gates: readonly AutoExecuteGate[], a: AutoExecuteGate['name'], b: AutoExecuteGate['name']): AutoExecuteGate[] {
  const out = [...gates];
  const i = out.findIndex((g) => g.name === a);
  const j = out.findIndex((g) => g.name === b);
  if (i >= 0 && j >= 0) [out[i], out[j]] = [out[j]!, out[i]!];
  return out;
}

/** The gates without `name`. */
export function withoutGate(gates: readonly AutoExecuteGate[], name: AutoExecuteGate['name']): AutoExecuteGate[] {
  return gates.filter((g) => g.name !== name);
}

/** The window of every tool of one tier (`highRisk`) with its `enabled` flag ignored. */
export function ignoreEnabled(highRisk: boolean): HookOverrides {
  return {
    autoExecuteWindow: (next) => (cfg, tool) => {
      const w = next(cfg, tool);
      return w && (tool.risk === 'high') === highRisk ? { ...w, enabled: true } : w;
    },
  };
}
