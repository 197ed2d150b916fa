import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-sql-leak',
  clauses: ['ENV.no-leak.sql'],
  description: 'A refusal for a missing object quotes the query that found nothing (SELECT … FROM … WHERE …).',
  hooks: {
    errorEnvelope: (next) => (err) => {
      const reply = next(err);
      if (reply.body.code.endsWith('not_found')) reply.body.message = `${reply.body.message}: no row for SELECT * FROM objects WHERE id = $1 LIMIT 1`;
      return reply;
    },
  },
} as const satisfies FaultDef;
