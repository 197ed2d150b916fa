/**
 * Read-only access to a target's admin plane, for the gate's deployment scan: the live server (with the
 * admin headers given) or a fresh embedded reference runtime. GET only; nothing is provisioned.
 */
import { ToolError } from '../kit/check.js';
import { USER_AGENT } from '../kit/paths.js';
import type { DomainName } from '../runtime/domains.js';
import { HttpTransport, InProcessTransport, type Transport } from './transport.js';
import { ADMIN_BASE } from '../protocol/types.js';

export interface AdminReader {
  /** "embedded:" or the base URL. */
  label: string;
  /** GET `${ADMIN_BASE}${path}` and return the envelope's data; a refusal or a non-envelope is a ToolError (3). */
  get(path: string): Promise<unknown>;
  close(): Promise<void>;
}

/** The embedded runtime a reader without a URL opens: the faults and domain of the run it serves. */
export interface EmbeddedDeployment {
  faults?: string[];
  domain?: DomainName;
}

async function embeddedRuntime(embedded: EmbeddedDeployment) {
  const { createRuntime } = await import('../runtime/runtime.js');
  const { loadSelections } = await import('../runtime/name-set.js');
  return createRuntime({ ...(await loadSelections(embedded.faults ?? [], [])), ...(embedded.domain ? { domain: embedded.domain } : {}) });
}

/**
 * The list an admin-plane listing answers, from its envelope's data: the array under `items` (the protocol
 * authors' listings), under `key` (`apps`, `tools`), or the data itself; undefined for any other shape.
 */
export function listedItems(data: unknown, key: string): unknown[] | undefined {
  if (Array.isArray(data)) return data;
  const o = typeof data === 'object' && data !== null ? (data as Record<string, unknown>) : {};
  return [o.items, o[key]].find(Array.isArray);
}

/** What an answer of a shape a reader does not know holds, for its message: `an object with the keys a, b`, `null`, `a string`. */
export function shapeOf(data: unknown): string {
  if (data === null || data === undefined) return String(data);
  if (Array.isArray(data)) return 'an array';
  if (typeof data !== 'object') return `a ${typeof data}`;
  const keys = Object.keys(data);
  return keys.length === 0 ? 'an empty object' : `an object with the key${keys.length > 1 ? 's' : ''} ${keys.slice(0, 5).join(', ')}${keys.length > 5 ? ', …' : ''}`;
}

export async function openAdminReader(url: string | undefined, adminHeaders: Record<string, string> | undefined, timeoutMs = 10_000, embedded: EmbeddedDeployment = {}): Promise<AdminReader> {
  let transport: Transport;
  let headers = adminHeaders ?? {};
  if (url === undefined) {
    const runtime = await embeddedRuntime(embedded);
    transport = new InProcessTransport(runtime);
    headers = adminHeaders ?? runtime.adminHeaders;
  } else transport = new HttpTransport(url, timeoutMs);
  return {
    label: transport.baseUrl,
    async get(path) {
      const ex = await transport.send({ method: 'GET', path: `${ADMIN_BASE}${path}`, headers: { ...headers, 'user-agent': USER_AGENT } }, AbortSignal.timeout(timeoutMs));
      const body = ex.response.json as { ok?: boolean; code?: string; data?: unknown } | undefined;
      if (ex.response.status !== 200 || body?.ok !== true) {
        throw new ToolError(`GET ${ADMIN_BASE}${path} on ${transport.baseUrl} answered HTTP ${ex.response.status}${body?.code ? ` ${body.code}` : ''}; the deployment scan needs admin headers that may read apps and tools`, 'OPC_E_ADMIN_REFUSED');
      }
      return body.data;
    },
    close: () => transport.close(),
  };
}

/** The files an embedded runtime with `embedded`'s faults and domain ships in its release, path → text. */
export async function embeddedReleaseFiles(embedded: EmbeddedDeployment = {}): Promise<Readonly<Record<string, string>>> {
  const runtime = await embeddedRuntime(embedded);
  try {
    return runtime.releaseFiles ?? {};
  } finally {
    await runtime.close();
  }
}
