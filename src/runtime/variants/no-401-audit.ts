import { isReasonCode, REASON_CODES, type ReasonCodeInfo } from '../../protocol/codes.js';
import type { VariantDef } from './variant.js';

export const variant: VariantDef = {
  name: 'no-401-audit',
  description: 'Refusals with HTTP 401 (unknown, revoked or expired token) leave no audit event.',
  allowedBy: 'AUDIT-003 (failed requests of a known key leave an audit event) is a SHOULD; brief section 10 requires events for allow, deny and fail paths of identified agents.',
  givesUp: ['AUDIT-003'],
  hooks: {
    auditEvent: (next) => (s, e) => {
      const status = isReasonCode(e.code) ? (REASON_CODES[e.code] as ReasonCodeInfo).status : null;
      if (status !== 401) next(s, e);
    },
  },
};
