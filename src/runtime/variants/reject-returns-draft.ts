import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'reject-returns-draft',
  description: 'POST /drafts/{id}/reject answers data {draft} (the canceled draft) instead of {draftStatus}.',
  allowedBy: 'Brief section 3 names "POST /drafts/{id}/reject {note?}" without a response shape; no fixture records one.',
  hooks: {
    rejectReply: () => (draft) => ({ draft }),
  },
};
