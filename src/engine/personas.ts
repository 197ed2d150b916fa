/**
 * Test personas: fresh apps provisioned through the admin plane. The registry remembers every app the run
 * created (by ctx.persona or directly by ctx.admin.createApp) and every token it was handed, so the run
 * can revoke them at the end and redact them everywhere.
 */
import { randomBytes } from 'node:crypto';
import type { AdminClient, AgentClient, CreatedApp, Persona, PersonaSpec } from './check.js';
import type { AdminHooks } from './clients.js';
import type { ResolvedTarget } from './target.js';

export class PersonaRegistry {
  private readonly apps = new Map<string, { revoked: boolean }>();
  private readonly tokens = new Set<string>();

  readonly hooks: AdminHooks = {
    appCreated: (app) => void this.apps.set(app.appId, { revoked: false }),
    appRevoked: (appId) => {
      const a = this.apps.get(appId);
      if (a) a.revoked = true;
    },
    secret: (token) => void this.tokens.add(token),
  };

  secrets(): string[] {
    return [...this.tokens];
  }

  createdApps(): string[] {
    return [...this.apps.keys()];
  }

  /** Revoke every app still active; apps a check already revoked count as revoked. */
  async cleanup(admin: AdminClient | undefined): Promise<{ revoked: string[]; failed: string[] }> {
    const revoked: string[] = [];
    const failed: string[] = [];
    for (const [appId, state] of this.apps) {
      if (state.revoked) {
        revoked.push(appId);
        continue;
      }
      try {
        if (!admin) throw new Error('no admin plane');
        await admin.revokeApp(appId);
        revoked.push(appId);
      } catch {
        failed.push(appId);
      }
    }
    return { revoked, failed };
  }
}

/** Lower-case word characters only: persona names end up in service user ids. */
function slug(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^_+|_+$/g, '') || 'persona';
}

export async function provisionPersona(
  admin: AdminClient,
  target: ResolvedTarget,
  spec: PersonaSpec,
  clientFor: (token: string) => AgentClient,
): Promise<Persona> {
  const shortId = randomBytes(3).toString('hex');
  const created: CreatedApp = await admin.createApp({
    name: `openport-conform ${spec.name} ${shortId}`,
    scopes: spec.scopes ?? target.scopes,
    orgId: spec.orgId ?? target.orgId,
    serviceUserId: `svc_conform_${slug(spec.name)}`,
  });
  if (spec.policy) await admin.setPolicy(created.appId, spec.policy);
  if (spec.autoExecute) await admin.setAutoExecute(created.appId, spec.autoExecute);
  return { ...created, name: spec.name, client: clientFor(created.token) };
}
