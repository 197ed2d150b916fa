/** Resources the fuzz checks create in the tenant for their scenarios: the target's create tool, then review. */
import { Skip, type AgentClient, type CheckContext } from '../src/kit/check.js';
import { dataOf } from '../src/kit/clients.js';
import { describe } from '../src/kit/expect.js';
import { markedCreateOrSkip, valueAt } from '../src/kit/helpers.js';

/**
 * Create one resource and return its id and the draft that created it. The draft is approved through the
 * admin plane; a server that executed it at once (a defect other checks report) still yields the resource.
 */
export async function createResource(ctx: CheckContext, client: AgentClient, title: string): Promise<{ resourceId: string; draftId: string }> {
  const c = ctx.target.writes.create;
  const path = c.resultIdPath ?? 'id';
  const ex = await client.actions({ action: c.action, payload: markedCreateOrSkip(ctx.target, title) });
  const d = dataOf(ex);
  const draftId = d?.draft?.id;
  if (typeof draftId !== 'string') throw new Skip(`could not draft a resource for the scenario: ${describe(ex)}`);
  let result = d.execution?.result;
  if (result === undefined) {
    const ap = await ctx.admin.approve(draftId, `${ctx.checkId} set-up`);
    result = dataOf(ap)?.execution?.result;
    if (result === undefined) throw new Skip(`approving the set-up draft returned no execution result: ${describe(ap)}`);
  }
  const id = valueAt(result, path);
  if (typeof id !== 'string') throw new Skip(`the set-up write returned no resource id at result.${path}`);
  return { resourceId: id, draftId };
}

