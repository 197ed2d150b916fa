import type { FaultDef } from './fault.js';
import { ignoreEnabled } from './gates.js';

export const fault = {
  name: 'autoexec-high-risk-ignore-enabled',
  clauses: ['AUTOEXEC.high_risk.enabled'],
  description: 'A high_risk window with enabled:false still opens for high-risk writes.',
  hooks: ignoreEnabled(true),
} as const satisfies FaultDef;
