import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'created-201',
  description: 'Admin routes that create (POST /apps, POST /apps/{id}/keys) answer HTTP 201 with the usual common.success envelope.',
  allowedBy: 'Brief section 4 fixes the envelope {ok:true, code:"common.success", data}, not the 2xx status of a creation; 201 Created is the HTTP status for it.',
  hooks: {
    createdStatus: () => () => 201,
  },
};
