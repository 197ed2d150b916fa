import { validationIssues, without } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-issue-no-code',
  clauses: ['ENV.validation.issue.code'],
  description: 'Validation failures list their issues without the code of each.',
  hooks: validationIssues((i) => without(i, 'code')),
} as const satisfies FaultDef;
