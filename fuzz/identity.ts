/**
 * Who the fuzzer speaks as. Where the run provisions (admin headers, --safety draft or above) it is a dedicated
 * persona whose key is rotated before the target's rate limit would refuse it (a fresh key has a fresh window, so
 * fuzz traffic is never blocked by its own volume); else it is the run token, used for a bounded share of the limit.
 */
import { Skip, type CheckContext, type Exchange, type PersonaSpec } from '../src/kit/check.js';
import type { ToolDescriptor } from '../src/protocol/types.js';
import type { FuzzRequest } from './requests.js';

/** Headroom under the limit, for requests the check itself makes with the same key. */
const HEADROOM = 10;

export class FuzzIdentity {
  private uses = 0;
  /** Requests sent with this identity's token (all keys). */
  sent = 0;

  private constructor(
    private readonly ctx: CheckContext,
    private token: string,
    readonly appId: string | undefined,
    private readonly budget: number,
  ) {}

  /** A persona when the run provisions (spec; CheckContext.provisions), else the run token (Skip when there is none). */
  static async create(ctx: CheckContext, spec: PersonaSpec): Promise<FuzzIdentity> {
    const limit = ctx.target.rateLimit.limit;
    if (ctx.provisions) {
      const p = await ctx.persona(spec);
      return new FuzzIdentity(ctx, p.token, p.appId, Math.max(1, limit - HEADROOM));
    }
    const token = ctx.agent.token;
    if (!token) throw new Skip('needs an agent token', '--token');
    return new FuzzIdentity(ctx, token, undefined, Math.max(1, Math.floor(limit / 4)));
  }

  get persona(): boolean {
    return this.appId !== undefined;
  }

  get currentToken(): string {
    return this.token;
  }

  /** False once the run token's share of the rate limit is used up (personas rotate instead). */
  async ready(): Promise<boolean> {
    if (this.uses < this.budget) return true;
    if (!this.appId) return false;
    const ex = await this.ctx.admin.createKey(this.appId, { name: `fuzz rotation ${this.sent}` });
    const token = (ex.response.json as { data?: { token?: unknown } } | undefined)?.data?.token;
    if (typeof token !== 'string') throw new Skip(`could not rotate the fuzz persona's key: POST /apps/{id}/keys returned no token`);
    this.token = token;
    this.uses = 0;
    return true;
  }

  /** The tools this identity's manifest lists (entries without a string name dropped). */
  async manifestTools(): Promise<ToolDescriptor[]> {
    const ex = await this.ctx.client(this.token).manifest();
    this.count();
    const tools = (ex.response.json as { ok?: unknown; data?: { tools?: unknown } } | undefined)?.data?.tools;
    return Array.isArray(tools) ? (tools as ToolDescriptor[]).filter((t) => t && typeof t.name === 'string') : [];
  }

  /** Fill the placeholders of a generated request. */
  materialize(req: FuzzRequest): FuzzRequest {
    const fill = (s: string) => s.split('$TOKEN').join(this.token).split('$APP').join(this.appId ?? 'app_0000000000000000');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers)) headers[k] = fill(v);
    return { ...req, path: fill(req.path), headers, ...(req.body !== undefined ? { body: fill(req.body) } : {}) };
  }

  /** Send a generated request; undefined when the identity's budget is exhausted (nothing was sent). */
  async send(req: FuzzRequest): Promise<Exchange | undefined> {
    const usesToken = [req.path, req.body ?? '', ...Object.values(req.headers)].some((s) => s.includes('$TOKEN'));
    if (usesToken && !(await this.ready())) return undefined;
    const m = this.materialize(req);
    if (usesToken) {
      this.uses++;
      this.sent++;
    }
    return sendRaw(this.ctx, m);
  }

  /** Count a request the check sent with currentToken outside send(). */
  count(n = 1): void {
    this.uses += n;
    this.sent += n;
  }
}

/** Send a materialized request on its plane, exactly as generated (agent requests carry only their own headers). */
export function sendRaw(ctx: CheckContext, req: FuzzRequest): Promise<Exchange> {
  const spec = { method: req.method, path: req.path, headers: req.headers, ...(req.body !== undefined ? { rawBody: req.body } : {}) };
  return req.plane === 'admin' ? ctx.admin.request(spec) : ctx.client().request(spec);
}
