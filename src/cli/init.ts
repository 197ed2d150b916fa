/**
 * `init <url>`: draft a target description from the live server (src/runner/init.ts learns it), write it as
 * commented YAML, and close the loop: validate it like `run` does and print the dry run of the full profile
 * with it — which checks the description lets run and which it cannot.
 */
import { existsSync, writeFileSync } from 'node:fs';
import type { Command } from 'commander';
import type { Document } from 'yaml';
import { yaml } from '../kit/lazy.js';
import { ToolError } from '../kit/check.js';
import { makeFolderOf } from '../kit/paths.js';
import type { InitNote, InitResult } from '../runner/init.js';
import { replayArgs, runOptionsOf } from '../runner/options.js';
import type { RunOptions } from '../runner/run.js';
import { EXIT, INIT_EXIT_CODES_HELP } from './exit-codes.js';
import type { CommandIo } from './io.js';
import { parseTargetUrl, tableOptions, withDefaults, type CliValues } from './options.js';
import { dryRun, withoutSecrets, type RunFlags } from './run.js';
import { resolveSecrets } from './secrets.js';
import { displayLine } from '../report/text.js';

/** One comment per top-level key: what it is for (fixtures/targets/demo.yaml documents each in full). */
const KEY_HELP: Record<string, string> = {
  orgId: 'Tenant of the apps (personas) the checks provision: the tenant most apps of the admin plane belong to.',
  otherOrgId: 'A second tenant for cross-tenant checks (with admin headers init created an app in it); it needs no data.',
  scopes: 'Every scope the server knows: those of the tenant\'s apps and of every tool of the manifest.',
  tools: 'Tool name → required scopes, risk and whether it writes, as the all-scope manifest lists them.',
  reads: 'The read tools, their HTTP routes and the arguments a read needs to succeed.',
  containers: 'The tenant\'s containers: primary holds the most resources, secondary is another one.',
  existingResourceId: 'A resource of primary that openport-conform did not create; checks never modify it.',
  existingResourceMarkers: 'Values of that resource that must never reach another tenant.',
  writes: 'Write samples ("$resourceId": a resource a check created; "$random": a fresh string). High-risk rule:\n'
    + 'a high-risk tool of one resource whose preflight binds a State Witness and whose effect a read-back shows;\n'
    + 'among several, the least destructive (a status change, then a soft delete, then a permanent one).',
  readBack: 'How a check reads a resource back.',
  sensitiveFields: 'Fields an app with allow_sensitive_fields:false saw redacted.',
  sensitiveRead: 'The read the redaction check judges.',
  dateRange: 'The windowed read (max_days): its range arguments and the row field the window applies to.',
  dataPolicy: 'The data policy\'s container allow-list, in the server\'s own field name.',
  rateLimit: 'Admission control per key and client IP.',
  fixed: 'What binds the server: the tool map is its own manifest\'s; sensitive fields bind when seen redacted; a rate limit when declared.',
};

/**
 * Collections `depth(key)` levels below the top are written inline ({…}, […]), as the shipped descriptions
 * are; a list one level deeper still (writes.others: each sample inline, the list a block).
 */
function flowFrom(doc: Document, depth: (key: string) => number): void {
  const { isCollection, isPair, isScalar, isSeq, visit } = yaml();
  visit(doc, {
    Collection(_, node, path) {
      const first = path.find(isPair);
      const key = first && isScalar(first.key) ? String(first.key.value) : '';
      const level = path.filter((n) => isCollection(n)).length;
      const at = depth(key) + (isSeq(node) && depth(key) > 1 ? 1 : 0);
      if (key && level >= at) node.flow = true;
    },
  });
}

const DEPTH: Record<string, number> = { tools: 2, reads: 2, writes: 2, containers: 9 };

