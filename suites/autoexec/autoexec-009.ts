import { ToolError, type CheckContext, type CheckDef, type Exchange, type Persona } from '../../src/kit/check.js';
import { expectDraftRefusal, fail } from '../../src/kit/expect.js';
import { auditUntil } from '../../src/kit/helpers.js';
import { writeSamples } from '../../src/kit/target.js';
import { summarize } from '../audit/trail.js';
import type { ReasonCode } from '../../src/protocol/codes.js';
import type { AutoExecuteConfig } from '../../src/protocol/types.js';
import { HOUR, createResource, expectIntact, idemKey, justification, marker, neverIssuedId, otherWriteAction, payloadFor, preflight, rejectPending, requestCreate, resourceFor, secondKey, window } from '../lib-write.js';


/**
 * §7: "Gate order for a high-risk execute: enabled → window not expired → action allowed → non-empty
 * justification → idempotencyKey present if required → preflightHash present if required → it equals the
 * recomputed hash; Low/medium: enabled → not expired → allowed." Each case breaks two gates at once (and every
 * other one is met where it can be): the earlier gate's code must answer. A server that tries them in another
 * order answers the later one's. The high-risk cases pair every two gates, neighbours or not.
 */
export const autoexec009: CheckDef = {
  id: 'AUTOEXEC-009',
  safety: 'execute',
  needs: ['admin'],
  description:
    'Where two auto-execute gates would both refuse, the earlier one answers: for a low/medium write disabled before expired before denied; for a high-risk ' +
    'write (the sampled tool and every other high-risk write sample), for every pair of its gates (not only neighbours), the earlier of enabled, window not expired, action allowed, a justification (action_invalid), an idempotencyKey, ' +
    'a preflightHash present and a preflightHash equal to the recomputed one (a wrong hash refused before a missing justification, say). Each refusal is a draft; nothing runs. ' +
    'Every high-risk write sample, under an open high_risk window allowing it, refused by each later gate alone (no justification, no idempotencyKey, no preflightHash, a wrong preflightHash) leaves an audit event of that draft with the refusal code and a denied or failed status.',
  expectedCodes: ['agent.auto_execute_disabled', 'agent.auto_execute_expired', 'agent.auto_execute_denied', 'agent.action_invalid', 'agent.idempotency_required', 'agent.preflight_required', 'agent.preflight_mismatch'],
  async run(ctx) {
    const { create, highRisk } = ctx.target.writes;
    const p = await ctx.persona({ name: 'autoexec-gate-order' });
    try {
      // Low/medium, on the create sample. The action a window allows instead of it: another low/medium write.
      const otherLow = otherWriteAction(ctx, create.action);
      const low = async (cfg: AutoExecuteConfig['writes'] & object, code: ReasonCode, what: string) => {
        if (!(await configure(ctx, p, { writes: cfg }, what))) return;
        const ex = await requestCreate(ctx, p, marker(ctx), { execute: true, idempotencyKey: idemKey(ctx) });
        expectDraftRefusal(ex, code, `low/medium execute ${what}`);
      };
      const lowList = otherLow === undefined ? null : [otherLow];
      if (lowList === null) ctx.partial(`the target has no second low/medium write tool: the low/medium "allowed" gate was not paired`);
      await low({ ...window(ctx, lowList ?? [create.action], -HOUR), enabled: false }, 'agent.auto_execute_disabled', 'under a disabled, expired window');
      if (lowList !== null) await low(window(ctx, lowList, -HOUR), 'agent.auto_execute_expired', `under an expired window allowing only ${otherLow}`);

      // High-risk: the sampled tool on a resource of the check's own, then every other high-risk write sample.
      const r = await createResource(ctx, p);
      const others = writeSamples(ctx.target).filter((x) => x.risk === 'high' && x.action !== highRisk.action);
      for (const sample of [highRisk, ...others]) {
        const payload = sample === highRisk ? payloadFor(highRisk, r) : payloadFor(sample, await resourceFor(ctx, p, sample), marker(ctx));
        const otherHigh = Object.entries(ctx.target.tools).find(([n, t]) => n !== sample.action && t.write && t.risk === 'high')?.[0] ?? create.action;
        const hash = (await preflight(p, sample.action, payload)).impactHash;
        // The seven high-risk gates in the brief's order, each with how an input fails it.
        const gates = highRiskGates(ctx, otherHigh, hash);
        // Each tool's pairs on a key of their own: a fresh rate-limit window for some twenty requests.
        const { client } = await secondKey(ctx, p, `gate pairs key ${sample.action}`);
        const high = async (broken: readonly HighRiskGate[], code: ReasonCode, what: string) => {
          let cfg: HighRiskWindow = window(ctx, [sample.action], HOUR);
          const body: Record<string, unknown> = { action: sample.action, payload, execute: true, justification: justification(ctx), idempotencyKey: idemKey(ctx), preflightHash: hash };
          for (const g of broken) {
            cfg = g.window?.(cfg) ?? cfg;
            g.body?.(body);
          }
          if (!(await configure(ctx, p, { high_risk: cfg }, what))) return;
          expectDraftRefusal(await client.actions(body), code, `high-risk execute of ${sample.action} ${what}`);
        };
        await high([gates[0]!], 'agent.auto_execute_disabled', 'under a high_risk window with enabled:false (every later gate met)');
        // Every pair of gates, not only neighbours: an input failing both is refused by the earlier one.
        for (let i = 0; i < gates.length; i++) {
          for (let j = i + 1; j < gates.length; j++) {
            const [a, b] = [gates[i]!, gates[j]!];
            if (a.excludes === b.name) continue;
            await high([a, b], a.code, `failing both ${a.name} and ${b.name}`);
          }
        }
      }
      await expectIntact(ctx, p, r, 'a withheld high-risk write ran');
      await laterGatesAudited(ctx, p);
    } finally {
      await rejectPending(ctx, p.appId);
    }
  },
};

