import type { CheckDef } from '../../src/kit/check.js';
import { mcp001 } from './mcp-001.js';
import { mcp002 } from './mcp-002.js';
import { mcp003 } from './mcp-003.js';
import { mcp004 } from './mcp-004.js';
import { mcp005 } from './mcp-005.js';
import { mcp006 } from './mcp-006.js';
import { mcp007 } from './mcp-007.js';
import { mcp008 } from './mcp-008.js';
import { mcp009 } from './mcp-009.js';
import { mcp010 } from './mcp-010.js';

/** MCP checks: the MCP binding's own rules (docs/mcp-binding.md), judged on --binding mcp only. */
export const mcpChecks: CheckDef[] = [mcp001, mcp002, mcp003, mcp004, mcp005, mcp006, mcp007, mcp008, mcp009, mcp010];
