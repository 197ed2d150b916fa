import type { FaultDef } from './fault.js';

/** The key of the agent request being answered, per runtime (set where the key is looked up). */
const askingKey = new WeakMap<object, string>();

export const fault = {
  name: 'write-draft-poll-own-key-only',
  clauses: ['WRITE.poll.draft'],
  description: 'GET /drafts/{id} answers 404 agent.draft_not_found to every key but the one that made the draft, even a key of the same app.',
  hooks: {
    lookupKey: (next, env) => (tokenHash) => {
      const key = next(tokenHash);
      if (key) askingKey.set(env.store, key.id);
      return key;
    },
    draftVisible: (next, env) => (draft, app) => next(draft, app) && draft.key_id === askingKey.get(env.store),
  },
} as const satisfies FaultDef;
