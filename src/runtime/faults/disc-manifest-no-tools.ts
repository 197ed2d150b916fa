import type { FaultDef } from './fault.js';
import { editReply, without } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-no-tools',
  clauses: ['DISC.manifest.tools'],
  description: 'The manifest has no tools member.',
  hooks: editReply('agent', 'GET /manifest', (data) => without(data, 'tools')),
} as const satisfies FaultDef;
