import { citationsOf } from '../protocol/sources.js';
import type { Command } from 'commander';
import { ToolError, type CheckDef } from '../kit/check.js';
import { listProfiles, nearest } from '../runner/profiles.js';
import { isReasonCode, REASON_CODES, statusesFor, type ReasonCode, type ReasonCodeInfo } from '../protocol/codes.js';
import { hasRequirement, requirement, REQUIREMENTS } from '../protocol/requirements.js';
import { DEPLOYMENT_RULES } from '../gate/deployment.js';
import { TREE_RULES } from '../gate/tree-scan.js';
import { loadChecks } from './checks.js';
import { tableOptions } from './options.js';
import { planOf } from '../runner/plan.js';
import { SHIPPED_TARGETS, shippedTarget } from '../runner/target-file.js';
import type { CommandIo } from './io.js';

const CARRIER: Record<ReasonCodeInfo['carrier'], string> = {
  error: 'error envelope {ok:false, code, message}',
  autoExecuteDenied: 'data.autoExecuteDeniedCode of a draft response (HTTP 200)',
  dataCode: 'data.code of a successful response',
  success: 'success envelope {ok:true, code, data}',
};

const line = (label: string, value: string) => `${`${label}:`.padEnd(13)}${value}`;

export function explainRequirement(id: string, checks: readonly CheckDef[]): string {
  const r = requirement(id);
  const check = checks.find((c) => c.id === id);
  const profiles = listProfiles()
    .filter((p) => p.requirements.some((x) => x.id === id))
    .sort((a, b) => a.chain.length - b.chain.length)
    .map((p) => p.name);
  const cite = citationsOf(r.basis);
  const out = [
    `${r.id}  ${r.level} · layer ${r.layer}`, r.title, '',
    line('Rests on', `brief ${r.basis}`),
    line('Reading', cite.reading),
    ...cite.sources.map((s, i) => (i === 0 ? line('Sources', `${s.label}: ${s.url}`) : `${' '.repeat(13)}${s.label}: ${s.url}`)),
  ];
  const gateRule = [...DEPLOYMENT_RULES, ...TREE_RULES].find((g) => g.id === id);
  if (gateRule) {
    out.push(line('Check', `a rule of the \`gate\` command (src/gate), in no profile; ${r.level === 'MUST' ? 'fails the gate' : 'warns (deployment.fail makes it fail the gate)'}`), line('Why', gateRule.rationale));
    if (gateRule.threshold) out.push(line('Threshold', gateRule.threshold));
    out.push('', gateRule.explain, '');
  } else if (check) {
    out.push(
      line('Check', check.description),
      line('Safety', check.safety),
      line('Bindings', check.bindings ? `${check.bindings.join(', ')} only (skipped on the others: docs/mcp-binding.md)` : 'http, mcp'),
      line('Needs', check.needs.length > 0 ? check.needs.join(', ') : 'nothing beyond the target'),
      line('Expects', check.expectedCodes?.map((c) => `${c} (${statusesFor(c).join('/') || 'in data'})`).join(', ') ?? '-'),
    );
  } else {
    out.push(line('Check', 'none yet: this requirement is not tested'));
  }
  out.push(line('Profiles', profiles.length > 0 ? profiles.join(', ') : 'none'));
  return out.join('\n');
}

export function explainCode(code: ReasonCode, checks: readonly CheckDef[]): string {
  const info: ReasonCodeInfo = REASON_CODES[code];
  const statuses = statusesFor(code);
  // Titles sometimes name agent codes without their prefix ("scope_denied, or action_unknown").
  const short = code.startsWith('agent.') ? new RegExp(`\\b${code.slice('agent.'.length)}\\b`) : undefined;
  const expectedBy = REQUIREMENTS.filter(
    (r) => r.title.includes(code) || short?.test(r.title) || checks.some((c) => c.id === r.id && c.expectedCodes?.includes(code)),
  );
  return [
    `${code}  ${info.status === null ? 'no HTTP status of its own' : `HTTP ${info.status}`} · ${info.kind}`,
    info.meaning,
    '',
    line('Carried in', CARRIER[info.carrier]),
    line('Statuses', statuses.length > 0 ? statuses.join(', ') : '-'),
    line('Expected by', expectedBy.length > 0 ? '' : 'no requirement'),
    ...expectedBy.map((r) => `  ${r.id} (${r.level}) ${r.title}`),
  ]
    .map((l) => l.trimEnd())
    .join('\n');
}

export function explain(term: string, checks: readonly CheckDef[]): string {
  const t = term.trim();
  if (hasRequirement(t.toUpperCase())) return explainRequirement(t.toUpperCase(), checks);
  if (isReasonCode(t.toLowerCase())) return explainCode(t.toLowerCase() as ReasonCode, checks);
  const candidates = [...REQUIREMENTS.map((r) => r.id), ...Object.keys(REASON_CODES)];
  const area = REQUIREMENTS.filter((r) => r.id.startsWith(`${t.toUpperCase()}-`)).map((r) => r.id);
  const suggestions = area.length > 0 ? area : nearest(t, candidates);
  throw new ToolError(`"${term}" is neither a requirement id nor a reason code; did you mean: ${suggestions.join(', ')}?`, 2);
}

export function registerExplain(program: Command, io: CommandIo): void {
  tableOptions(program
    .command('explain')
    .summary('explain a requirement id or a reason code')
    .description('explain a requirement id (level, layer, what its check does, profiles) or a reason code (HTTP status, meaning, who expects it)')
    .argument('<id-or-code>', 'a requirement id such as AUTHN-004, or a reason code such as agent.scope_denied'), 'explain')
    .addHelpText('after', '\nExamples:\n  $ openport-conform explain AUTHN-004\n  $ openport-conform explain agent.precondition_failed\n  $ openport-conform explain TENANT-001 --target fixtures/targets/helpdesk.yaml')
    .action(async (term: string, flags: { target?: string }) => {
      const checks = await loadChecks(io);
      io.stdout.write(`${explain(term, checks)}\n`);
      if (flags.target === undefined) return;
      const def = checks.find((c) => c.id === term.trim().toUpperCase());
      if (!def) throw new ToolError(`--target needs a requirement id with a check, not "${term}"`, 2);
      const plan = await planOf(def, checks, flags.target);
      if (plan.domain === undefined) {
        return void io.stdout.write([
          '',
          `No embedded runtime serves the tenant of ${flags.target} (shipped domains: ${SHIPPED_TARGETS.map((n) => `${n} ${shippedTarget(n).orgId}`).join(', ')}), so the check is not replayed.`,
          'The description it reads from:',
          ...plan.keys.map((k) => `  ${k}`),
          '',
          'and the requests of the binding built from it (the check sends some of these, with the personas it provisions):',
          ...plan.requests.map((r) => `  ${r}`),
          '',
        ].join('\n'));
      }
      io.stdout.write([
        '',
        `With ${flags.target}, the check reads (besides orgId and scopes, which every persona it provisions uses):`,
        ...plan.keys.map((k) => `  ${k}`),
        '',
        `and sends (recorded against the embedded runtime serving the ${plan.domain} domain, where it ended ${plan.status}; a server that answers`,
        'differently may see the check stop earlier or branch):',
        ...plan.requests.map((r) => `  ${r}`),
        '',
      ].join('\n'));
    });
}
