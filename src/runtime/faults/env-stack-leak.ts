import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-stack-leak',
  breaks: 'ENV-005',
  description: 'Validation error messages include a stack trace with file paths.',
} as const satisfies FaultDef;

/** The defect: the kind of message a framework produces when it serialises the Error instead of its text. */
export function withStack(message: string): string {
  return `${message}\n${new Error(message).stack ?? ''}`;
}
