import type { FaultDef } from './fault.js';

/** The kind of message a framework produces when it serialises the Error instead of its text. */
function withStack(message: string): string {
  return `${message}\n${new Error(message).stack ?? ''}`;
}

export const fault = {
  name: 'env-stack-leak',
  clauses: ['ENV.no-leak.stack-trace', 'ENV.no-leak.file-path'],
  description: 'Validation error messages include a stack trace with file paths.',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (err.code === 'common.validation') reply.body.message = withStack(reply.body.message);
      return reply;
    },
  },
} as const satisfies FaultDef;
