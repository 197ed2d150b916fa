import type { Json } from '../errors.js';
import type { FaultDef } from './fault.js';
import { editReply } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-personal-as-workspace',
  clauses: ['DISC.manifest.app.is-key-app'],
  description: "The manifest of a personal app's key says its app's scope is workspace; a workspace app's manifest is right.",
  hooks: editReply('agent', 'GET /manifest', (data) => {
    const app = data.app as Json | undefined;
    return app?.scope === 'personal' ? { ...data, app: { ...app, scope: 'workspace' } } : data;
  }),
} as const satisfies FaultDef;