/** The description as commented YAML: each key with what it is for, its `# guessed:` and `# TODO` notes. */
export function renderTarget(r: InitResult, source: string): string {
  const out = [
    `# openport-conform target description of ${source}, drafted by \`openport-conform init\`.`,
    '# Every key is documented in fixtures/targets/demo.yaml and docs/targets.md. Lines starting "# guessed:" mark',
    '# a value init had to guess, with what to check; "# TODO" marks a key to fill in before `run` accepts the file.',
    '',
  ];
  const notesOf = (key: string) => r.notes.filter((n) => n.path === key || n.path.startsWith(`${key}/`));
  // A note quotes the server (tenant ids, tool and field names): one comment line, controls made visible, so it
  // can neither end the comment and write a key of its own nor put control bytes into the file.
  const noteLine = (n: InitNote) => `# ${displayLine(`${n.kind === 'guessed' ? 'guessed' : 'TODO'}${n.path.includes('/') ? ` (${n.path})` : ''}: ${n.text}`)}`;
  const keys = [...new Set([...Object.keys(KEY_HELP).filter((k) => k in r.target || notesOf(k).length), ...Object.keys(r.target)])];
  for (const key of keys) {
    out.push(...(KEY_HELP[key] ?? '').split('\n').filter(Boolean).map((l) => `# ${l}`), ...notesOf(key).map(noteLine));
    if (key in r.target) {
      const doc = new (yaml().Document)({ [key]: r.target[key] }, { aliasDuplicateObjects: false });
      flowFrom(doc, (k) => DEPTH[k] ?? 1);
      out.push(doc.toString({ lineWidth: 0, flowCollectionPadding: true }).trimEnd());
    }
    out.push('');
  }
  return `${out.join('\n').trimEnd()}\n`;
}

export function registerInit(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('init')
    .summary('draft a target description from a live server')
    .description('draft a commented target description of a server from its manifest, admin plane, listings and preflights (apps it provisions are revoked at the end), then print which checks it enables')
    .argument('<url>', 'base URL of the server (http or https)', parseTargetUrl), 'init')
    .addHelpText(
      'after',
      `
Examples:
  $ openport-conform init http://127.0.0.1:8080 --admin-header 'x-admin-user: admin_demo' --out my-target.yaml
  $ openport-conform init https://openport.example.com --token-file agent.token     (no admin plane: a partial draft)
${INIT_EXIT_CODES_HELP}`,
    )
    .action(async (url: string, flags: CliValues & { out: string }) => {
      const values = withDefaults(flags, 'init');
      const out = values.out;
      if (existsSync(out)) throw new ToolError(`--out ${out} exists; init never overwrites a description: remove it or choose another file`, 2);
      // Its folder now: a draft must not be lost after the probing for want of one.
      makeFolderOf(out);
      const { token, adminHeaders } = resolveSecrets(values, io.env);
      const secrets = [token, ...Object.values(adminHeaders ?? {})].filter((s): s is string => !!s);
      const { draftTarget } = await import('../runner/init.js');
      const { HttpTransport } = await import('../runner/transport.js');
      const { probe } = await import('../runner/run.js');
      const transport = new HttpTransport(url, { timeoutMs: values.timeout ?? 10_000 });
      let result: InitResult;
      try {
        // As a run does first: nobody there, or nothing speaking OpenPort (a url below its root), is said so (exit 3).
        await probe(transport);
        result = await draftTarget({ transport, adminHeaders, token });
      } catch (e) {
        throw withoutSecrets(e, secrets);
      } finally {
        await transport.close();
      }
      writeFileSync(out, renderTarget(result, transport.baseUrl));
      io.stdout.write(await closeTheLoop(io, result, out, url, values, { token, adminHeaders }));
      io.setExit(result.notes.some((n) => n.kind === 'todo') ? EXIT.usage : EXIT.conformant);
    });
}

/** What init did, what the vendor must still do, and the dry run of the full profile with the description. */
async function closeTheLoop(io: CommandIo, r: InitResult, out: string, url: string, values: CliValues, credentials: Pick<RunOptions, 'token' | 'adminHeaders'>): Promise<string> {
  const todo = r.notes.filter((n) => n.kind === 'todo');
  const guessed = r.notes.filter((n) => n.kind === 'guessed');
  const lines = [
    displayLine(`wrote ${out}: ${Object.keys(r.target).length} keys, ${guessed.length} guessed (marked "# guessed:"), ${todo.length} to fill in; ${r.apps.revoked.length} app(s) provisioned and revoked${r.apps.failed.length ? `, ${r.apps.failed.length} NOT revoked (${r.apps.failed.join(', ')}): revoke them by hand` : ''}`),
  ];
  if (todo.length > 0) {
    lines.push('', 'fill in before `run` accepts the file:', ...todo.map((n) => `  ${displayLine(`${n.path}: ${n.text}`)}`), '');
    return `${lines.join('\n')}\n`;
  }
  const flags = withDefaults({ ...values, target: out, profile: 'state-witness', safety: 'load', list: true } as RunFlags, 'run');
  // The command as replay lines print one: the credentials init was given, as shell variables (never their values).
  const command = ['openport-conform', 'run', url, ...replayArgs({ ...runOptionsOf(flags), ...credentials }, 'run', true), '--list'].join(' ');
  lines.push('', `the full profile with it (${command}):`, '', await dryRun(io, url, flags));
  return `${lines.join('\n')}\n`;
}
