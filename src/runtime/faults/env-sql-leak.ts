import { errorBody } from './shapes.js';
import type { FaultDef } from './fault.js';

export const fault = {
  name: 'env-sql-leak',
  clauses: ['ENV.no-leak.sql'],
  description: 'A refusal for a missing object quotes the query that found nothing (SELECT … FROM … WHERE …).',
  hooks: errorBody((body) => (body.code.endsWith('not_found') ? { ...body, message: `${body.message}: no row for SELECT * FROM objects WHERE id = $1 LIMIT 1` } : body)),
} as const satisfies FaultDef;
