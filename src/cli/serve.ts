/** `serve`: run the reference runtime over HTTP on loopback until SIGINT/SIGTERM (as io.interrupts delivers them). */
import { rename, rm, writeFile } from 'node:fs/promises';
import { Command, InvalidArgumentError, Option } from 'commander';
import { ToolError } from '../kit/check.js';
import { adminVar } from '../kit/expect.js';
import { redactToken } from '../protocol/redact.js';
import { DEFAULT_DOMAIN, DOMAIN_NAMES, DOMAINS, type DomainName } from '../runtime/domains.js';
import { AUDIT_EVENTS_HELD } from '../runtime/audit.js';
import { DEFAULT_STORE_LIMITS } from '../runtime/store.js';
import type { FaultDef, VariantDef } from '../runtime/index.js';
import { loadSelections } from '../runtime/name-set.js';
import { collect, integer } from './options.js';
import type { CommandIo } from './io.js';

const LOOPBACK = ['127.0.0.1', '::1', 'localhost'];

function parseHost(value: string): string {
  // The runtime is a test oracle with well-known demo data: it never listens beyond this machine.
  if (!LOOPBACK.includes(value)) throw new InvalidArgumentError(`must be a loopback address (${LOOPBACK.join(', ')})`);
  return value;
}

function int(min: number, max: number, what: string) {
  return (value: string): number => integer(value, min, max, what);
}

interface ServeOptions {
  host: string;
  domain: DomainName;
  port: number;
  rateLimit?: number;
  rateWindowMs?: number;
  fault: string[];
  listFaults?: boolean;
  variant: string[];
  listVariants?: boolean;
  json?: boolean;
  secretsFile?: string;
  auditFile?: string;
  auditFileMaxBytes?: number;
  authFailureLimit?: number;
  auditEvents?: number;
  mcp?: boolean;
  [cap: string]: unknown;
}

/**
 * Every cap of stored state (docs/runtime-limits.md), each a flag of serve: the server-wide caps (the memory
 * bound of the whole store), then the per-tenant and per-app ones (one tenant, or one app, at full rate fills
 * only its own share).
 */
export const CAP_FLAGS = [
  ['drafts', '--server-drafts', 'pending and finished drafts on the whole server'],
  ['preflights', '--server-preflights', 'live preflights on the whole server'],
  ['idempotency', '--server-idempotency', 'idempotency records on the whole server'],
  ['apps', '--server-apps', 'apps (never evicted)'],
  ['keys', '--server-keys', 'agent keys (never evicted)'],
  ['tenantDrafts', '--tenant-drafts', 'pending and finished drafts per tenant'],
  ['tenantPreflights', '--tenant-preflights', 'live preflights per tenant'],
  ['tenantIdempotency', '--tenant-idempotency', 'idempotency records per tenant'],
  ['appDrafts', '--app-drafts', 'drafts per app'],
  ['appPreflights', '--app-preflights', 'live preflights per app'],
  ['appIdempotency', '--app-idempotency', 'idempotency records per app'],
] as const;

function capsOf(opts: ServeOptions): Record<string, number> {
  return Object.fromEntries(CAP_FLAGS.flatMap(([key, flag]) => {
    // Under the name commander stores the flag's value (--server-drafts → serverDrafts).
    const value = opts[new Option(flag).attributeName()];
    return typeof value === 'number' ? [[key, value]] : [];
  }));
}

/**
 * The secrets as a shell file (mode 0600) defining the variables replay lines use: `. FILE` and paste.
 * Written atomically, so a reader never sees half a file.
 */
async function writeSecretsFile(file: string, url: string, agentToken: string, adminHeaders: Record<string, string>): Promise<void> {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;
  const lines = [`export OPENPORT_URL=${q(url)}`, `export OPENPORT_TOKEN=${q(agentToken)}`, ...Object.entries(adminHeaders).map(([k, v]) => `export ${adminVar(k)}=${q(v)}`)];
  const tmp = `${file}.tmp-${process.pid}`;
  try {
    await writeFile(tmp, `${lines.join('\n')}\n`, { mode: 0o600 });
    await rename(tmp, file);
  } catch (e) {
    await rm(tmp, { force: true });
    throw new ToolError(`--secrets-file ${file}: cannot write it (${(e as Error).message})`, 2);
  }
}

/** Each fault with its description, then the clauses of the brief it breaks (src/protocol/clauses.ts ids). */
function listFaultsText(FAULTS: readonly FaultDef[]): string {
  const width = Math.max(...FAULTS.map((f) => f.name.length));
  return FAULTS.map((f) => `${f.name.padEnd(width)}  ${f.description}\n${' '.repeat(width + 2)}breaks: ${f.clauses.join(', ')}`).join('\n');
}

function listVariantsText(VARIANTS: readonly VariantDef[]): string {
  const width = Math.max(...VARIANTS.map((v) => v.name.length));
  return VARIANTS.map((v) => `${v.name.padEnd(width)}  ${v.description}\n${' '.repeat(width + 2)}allowed by: ${v.allowedBy}`).join('\n');
}

