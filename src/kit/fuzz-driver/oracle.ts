/**
 * The differential oracle of FUZZ-006: an in-process reference runtime, provisioned like the target's
 * persona (the scopes of it that the runtime's domain knows, in the runtime's own tenant), that predicts
 * status and reason code for requests whose outcome does not depend on the target's data. On a target of
 * another domain it still predicts authentication, body validation and unknown-action answers; scope
 * answers only for the tools both know (the caller compares those only).
 */
import { createRuntime } from '../../runtime/runtime.js';
import { ADMIN_BASE, AGENT_BASE } from '../../protocol/types.js';
import type { Runtime } from '../../runtime/types.js';
import { ToolError } from '../check.js';
import type { CorpusRequest } from './corpus.js';

export interface Answer { status: number; code: string }

export interface ReferenceOracle {
  /** The reference identity's token (fill $TOKEN with it before asking). */
  readonly token: string;
  /** Tool names the reference's identity sees in its manifest. */
  readonly tools: readonly string[];
  answer(req: CorpusRequest): Promise<Answer>;
  close(): Promise<void>;
}

export function answerOf(status: number, json: unknown): Answer {
  const j = json as { ok?: unknown; code?: unknown } | undefined;
  return { status, code: typeof j?.code === 'string' ? j.code : '(no envelope)' };
}

/** A fresh reference runtime and an app holding `scopes` (all demo scopes when omitted). */
export async function createReferenceOracle(scopes?: readonly string[]): Promise<ReferenceOracle> {
  // The oracle never rate-limits: only the target's admission control is under test.
  // Nor does it limit refused authentications: a long run sends more bad credentials than any window holds.
  const rt: Runtime = createRuntime({ rateLimit: { limit: 1_000_000_000, windowMs: 60_000 }, authFailureLimit: { limit: 1_000_000_000, windowMs: 60_000 }, seed: 1 });
  const call = async (req: CorpusRequest, extra: Record<string, string> = {}) => {
    const res = await rt.handle({ method: req.method, path: req.path, headers: { ...req.headers, ...extra }, body: req.body, clientIp: '127.0.0.1' });
    return { status: res.status, json: res.body ? (JSON.parse(res.body) as unknown) : undefined };
  };
  let token = rt.bootstrap.agentToken;
  if (scopes) {
    const apps = await call({ method: 'GET', path: `${ADMIN_BASE}/apps`, headers: {} }, rt.adminHeaders);
    const boot = ((apps.json as { data?: { items?: { id: string; org_id: string; scopes: string[] }[] } } | undefined)?.data?.items ?? []).find((a) => a.id === rt.bootstrap.appId);
    if (!boot) throw new ToolError(`reference runtime did not list its bootstrap app (HTTP ${apps.status})`, 3);
    const known = scopes.filter((s) => boot.scopes.includes(s));
    const created = await call(
      { method: 'POST', path: `${ADMIN_BASE}/apps`, headers: { 'content-type': 'application/json' }, body: JSON.stringify({ scope: 'workspace', name: 'oracle', org_id: boot.org_id, service_user_id: 'svc_oracle', scopes: known }) },
      rt.adminHeaders,
    );
    const t = (created.json as { data?: { token?: unknown } } | undefined)?.data?.token;
    if (typeof t !== 'string') throw new ToolError(`reference runtime refused to provision the oracle app (HTTP ${created.status})`, 3);
    token = t;
  }
  const m = await call({ method: 'GET', path: `${AGENT_BASE}/manifest`, headers: { authorization: `Bearer ${token}` } });
  const tools = ((m.json as { data?: { tools?: { name: string }[] } } | undefined)?.data?.tools ?? []).map((x) => x.name);
  return {
    token,
    tools,
    async answer(req) {
      const r = await call(req);
      return answerOf(r.status, r.json);
    },
    close: () => rt.close(),
  };
}
