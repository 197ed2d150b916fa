/**
 * The report of a run that stopped before its first check (target unreachable or not OpenPort, admin
 * credentials refused): still a RunReport, so every requested report file is written and a CI upload
 * step finds it.
 */
import type { ToolError } from '../kit/check.js';
import { TOOL_VERSION } from '../kit/paths.js';
import type { RunReport } from './result.js';
import type { RunOptions } from './run.js';

export function unevaluatedReport(opts: RunOptions, err: ToolError, startedAt: Date): RunReport {
  const embedded = opts.url === undefined;
  return {
    tool: { name: 'openport-conform', version: TOOL_VERSION },
    target: { url: embedded ? 'embedded:' : opts.url!, embedded, faults: [...(opts.faults ?? [])] },
    profile: opts.profile ?? 'core',
    safety: opts.safety ?? (embedded ? 'load' : 'read-only'),
    strict: opts.strict ?? false,
    seed: opts.seed ?? 0,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    durationMs: Date.now() - startedAt.getTime(),
    summary: { pass: 0, fail: 0, warn: 0, skip: 0, blocked: 0, error: 0, total: 0, heldBack: 0 },
    heldBack: { ids: [] },
    verdict: 'incomplete',
    exitCode: 3,
    toolError: err.message,
    toolErrorCode: err.code,
    results: [],
    cleanup: { revoked: [], failed: [] },
  };
}
