/** The result model: one shape for every reporter, the baseline/gate, shard merging and evidence bundles. */
import type { Layer, Level } from '../protocol/requirements.js';
import type { BindingName, Observation, Safety } from '../kit/check.js';
import type { ToolErrorCode } from '../kit/tool-errors.js';
import type { JournalSummary } from './journal.js';

export type { Observation };

export const STATUSES = ['pass', 'fail', 'warn', 'skip', 'blocked', 'error'] as const;
export type Status = (typeof STATUSES)[number];
/**
 * 'selection-passed': every MUST of an --only/--exclude subset ran and passed — which says nothing about the
 * profile, so it is never called conformant.
 */
export type Verdict = 'conformant' | 'not-conformant' | 'incomplete' | 'selection-passed';
/**
 * The release gate's verdict, in its own words so it is never mistaken for a profile verdict: a gate passes
 * on accepted (baselined) failures and without the checks above its safety, which a profile never does.
 */
export type GateVerdict = 'passed' | 'failed' | 'incomplete' | 'selection-passed';
/** A step of the release gate other than its profile step (release-tree, deployment, baseline) and how it ended. */
export interface GateStepOutcome { name: string; status: 'pass' | 'fail' | 'error' | 'skipped' }

/** The failing exchange of a finding, redacted and with bodies cut to a few KiB, for reports a reader opens. */
export interface ResultExchange {
  request: { method: string; path: string; headers: Record<string, string>; body?: string };
  response: { status: number; headers: Record<string, string>; body: string };
}

/**
 * A finding as data (fail and warn results): what baselines, SARIF, shard merging and verify read. The
 * result's `message`, `expected`, `actual` and `reproduce` are the same finding rendered for a reader.
 */
export interface FindingData {
  /** What the requirement calls for: status and reason code where one is expected, and the words shown. */
  expected: Observation;
  /** What the target did: the failing exchange's status and reason code, the JSON pointer that differs. */
  actual: Observation;
  /**
   * The failing request: method and path template without query or minted ids (`POST /api/agent/v1/drafts/:id`);
   * of a generated request, the pattern of the route it was aimed at (`GET /api/agent/v1/drafts/:id`).
   */
  route?: string;
  /** The failing request was generated from the run's seed (a fuzz counterexample): the fingerprint leaves its route out. */
  generated?: true;
  /** Journal sequence numbers of the exchanges the finding rests on, the failing one first (transcript.har `_seq`). */
  exchanges: number[];
  /** The sentence of the protocol brief the requirement rests on (the requirement table's basis). */
  basis: string;
  /** A public URL where the basis can be read: the authors' specification at a pinned commit, or the paper (src/protocol/sources.ts). */
  source?: string;
  /** The command that replays this check of this run (a fuzz finding: that counterexample). */
  replay?: string;
}

export interface CheckResult {
  id: string;
  level: Level;
  layer: Layer;
  title: string;
  safety: Safety;
  status: Status;
  /** Why this status: the finding, the skip reason, the error. */
  message?: string;
  /** On a pass: the parts of the check that did not run (a partial pass, which certify never takes for a full one). */
  partial?: string[];
  expected?: string;
  actual?: string;
  /** A ready-to-paste reproduction: a curl line (tokens redacted) or a replay command. */
  reproduce?: string;
  /** For skip/blocked: the flag or config that would let it run. */
  hint?: string;
  /** For fail/warn with one failing request: that request and its response. */
  exchange?: ResultExchange;
  /** For fail/warn: the finding as data. */
  finding?: FindingData;
  /** For error: the stable code of what kept the tool from evaluating (src/kit/tool-errors.ts). */
  errorCode?: ToolErrorCode;
  durationMs: number;
  /** Set by the gate when a baseline entry accepts this failure (it still counts as what it is). */
  suppression?: { justification: string; link?: string; fingerprint: string };
}

export interface RunReport {
  tool: { name: 'openport-conform'; version: string };
  /**
   * Target URL, or "embedded:" for the in-process reference runtime; `domain` when it served one other than the
   * demo; `description` the digest of the --target file the run was given (withDescription).
   */
  target: { url: string; embedded: boolean; faults: string[]; domain?: string; description?: string };
  profile: string;
  safety: Safety;
  strict: boolean;
  seed: number;
  startedAt: string;
  finishedAt: string;
  durationMs: number;
  summary: Record<Status, number> & { total: number; heldBack: number };
  /** Checks of the profile not run because their safety class is above --safety, and the flag that allows them. */
  heldBack: { ids: string[]; flag?: string };
  /** Present when --only/--exclude narrowed the profile: the patterns and the ids they kept. */
  selection?: { only: string[]; exclude: string[]; ids: string[] };
  verdict: Verdict;
  exitCode: 0 | 1 | 3;
  results: CheckResult[];
  /** --binding mcp: the agent plane's binding, its endpoint, and the checks that judge only another binding (skipped, outside the verdict). */
  binding?: { name: BindingName; endpoint: string; notApplicable: string[] };
  /** --shard i/n: this report holds one piece of the selection (`merge` combines the pieces). */
  shard?: { index: number; count: number };
  /** Why nothing could be evaluated (unreachable target, refused admin credentials): the run stopped before any check. */
  toolError?: string;
  /** The stable code of `toolError` (src/kit/tool-errors.ts). */
  toolErrorCode?: ToolErrorCode;
  /**
   * Why the run stopped before all its checks ended, starting "interrupted" (a signal, or the --max-time
   * budget spent); also "interrupted: the run is still in progress" in the report.json written while it runs.
   * The verdict of such a run says so (incomplete, unless what it found already fails it).
   */
  stopped?: string;
  /**
   * Present when the release gate judged this report: the gate's verdict, from these results (baselined
   * failures, those carrying `suppression`, accepted; checks held back by the declared --safety outside it)
   * and its other steps (any failed: failed; any in error: incomplete). `verdict` and `exitCode` above stay
   * the profile verdict as `run` gives it.
   */
  gate?: { baseline: string | null; steps?: GateStepOutcome[]; verdict: GateVerdict; exitCode: 0 | 1 | 3; text: string };
  /** What the run provisioned and cleaned up (app ids), and what it could not clean up. */
  cleanup: { revoked: string[]; failed: string[] };
  /**
   * Where the run's exchanges went: the journal file (null when the run wrote none), how many entries it
   * holds, and `truncated` when its byte cap cut it (a transcript built from it is incomplete);
   * `notInMemory` counts exchanges the bounded in-memory sample no longer held at the end.
   */
  evidence?: { journal: JournalSummary; notInMemory: number };
}

export type RunEvent =
  | { type: 'start'; total: number; profile: string; target: string }
  | { type: 'result'; result: CheckResult; done: number; total: number }
  | { type: 'end'; report: RunReport };
