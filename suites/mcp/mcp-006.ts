import type { CheckDef } from '../../src/kit/check.js';
import { refusesForeign } from './lib.js';

export const mcp006: CheckDef = {
  id: 'MCP-006',
  safety: 'read-only',
  needs: ['token'],
  bindings: ['mcp'],
  description: 'initialize with a valid token and a Host header naming another server (openport-conform.invalid) is refused.',
  run: (ctx) => refusesForeign(ctx, 'host', 'openport-conform.invalid'),
};
