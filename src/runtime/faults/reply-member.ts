/**
 * Building blocks of faults that break one member of a success reply through the replyData decision point
 * (src/runtime/hooks.ts): each clause about "member X of reply Y" gets its own one-line fault file, and the
 * walking of the reply lives here once. Replies are copied, never edited in place: the runtime keeps and
 * re-sends some of the objects it hands to replyData (an app's manifest, the audit log's events).
 */
import type { HookOverrides } from '../hooks.js';
import type { Json } from '../errors.js';

type Plane = 'agent' | 'admin';

/** Overrides replyData so that the data of `route` on `plane` passes through `edit`; every other reply is as built. */
export function editReply(plane: Plane, route: string, edit: (data: Json) => Json): HookOverrides {
  return {
    replyData: (next) => (p, r, data) => {
      const out = next(p, r, data);
      return p === plane && r === route ? edit(out) : out;
    },
  };
}

/** A copy of `obj` without `member`. */
export function without(obj: Json, member: string): Json {
  const { [member]: _dropped, ...rest } = obj;
  return rest;
}

/** `data` with each object of its array `list` passed through `edit` (the objects `keep` selects; all by default). */
export function editEach(data: Json, list: string, edit: (item: Json) => Json, keep: (item: Json) => boolean = () => true): Json {
  const items = data[list];
  if (!Array.isArray(items)) return data;
  return { ...data, [list]: items.map((it) => (it !== null && typeof it === 'object' && !Array.isArray(it) && keep(it as Json) ? edit(it as Json) : it)) };
}

/** Overrides the manifest so that `member` is absent from each tool `keep` selects. */
export function manifestToolWithout(member: string, keep?: (tool: Json) => boolean): HookOverrides {
  return editReply('agent', 'GET /manifest', (data) => editEach(data, 'tools', (t) => without(t, member), keep));
}

/** Overrides the manifest so that `member` is absent from its app object. */
export function manifestAppWithout(member: string): HookOverrides {
  return editReply('agent', 'GET /manifest', (data) => (data.app && typeof data.app === 'object' ? { ...data, app: without(data.app as Json, member) } : data));
}

/** Overrides the audit listing (GET /audit) so that every event passes through `edit`. */
export function auditEventsEdited(edit: (event: Json) => Json): HookOverrides {
  return editReply('admin', 'GET /audit', (data) => editEach(data, 'items', edit));
}

/** Overrides the audit listing (GET /audit) so that `member` is absent from every event. */
export function auditEventsWithout(member: string): HookOverrides {
  return auditEventsEdited((e) => without(e, member));
}
