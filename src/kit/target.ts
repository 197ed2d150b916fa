/**
 * What the checks know about a target's domain: a target description. Nothing in the checks names a route,
 * tool, field or tenant of a particular domain; all of it comes from here. The shipped descriptions live in
 * fixtures/targets/ (demo.yaml is the protocol brief's demo domain and the default; helpdesk.yaml the
 * reference runtime's second domain); a vendor writes their own (docs/targets.md). Loading and validation:
 * target-file.ts.
 */
import type { Risk } from '../protocol/types.js';

/** Query arguments of a read, binding-neutral (the HTTP binding sends them as query parameters). */
export type ReadArgs = Record<string, string | number | boolean>;

export interface ReadRoute {
  /** Tool name as in the manifest. */
  tool: string;
  /** HTTP binding: the route of the tool, relative to the base URL. */
  path: string;
  /** Default arguments the read needs to succeed (e.g. the container). */
  query?: ReadArgs;
  scopes: string[];
}

/** A read by tool name with arguments (merged over the tool's default query). */
export interface ReadCall { tool: string; query?: ReadArgs }

/** How a read-back shows that a write ran: the resource is gone, or `field` has the value `equals`. */
export interface WriteEffect { absent?: boolean; field?: string; equals?: unknown }

export interface WriteSample {
  action: string;
  risk: Risk;
  scopes: string[];
  /** Payload template. The string "$resourceId" is replaced by a resource id the check created or chose. */
  payload: Record<string, unknown>;
  /** True when preflight returns a stateWitness for it. */
  witnessed?: boolean;
  /** Dotted path, inside an execution's `result`, of the id of the resource the write created (creates only). */
  resultIdPath?: string;
  /** Exports only: dotted path, inside an execution's `result`, of the number of rows it delivered (max_export_rows bounds it). */
  rowCountPath?: string;
  /** Writes that read a date range (an export): the payload fields bounding it, which max_days bounds (ABAC-004). */
  window?: { startField: string; endField: string };
  /** What the write does to its resource, as a read-back shows it (the high-risk sample needs it). */
  effect?: WriteEffect;
}

export interface ResolvedTarget {
  /** The tenant of the personas the tool provisions. */
  orgId: string;
  /** A second tenant for cross-tenant checks (provisioned as apps with this org_id). */
  otherOrgId: string;
  /** Every scope the server knows. */
  scopes: string[];
  /** Tool name → required scopes, for every tool (visible or not) the server exposes. */
  tools: Record<string, { scopes: string[]; risk: Risk; write: boolean }>;
  reads: ReadRoute[];
  /**
   * Containers of the tenant's resources (what data-policy allow-lists name): the primary one reads and writes
   * use, a second one for allow-list checks, the query argument that selects one, the read that lists a
   * container's resources and (optionally) the read that lists containers.
   */
  containers: { primary: string; secondary: string; queryParam: string; contentsTool: string; listTool?: string };
  /** A resource of the tenant that exists before the run (read-only checks and cross-tenant probes use it). */
  existingResourceId: string;
  /** Values of the existing resource that must never appear in a denial body (non-disclosure). */
  existingResourceMarkers: string[];
  writes: {
    /** A medium-risk create (not witnessed). */
    create: WriteSample;
    /** A witnessed medium-risk update of "$resourceId". */
    update: WriteSample;
    /** A witnessed high-risk write of "$resourceId", with its effect. */
    highRisk: WriteSample;
    /**
     * How State Witness checks cause drift: an update of "$resourceId" that changes the resource's version
     * but not the high-risk tool's impact (so a stale witness, not a stale impact hash, is what is tested).
     * "$random" is replaced by a fresh string.
     */
    drift: WriteSample;
    /** Samples of further write tools, for checks that call every write tool. */
    others?: WriteSample[];
    /**
     * A write the tool accepts as a draft but refuses when it executes (an execution error with no effect), for
     * the failure path. Not a sample of its tool: writeSamples leaves it out.
     */
    failing?: WriteSample;
  };
  /** How to list resources to read one back: a read returning data.<itemsField>[] with <idField>. */
  readBack: ReadCall & { itemsField: string; idField: string };
  /** Fields that allow_sensitive_fields:false must redact on the read `sensitiveRead`. */
  sensitiveFields: string[];
  sensitiveRead: ReadCall;
  /** The windowed read (max_days): its range arguments and the row field the window applies to. */
  dateRange: ReadCall & { startParam: string; endParam: string; field: string; format?: 'calendar-day' | 'date-time' };
  /** Field names of the data policy that are the domain's own. */
  dataPolicy: { containerField: string };
  rateLimit: { limit: number; windowMs: number };
  /**
   * The MCP endpoint's session quotas (docs/mcp-binding.md T7), as far as the description declares them: how
   * many sessions one key, one tenant, the endpoint may hold. MCP-008 takes its bound from them.
   */
  mcpSessionQuotas?: { perKey?: number; perTenant?: number; total?: number };
  /**
   * The largest request body the server accepts, in bytes, when the description declares it: MCP-010 sends a
   * body just over it (and none when it is unknown: a guessed cap could only give a false alarm).
   */
  bodyLimitBytes?: number;
  /** Which parts bind the server (see the schema): a fixed tool map makes a missing tool a finding; unfixed sensitive fields are a guess. */
  fixed?: { tools?: boolean; sensitiveFields?: boolean; rateLimit?: boolean };
}

/** Every write sample of the target, each tool once (create, update, high-risk, drift, others). */
export function writeSamples(t: ResolvedTarget): WriteSample[] {
  const all = [t.writes.create, t.writes.update, t.writes.highRisk, t.writes.drift, ...(t.writes.others ?? [])];
  return all.filter((s, i) => all.findIndex((o) => o.action === s.action) === i);
}
