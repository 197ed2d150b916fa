import { validationIssues, without } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-validation-issue-no-path',
  clauses: ['ENV.validation.issue.path'],
  description: 'Validation failures list their issues without the path of each.',
  hooks: validationIssues((i) => without(i, 'path')),
} as const satisfies FaultDef;
