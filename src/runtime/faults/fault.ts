import type { HookEnv, HookOverride, HookOverrides } from '../hooks.js';
import type { ClauseBinding } from '../../protocol/clauses.js';

/**
 * What every fault file exports: its name, the clauses of the protocol brief it breaks, one line on the
 * defect, and the defect itself: the decision points (src/runtime/hooks.ts) it overrides, ideally one.
 */
export interface FaultDef {
  readonly name: string;
  /**
   * Ids of src/protocol/clauses.ts that this defect breaks, ideally one. The requirements whose checks must
   * catch it are derived from them (faultRequirements): the fault names no requirement of its own.
   */
  readonly clauses: readonly string[];
  /**
   * The bindings the defect can be reached over, when fewer than its clauses': a defect in how HTTP requests
   * are read (a header the server should not trust) breaks a binding-neutral clause, yet no MCP client sends
   * that header. Default: every binding its clauses hold on.
   */
  readonly bindings?: readonly ClauseBinding[];
  readonly description: string;
  readonly hooks: HookOverrides;
}

/**
 * For the faults that break a rule off the path a suite samples: whether `tool` is a write tool of risk `risk`
 * that the domain lists after its first of that risk (the demo's hard delete and export after its delete, the
 * helpdesk's delete, export and bulk reassignment after its close).
 */
export function laterOfRisk(env: HookEnv, tool: string | undefined, risk: 'low' | 'medium' | 'high'): boolean {
  const writes = env.tools.filter((x) => x.requiresConfirmation && x.risk === risk);
  return writes.findIndex((x) => x.name === tool) > 0;
}

/** The body of the POST /actions being answered, per runtime (set by noteAction; another request clears it). */
const asked = new WeakMap<object, Readonly<Record<string, unknown>> | undefined>();

/**
 * The requestBody hook of the faults whose defect lies on one path of POST /actions: it notes the body of the
 * request being answered (it is read before the handler), for actionBody and the helpers below.
 */
export const noteAction: HookOverride<'requestBody'> = (next, env) => (route, body) => {
  asked.set(env.store, route === 'POST /actions' ? body : undefined);
  return next(route, body);
};

/** The body of the POST /actions being answered, undefined while another request is (the fault's hooks include noteAction). */
export function actionBody(env: HookEnv): Readonly<Record<string, unknown>> | undefined {
  return asked.get(env.store);
}

/** Whether the request being answered is a POST /actions asking to execute at once (the fault's hooks include noteAction). */
export function asksToExecute(env: HookEnv): boolean {
  return actionBody(env)?.execute === true;
}

/** The tool the POST /actions being answered names (the fault's hooks include noteAction). */
export function actionAsked(env: HookEnv): unknown {
  return actionBody(env)?.action;
}

/** The preflightId the POST /actions being answered names, when it names one and no preflightHash (the fault's hooks include noteAction). */
export function preflightIdWithoutHash(env: HookEnv): string | undefined {
  const a = actionBody(env);
  return typeof a?.preflightId === 'string' && a.preflightHash === undefined ? a.preflightId : undefined;
}
