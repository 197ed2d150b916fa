import type { FaultDef } from './fault.js';
import { ignoreEnabled } from './gates.js';

export const fault = {
  name: 'autoexec-writes-ignore-enabled',
  clauses: ['AUTOEXEC.writes.enabled'],
  description: 'A writes window with enabled:false still opens for low/medium writes.',
  hooks: ignoreEnabled(false),
} as const satisfies FaultDef;
