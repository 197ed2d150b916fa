/**
 * What the checks need to know about a target's domain. For a server exposing the brief's demo domain
 * DEMO_TARGET is complete; a target file (YAML, fixtures/target.example.yaml) overrides any part of it.
 * Loading and validation of target files lives in target-file.ts.
 */
import type { Risk } from '../protocol/types.js';

export interface ReadRoute {
  /** Tool name as in the manifest, e.g. "ledger.list". */
  tool: string;
  /** Path with query, relative to the base URL. */
  path: string;
  scopes: string[];
}

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
  /** A ledger (container) of the tenant that reads and writes use, and a second one for allow-list policy checks. */
  containers: { primary: string; secondary: string; queryParam: string };
  /** A resource of the tenant that exists before the run (read-only checks and cross-tenant probes use it). */
  existingResourceId: string;
  /** Values of the existing resource that must never appear in a denial body (non-disclosure). */
  existingResourceMarkers: string[];
  writes: {
    /** A medium-risk create (not witnessed). */
    create: WriteSample;
    /** A witnessed medium-risk update of "$resourceId". */
    update: WriteSample;
    /** A witnessed high-risk write (delete) of "$resourceId". */
    highRisk: WriteSample;
    /**
     * How State Witness checks cause drift: an update of "$resourceId" that changes the resource's version
     * but not the high-risk tool's impact (so a stale witness, not a stale impact hash, is what is tested).
     * "$random" is replaced by a fresh string.
     */
    drift: WriteSample;
  };
  /** How to list resources to read one back: GET path (with container) returning data.items[] with `id`. */
  readBack: { path: string; itemsField: string; idField: string };
  /** Fields that allow_sensitive_fields:false must redact on the read route `sensitiveRead`. */
  sensitiveFields: string[];
  sensitiveRead: string;
  /** Date-range query parameters of the windowed read (max_days checks). */
  dateRange: { path: string; startParam: string; endParam: string };
  rateLimit: { limit: number; windowMs: number };
}

export const DEMO_TARGET: ResolvedTarget = {
  orgId: 'org_demo',
  otherOrgId: 'org_conform_other',
  scopes: ['ledger.read', 'transaction.read', 'transaction.write', 'transaction.delete', 'transaction.export'],
  tools: {
    'ledger.list': { scopes: ['ledger.read'], risk: 'low', write: false },
    'transaction.list': { scopes: ['transaction.read'], risk: 'low', write: false },
    'transaction.create': { scopes: ['transaction.write'], risk: 'medium', write: true },
    'transaction.update': { scopes: ['transaction.write'], risk: 'medium', write: true },
    'transaction.delete': { scopes: ['transaction.delete'], risk: 'high', write: true },
    'transaction.hard_delete': { scopes: ['transaction.delete'], risk: 'high', write: true },
    'transactions.export_csv': { scopes: ['transaction.read', 'transaction.export'], risk: 'high', write: true },
  },
  reads: [
    { tool: 'ledger.list', path: '/api/agent/v1/ledgers', scopes: ['ledger.read'] },
    { tool: 'transaction.list', path: '/api/agent/v1/transactions?ledgerId=ledger_main', scopes: ['transaction.read'] },
  ],
  containers: { primary: 'ledger_main', secondary: 'ledger_ops', queryParam: 'ledgerId' },
  existingResourceId: 'txn_1',
  existingResourceMarkers: ['Consulting payment'],
  writes: {
    create: {
      action: 'transaction.create',
      risk: 'medium',
      scopes: ['transaction.write'],
      payload: { ledgerId: 'ledger_main', kind: 'expense', title: 'openport-conform probe', amount_home: 1.25 },
      resultIdPath: 'transaction.id',
    },
    update: {
      action: 'transaction.update',
      risk: 'medium',
      scopes: ['transaction.write'],
      payload: { transactionId: '$resourceId', title: 'openport-conform update' },
      witnessed: true,
    },
    highRisk: {
      action: 'transaction.delete',
      risk: 'high',
      scopes: ['transaction.delete'],
      payload: { transactionId: '$resourceId' },
      witnessed: true,
    },
    drift: {
      action: 'transaction.update',
      risk: 'medium',
      scopes: ['transaction.write'],
      payload: { transactionId: '$resourceId', notes: '$random' },
      witnessed: true,
    },
  },
  readBack: { path: '/api/agent/v1/transactions?ledgerId=ledger_main&pageSize=200', itemsField: 'items', idField: 'id' },
  sensitiveFields: ['notes'],
  sensitiveRead: '/api/agent/v1/transactions?ledgerId=ledger_main&pageSize=200',
  dateRange: { path: '/api/agent/v1/transactions?ledgerId=ledger_main', startParam: 'startDate', endParam: 'endDate' },
  rateLimit: { limit: 240, windowMs: 60_000 },
};