type HighRiskWindow = AutoExecuteConfig['high_risk'] & object;

/** A high-risk auto-execute gate (§7), its refusal, and how an input fails it: in the window, or in the request body. */
interface HighRiskGate {
  readonly name: string;
  readonly code: ReasonCode;
  readonly window?: (w: HighRiskWindow) => HighRiskWindow;
  readonly body?: (b: Record<string, unknown>) => void;
  /** A gate that cannot fail together with this one (a preflightHash cannot be both absent and wrong). */
  readonly excludes?: string;
}

/**
 * §7's high-risk gates in order. `otherHigh` is an action the window allows instead of the sampled one; `hash` is
 * the right preflightHash, which the last gate replaces with a well-formed wrong one.
 */
function highRiskGates(ctx: CheckContext, otherHigh: string, hash: string): HighRiskGate[] {
  return [
    { name: 'enabled', code: 'agent.auto_execute_disabled', window: (w) => ({ ...w, enabled: false }) },
    { name: 'window not expired', code: 'agent.auto_execute_expired', window: (w) => ({ ...w, expires_at: new Date(ctx.now() - HOUR).toISOString() }) },
    { name: 'action allowed', code: 'agent.auto_execute_denied', window: (w) => ({ ...w, allowed_actions: [otherHigh] }) },
    { name: 'justification', code: 'agent.action_invalid', body: (b) => void delete b.justification },
    { name: 'idempotencyKey', code: 'agent.idempotency_required', body: (b) => void delete b.idempotencyKey },
    { name: 'preflightHash present', code: 'agent.preflight_required', body: (b) => void delete b.preflightHash, excludes: 'preflightHash equal' },
    { name: 'preflightHash equal', code: 'agent.preflight_mismatch', body: (b) => void (b.preflightHash = neverIssuedId(hash)) },
  ];
}

/** Sets the app's auto-execute configuration; an admin plane that refuses it (a past expires_at, say) leaves the case untried. */
async function configure(ctx: CheckContext, p: Persona, cfg: AutoExecuteConfig, what: string): Promise<boolean> {
  try {
    await ctx.admin.setAutoExecute(p.appId, cfg);
    return true;
  } catch (e) {
    if (!(e instanceof ToolError)) throw e;
    ctx.partial(`the admin plane refused the window of the case ${what} (${e.message}); it was not tried`);
    return false;
  }
}

/**
 * §10 "structured audit events across allow, deny and fail paths, with the reason code": every high-risk write
 * sample, on a resource of its own under an open high_risk window allowing them all, is refused by each later gate
 * alone (those of highRiskGates that fail in the body); each refusal's draft has an audit event carrying its code,
 * as a denial or a failure. The trail is read once for all of them, so a server that audits none costs one wait.
 */
async function laterGatesAudited(ctx: CheckContext, app: Persona): Promise<void> {
  const samples = writeSamples(ctx.target).filter((s) => s.risk === 'high');
  if (!(await configure(ctx, app, { high_risk: window(ctx, samples.map((s) => s.action), HOUR) }, "of the later gates' audit events"))) return;
  // A key of its own: the cases above used much of one key's rate-limit share.
  const p = { ...app, ...(await secondKey(ctx, app, 'later gates key')) };
  const refused: { what: string; code: ReasonCode; draft: string; ex: Exchange }[] = [];
  for (const sample of samples) {
    const payload = payloadFor(sample, await resourceFor(ctx, p, sample), marker(ctx));
    const pf = await preflight(p, sample.action, payload);
    const full = { action: sample.action, payload, execute: true, justification: justification(ctx), preflightHash: pf.impactHash, ...(pf.stateWitnessHash ? { stateWitnessHash: pf.stateWitnessHash } : {}) };
    // The gates after "action allowed" (they fail in the body alone), each broken on its own.
    for (const gate of highRiskGates(ctx, sample.action, pf.impactHash).filter((g) => g.body)) {
      const body: Record<string, unknown> = { ...full, idempotencyKey: idemKey(ctx) };
      gate.body!(body);
      const what = `high-risk ${sample.action} failing ${gate.name}`;
      const ex = await p.client.actions(body);
      refused.push({ what, code: gate.code, draft: expectDraftRefusal(ex, gate.code, what).draft.id, ex });
    }
  }
  const recorded = (r: (typeof refused)[number]) => (e: { draft_id: string | null; code?: string | null; status: string }) => e.draft_id === r.draft && e.code === r.code && (e.status === 'denied' || e.status === 'failed');
  const events = await auditUntil(ctx, p.appId, (all) => refused.every((r) => all.some(recorded(r))));
  const missing = refused.filter((r) => !events.some(recorded(r)));
  if (missing.length > 0) {
    const shown = missing[0]!;
    fail(`${missing.length} of ${refused.length} refusals by the later high-risk gates left no audit event with the refusal code (${missing.map((r) => r.what).join('; ')})`,
      `for each, an audit event with the draft id, status denied (or failed) and the code (${shown.code} for the first)`,
      `events for the first one's draft ${shown.draft}: ${summarize(events.filter((e) => e.draft_id === shown.draft))}`, shown.ex);
  }
}