async function refuseUnknown(kind: 'fault' | 'variant', given: string[], known: readonly { name: string }[]): Promise<void> {
  const valid = known.map((k) => k.name);
  const unknown = given.find((n) => !valid.includes(n));
  if (unknown === undefined) return;
  const { nearest } = await import('../runner/profiles.js');
  throw new ToolError(`unknown ${kind} "${unknown}"; nearest: ${nearest(unknown, valid).join(', ')} (all: openport-conform serve --list-${kind}s)`, 2);
}

async function serve(io: CommandIo, opts: ServeOptions): Promise<void> {
  // The registries (some 300 modules for the faults) load only when listed or named: a clean runtime starts without them.
  if (opts.listFaults) return void io.stdout.write(`${listFaultsText((await import('../runtime/faults/index.js')).FAULTS)}\n`);
  if (opts.listVariants) return void io.stdout.write(`${listVariantsText((await import('../runtime/variants/index.js')).VARIANTS)}\n`);
  if (opts.fault.length > 0) await refuseUnknown('fault', opts.fault, (await import('../runtime/faults/index.js')).FAULTS);
  if (opts.variant.length > 0) await refuseUnknown('variant', opts.variant, (await import('../runtime/variants/index.js')).VARIANTS);
  const { createRuntime } = await import('../runtime/runtime.js');
  const { startHttpServer } = await import('../runtime/server.js');
  const runtime = createRuntime({
    domain: opts.domain,
    ...(await loadSelections(opts.fault, opts.variant)),
    ...(opts.auditFile ? { auditFile: opts.auditFile } : {}),
    ...(opts.auditFileMaxBytes !== undefined ? { auditFileMaxBytes: opts.auditFileMaxBytes } : {}),
    ...(opts.authFailureLimit !== undefined ? { authFailureLimit: { limit: opts.authFailureLimit, windowMs: 60_000 } } : {}),
    ...(opts.auditEvents !== undefined ? { auditLimit: opts.auditEvents } : {}),
    limits: capsOf(opts),
    ...(opts.rateLimit !== undefined || opts.rateWindowMs !== undefined
      ? { rateLimit: { limit: opts.rateLimit ?? 240, windowMs: opts.rateWindowMs ?? 60_000 } }
      : {}),
  });
  let server;
  try {
    server = await startHttpServer(runtime, { host: opts.host, port: opts.port, mcp: opts.mcp === true });
  } catch (err) {
    await runtime.close();
    throw new ToolError(`cannot listen on ${opts.host}:${opts.port}: ${(err as Error).message}`, 2);
  }
  const { appId, agentToken, orgId } = runtime.bootstrap;
  if (opts.secretsFile) await writeSecretsFile(opts.secretsFile, server.url, agentToken, runtime.adminHeaders);
  const variants = opts.variant.length > 0 ? { variants: [...new Set(opts.variant)] } : {};
  // Like variants: only a non-default domain adds keys, so the default line stays as scripts know it.
  const domain = runtime.domain !== DEFAULT_DOMAIN ? { domain: runtime.domain, orgId } : {};
  if (opts.json) {
    // The one place the full tokens are printed: the caller needs them to connect.
    io.stdout.write(`${JSON.stringify({ url: server.url, ...(opts.mcp ? { mcpUrl: `${server.url}/mcp` } : {}), adminHeaders: runtime.adminHeaders, agentToken, appId, faults: runtime.faults, ...variants, ...domain })}\n`);
  } else {
    const [adminName, adminValue] = Object.entries(runtime.adminHeaders)[0]!;
    const custom = runtime.domain !== DEFAULT_DOMAIN;
    const domainFlag = custom ? ` --domain ${runtime.domain}` : '';
    const targetFlag = custom ? ` --target fixtures/targets/${runtime.domain}.yaml` : '';
    io.stdout.write(
      [
        `OpenPort reference runtime listening on ${server.url}`,
        `  domain         ${runtime.domain} (${DOMAINS[runtime.domain].description})`,
        `  agent token    ${redactToken(agentToken)}   (app ${appId}, all ${runtime.domain} scopes, tenant ${orgId})`,
        `  admin header   ${adminName}: ${adminValue.replace(/^(Bearer\s+)(\S+)$/i, (_, b: string, t: string) => b + redactToken(t))}`,
        ...(opts.mcp ? [`  MCP endpoint   ${server.url}/mcp   (Streamable HTTP; the agent token in Authorization: Bearer; docs/mcp-binding.md)`] : []),
        `  faults         ${runtime.faults.length > 0 ? runtime.faults.join(', ') : 'none (clean runtime)'}`,
        ...(opts.variant.length > 0 ? [`  variants       ${[...new Set(opts.variant)].join(', ')}`] : []),
        ...(opts.secretsFile
          ? [
            `  secrets        in ${opts.secretsFile} (mode 0600); load them with: . ${opts.secretsFile}`,
            `  Try: npx openport-conform run "$OPENPORT_URL"${targetFlag} --token "$OPENPORT_TOKEN" --admin-header "${adminName}: $${adminVar(adminName)}" --safety load`,
          ]
          : [
            '  Secrets are shortened here: --secrets-file FILE writes them to a file (shell variables), --json prints them in one JSON line.',
            `  Try: npx openport-conform serve${domainFlag} --secrets-file .openport.env  (then: . .openport.env; npx openport-conform run "$OPENPORT_URL"${targetFlag} --token "$OPENPORT_TOKEN" --admin-header "${adminName}: $${adminVar(adminName)}" --safety load)`,
          ]),
        '  Ctrl-C to stop.',
        '',
      ].join('\n'),
    );
  }
  // Without interrupts (an in-process caller that gives none) it serves until the process ends.
  await new Promise<void>((resolve) => {
    const stop = io.interrupts?.on(['SIGINT', 'SIGTERM'], () => {
      stop?.();
      resolve();
    });
  });
  await server.close();
  await runtime.close();
}

