import type { CheckDef } from '../../src/kit/check.js';
import { refusesForeign } from './lib.js';

export const mcp007: CheckDef = {
  id: 'MCP-007',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['mcp'],
  description: 'initialize with a valid token and a foreign Origin header (https://openport-conform.invalid) is refused.',
  run: (ctx) => refusesForeign(ctx, 'origin', 'https://openport-conform.invalid'),
};
