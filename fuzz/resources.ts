/** Resources the fuzz checks create in the tenant for their scenarios: the target's create tool, then review. */
import { Skip, type AgentClient, type CheckContext, type Exchange } from '../src/engine/check.js';
import { describe } from '../src/engine/expect.js';
import { listDrafts } from '../src/engine/helpers.js';

function dataOf(ex: Exchange): any {
  const j = ex.response.json as { ok?: unknown; data?: unknown } | undefined;
  return j?.ok === true ? j.data : undefined;
}

function at(value: unknown, path: string): unknown {
  let v: any = value;
  for (const part of path.split('.')) v = v?.[part];
  return v;
}

/**
 * Create one resource and return its id and the draft that created it. The draft is approved through the
 * admin plane; a server that executed it at once (a defect other checks report) still yields the resource.
 */
export async function createResource(ctx: CheckContext, client: AgentClient, title: string): Promise<{ resourceId: string; draftId: string }> {
  const c = ctx.target.writes.create;
  const path = c.resultIdPath ?? 'id';
  const ex = await client.actions({ action: c.action, payload: { ...c.payload, title } });
  const d = dataOf(ex);
  const draftId = d?.draft?.id;
  if (typeof draftId !== 'string') throw new Skip(`could not draft a resource for the scenario: ${describe(ex)}`);
  let result = d.execution?.result;
  if (result === undefined) {
    const ap = await ctx.admin.approve(draftId, `${ctx.checkId} set-up`);
    result = dataOf(ap)?.execution?.result;
    if (result === undefined) throw new Skip(`approving the set-up draft returned no execution result: ${describe(ap)}`);
  }
  const id = at(result, path);
  if (typeof id !== 'string') throw new Skip(`the set-up write returned no resource id at result.${path}`);
  return { resourceId: id, draftId };
}

/**
 * Reject every draft the fuzzing left pending for these apps: revoking an app does not settle its drafts,
 * and a human review queue is no place for generated traffic. Problems are noted, never raised.
 */
export async function settlePending(ctx: CheckContext, appIds: readonly string[]): Promise<void> {
  for (const appId of appIds) {
    try {
      for (const d of await listDrafts(ctx, appId, 'draft')) await ctx.admin.reject(d.id, `${ctx.checkId} cleanup`);
    } catch (e) {
      ctx.note(`cleanup of pending drafts of ${appId} failed: ${(e as Error).message}`);
    }
  }
}
