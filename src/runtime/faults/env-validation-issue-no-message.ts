import { validationIssues, without } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-issue-no-message',
  clauses: ['ENV.validation.issue.message'],
  description: 'Validation failures list their issues without the message of each.',
  hooks: validationIssues((i) => without(i, 'message')),
} as const satisfies FaultDef;