export function registerServe(program: Command, io: CommandIo): void {
  const cmd = program
    .command('serve')
    .description('serve the embedded reference runtime over HTTP on loopback (optionally with injected faults or legitimate variants)')
    .option('--host <host>', 'loopback address to listen on', parseHost, '127.0.0.1')
    .addOption(new Option('--domain <name>', `the domain to serve: ${DOMAIN_NAMES.map((n) => `${n} (${DOMAINS[n].description})`).join('; ')}`).choices(DOMAIN_NAMES).default(DEFAULT_DOMAIN))
    .option('--port <port>', 'port to listen on (0 picks a free one)', int(0, 65_535, 'a port'), 8080)
    .option('--rate-limit <n>', 'requests per window per (key, client IP)', int(1, 1_000_000, 'a request count'))
    .option('--rate-window-ms <ms>', 'admission-control window in milliseconds', int(1, 86_400_000, 'a window in milliseconds'))
    .option('--fault <name>', 'inject a fault (repeatable; see --list-faults)', collect, [])
    .option('--list-faults', 'list the injectable faults and the clauses of the protocol brief each breaks, then exit')
    .option('--variant <name>', 'make a legitimate choice the protocol allows differently (repeatable; see --list-variants)', collect, [])
    .option('--list-variants', 'list the legitimate variants and what in the brief allows each, then exit')
    .option('--json', 'print one JSON line {url, adminHeaders, agentToken, appId, faults} on start')
    .option('--secrets-file <path>', 'write the url, agent token and admin headers in full to this file (mode 0600) as shell variables: OPENPORT_URL, OPENPORT_TOKEN, OPENPORT_ADMIN_<HEADER>')
    .option('--audit-file <path>', 'append every audit event to this file as JSON lines (created mode 0600; rotated to <path>.1 at --audit-file-max-bytes)')
    .option('--audit-file-max-bytes <n>', 'size at which the audit file is renamed to <path>.1, replacing it, and a new one started (default 64 MiB: at most twice that on disk)', int(1024, 2 ** 40, 'a size in bytes'))
    .option('--auth-failure-limit <n>', 'refused authentications per client IP per minute before they are answered 429 and no longer audited (default 6000)', int(1, 1_000_000, 'a count'))
    .option('--mcp', 'also serve the MCP binding (Streamable HTTP) at <url>/mcp on the same port (docs/mcp-binding.md)');
  for (const [key, flag, what] of CAP_FLAGS) {
    cmd.option(`${flag} <n>`, `cap of ${what} (default ${DEFAULT_STORE_LIMITS[key]}); a write past it is refused 429 storage_full`, int(1, 10_000_000, 'a count'));
  }
  cmd.option('--audit-events <n>', `audit events held in memory for the audit listing (default ${AUDIT_EVENTS_HELD}); older ones are dropped, --audit-file keeps every event`, int(1, 10_000_000, 'a count'));
  cmd
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform serve --port 0 --json
  $ openport-conform serve --mcp   (MCP clients connect to http://127.0.0.1:8080/mcp with the agent token)
  $ openport-conform serve --domain helpdesk   (then: run <url> --target fixtures/targets/helpdesk.yaml …)
  $ openport-conform serve --fault authn-revocation-cache --fault adm-no-retry-after
  $ openport-conform serve --variant authors-admin --variant plain-audit-query
  $ openport-conform serve --rate-limit 20 --rate-window-ms 5000 --audit-file audit.jsonl
  $ openport-conform serve --tenant-drafts 1000 --app-drafts 200   (caps per tenant and per app; docs/runtime-limits.md)
  $ openport-conform serve --server-preflights 100000 --tenant-preflights 100000 --app-preflights 100000   (a load test keeping more preflights live)`,
    )
    .action((opts: ServeOptions) => serve(io, opts));
}
