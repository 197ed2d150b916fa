import type { FaultDef } from './fault.js';
import { editReply } from './reply-member.js';

export const fault = {
  name: 'disc-manifest-other-app',
  clauses: ['DISC.manifest.app.is-key-app'],
  description: "The manifest describes another app than the key's: another id, in another tenant, as a personal app.",
  hooks: editReply('agent', 'GET /manifest', (data) => ({
    ...data,
    app: { ...(data.app as Record<string, unknown>), id: 'app_someone_else', orgId: 'org_someone_else', scope: 'personal' },
  })),
} as const satisfies FaultDef;
