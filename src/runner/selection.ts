/**
 * What a run will do, decided before any traffic: the profile, the requirements selected by --only and
 * --exclude, and for each one whether it runs, has no check, or is held back by --safety.
 */
import { createHash } from 'node:crypto';
import { LAYERS, REQUIREMENTS, type Requirement } from '../protocol/requirements.js';
import { SAFETY_CLASSES, ToolError, type BindingName, type CheckDef, type Need, type Safety } from '../kit/check.js';
import { missing } from './context.js';
import { flagOf } from './options.js';
import { PROFILE_NAMES, PROFILES_DIR, loadProfile, nearest, type LoadedProfile } from './profiles.js';
import type { RunReport } from './result.js';

export interface PlannedCheck { requirement: Requirement; def: CheckDef }

export interface Selection {
  profile: LoadedProfile;
  safety: Safety;
  /** Profile requirements kept by --only/--exclude, in profile order. */
  requirements: Requirement[];
  /** Will run (subject to needs). */
  planned: PlannedCheck[];
  /** Above --safety: not run, listed in the report with the flag that allows them. */
  heldBack: PlannedCheck[];
}

export interface SelectionOptions {
  profile?: string;
  /** true for the in-process reference runtime (changes the defaults of profile and safety). */
  embedded: boolean;
  safety?: Safety | string;
  only?: string[];
  exclude?: string[];
  checks: readonly CheckDef[];
  profilesDir?: string;
  /** --shard i/n: keep only the requirements whose id hashes to shard i of n. */
  shard?: Shard;
  /** The run's binding (default http): a check of another binding is planned whatever its safety, and skipped as not applicable. */
  binding?: BindingName;
}

/** One of n parallel pieces of a selection (index is 1-based, as typed: --shard 1/3). */
export interface Shard { index: number; count: number }

/** The shard (1-based) a requirement id belongs to: a hash of the id alone, so adding checks moves no other. */
export function shardOf(id: string, count: number): number {
  return (createHash('sha256').update(id).digest().readUInt32BE(0) % count) + 1;
}

/**
 * The requirements a report answers for — of `profile` (its requirement ids), or of the selection it names;
 * of its shard when it is one — and those of them it holds neither a result nor a held-back id for.
 */
export function unaccounted(report: Pick<RunReport, 'results' | 'heldBack' | 'selection' | 'shard'>, profile: readonly string[]): { wanted: string[]; missing: string[] } {
  const have = new Set([...(report.results ?? []).map((r) => r.id), ...(report.heldBack?.ids ?? [])]);
  const shard = report.shard;
  const wanted = (report.selection ? report.selection.ids : profile).filter((id) => !shard || shardOf(id, shard.count) === shard.index);
  return { wanted, missing: wanted.filter((id) => !have.has(id)) };
}

export function safetyRank(s: Safety): number {
  return SAFETY_CLASSES.indexOf(s);
}

/** Shell-style globs: `*`, `?` and character classes like `[1-3]` or `[!4]`; anything else is literal. */
export function globToRegExp(glob: string): RegExp {
  let body = '';
  for (let i = 0; i < glob.length; i++) {
    const ch = glob[i]!;
    const close = ch === '[' ? glob.indexOf(']', i + 2) : -1;
    if (ch === '*') body += '.*';
    else if (ch === '?') body += '.';
    else if (close !== -1) {
      const inner = glob.slice(i + 1, close).replace(/^!/, '^').replace(/[\\\]]/g, '\\$&');
      body += `[${inner}]`;
      i = close;
    } else body += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${body}$`, 'i');
}

/** Split comma-separated values too, so `--only AUTHN-*,DISC-001` works. */
function patternsOf(list: string[] | undefined): string[] {
  return (list ?? []).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean);
}

const PROFILE_LAYERS: ReadonlySet<string> = new Set(LAYERS);

/**
 * The check list by requirement id, refused (exit 2, naming the ids) unless it matches the requirement table
 * one to one: every requirement of a profile layer (core, write-lifecycle, state-witness) has exactly one
 * check, and every check has such a requirement. So a new requirement row without its check, or a check
 * without its row, stops every run at load time instead of being left out. The GATE-* rows are outside this
 * rule on purpose: the `gate` command judges them (src/gate), and no check may claim them.
 */
export function checkIndex(checks: readonly CheckDef[]): Map<string, CheckDef> {
  const byId = new Map<string, CheckDef>();
  for (const c of checks) {
    if (byId.has(c.id)) throw new ToolError(`two checks claim requirement ${c.id}; one requirement, one check`, 2);
    const row = REQUIREMENTS.find((r) => r.id === c.id);
    if (!row) throw new ToolError(`check ${c.id} has no requirement row in src/protocol/requirements.ts: add the row (id, level, layer, title, basis), or remove the check`, 2);
    if (!PROFILE_LAYERS.has(row.layer)) throw new ToolError(`check ${c.id}: requirement ${c.id} is of layer ${row.layer}, which the \`gate\` command judges, not a check`, 2);
    byId.set(c.id, c);
  }
  const unchecked = REQUIREMENTS.filter((r) => PROFILE_LAYERS.has(r.layer) && !byId.has(r.id)).map((r) => r.id);
  if (unchecked.length > 0) {
    const s = unchecked.length > 1;
    throw new ToolError(`requirement${s ? 's' : ''} ${unchecked.join(', ')} of src/protocol/requirements.ts ha${s ? 've' : 's'} no check in the check list (suites/index.ts): every requirement of a profile is run by exactly one check`, 'OPC_E_NO_CHECK');
  }
  return byId;
}

/**
 * Without --profile: 'core' for a URL, the strongest profile when embedded (every requirement has a check:
 * checkIndex) — raised to the first profile that contains every --only pattern, so `--only WITNESS-001`
 * needs no --profile.
 */
function defaultProfile(opts: SelectionOptions, dir: string): string {
  const base = opts.embedded ? PROFILE_NAMES[PROFILE_NAMES.length - 1]! : 'core';
  const only = patternsOf(opts.only).map(globToRegExp);
  if (only.length === 0) return base;
  const covers = (name: string) => {
    const ids = loadProfile(name, dir).requirements.map((r) => r.id);
    return only.every((re) => ids.some((id) => re.test(id)));
  };
  if (covers(base)) return base;
  return PROFILE_NAMES.slice(PROFILE_NAMES.indexOf(base) + 1).find(covers) ?? base;
}

export function resolveSelection(opts: SelectionOptions): Selection {
  const byId = checkIndex(opts.checks);
  const dir = opts.profilesDir ?? PROFILES_DIR;
  const safety = (opts.safety ?? (opts.embedded ? 'load' : 'read-only')) as Safety;
  if (!SAFETY_CLASSES.includes(safety)) throw new ToolError(`unknown safety class "${safety}"; valid: ${SAFETY_CLASSES.join(', ')}`, 2);
  const profile = loadProfile(opts.profile ?? defaultProfile(opts, dir), dir);
  const inProfile = new Set(profile.requirements.map((r) => r.id));
  const allIds = REQUIREMENTS.map((r) => r.id);

  const matcher = (flag: string, patterns: string[]): RegExp[] =>
    patterns.map((p) => {
      const re = globToRegExp(p);
      const known = allIds.filter((id) => re.test(id));
      if (known.length === 0) throw new ToolError(`${flag} ${p}: matches no requirement id; nearest: ${nearest(p.replace(/[*?]/g, ''), allIds).join(', ')}`, 2);
      if (!known.some((id) => inProfile.has(id))) {
        const owner = REQUIREMENTS.find((r) => r.id === known[0])!.layer;
        const ids = known.slice(0, 3).join(', ');
        // The gate's own checks are in no profile: they judge what `gate` scans (deployment, release tree), always.
        if (!(PROFILE_NAMES as readonly string[]).includes(owner)) {
          throw new ToolError(`${flag} ${p}: matches only checks of the release gate (${ids}), which no profile holds and ${flag} cannot select: \`openport-conform gate\` runs them on what it scans, whatever the profile's selection`, 2);
        }
        throw new ToolError(`${flag} ${p}: matches nothing in profile ${profile.name} (${ids} belong to ${owner}); use --profile ${owner}`, 2);
      }
      return re;
    });
  const only = matcher(flagOf('only'), patternsOf(opts.only));
  const exclude = matcher(flagOf('exclude'), patternsOf(opts.exclude));

  const selected = profile.requirements.filter((r) => (only.length === 0 || only.some((re) => re.test(r.id))) && !exclude.some((re) => re.test(r.id)));
  // A shard may hold none of them (more shards than the hash fills): an empty piece of the run, not a mistake.
  const requirements = opts.shard ? selected.filter((r) => shardOf(r.id, opts.shard!.count) === opts.shard!.index) : selected;
  if (selected.length === 0) {
    throw new ToolError(`--only ${patternsOf(opts.only).join(',')} --exclude ${patternsOf(opts.exclude).join(',')}: the exclusions remove every requirement the selection kept; nothing would run`, 2);
  }
  const sel: Selection = { profile, safety, requirements, planned: [], heldBack: [] };
  for (const requirement of requirements) {
    // Present: checkIndex refused a check list without a check for every requirement of a profile.
    const def = byId.get(requirement.id)!;
    // A wider --safety would not run a check of another binding: it is not held back but skipped (notApplicable).
    const otherBinding = def.bindings !== undefined && !def.bindings.includes(opts.binding ?? 'http');
    if (safetyRank(def.safety) > safetyRank(safety) && !otherBinding) sel.heldBack.push({ requirement, def });
    else sel.planned.push({ requirement, def });
  }
  return sel;
}

/**
 * The flags that would let every held-back check run: the --safety class, preceded by the credentials the
 * held-back checks need and the run lacks (a wider --safety alone cannot help a check that needs the admin plane).
 */
export function heldBackFlag(sel: Selection, has: Record<Need, boolean> = { token: true, admin: true }): string | undefined {
  if (sel.heldBack.length === 0) return undefined;
  const top = sel.heldBack.reduce((m, p) => (safetyRank(p.def.safety) > safetyRank(m) ? p.def.safety : m), sel.safety);
  return toAllow((['token', 'admin'] as const).filter((n) => sel.heldBack.some((p) => p.def.needs.includes(n))), top, has);
}

/**
 * What a run holding `has` adds to run checks that need `needs` at `safety`: the credentials it lacks, then
 * the safety (always last: `merge` reads it there). Admin credentials provision a token from draft up, so
 * with them (held, or added for checks that need them) no token is lacking at such a safety.
 */
function toAllow(needs: readonly Need[], safety: Safety, has: Record<Need, boolean>): string {
  // Admin credentials held, or added for checks that need them anyway, provision the token from draft up.
  const provisions = (has.admin || needs.includes('admin')) && safetyRank(safety) >= safetyRank('draft');
  const hints = needs.filter((n) => !has[n] && !(n === 'token' && provisions)).map((n) => missing(n, has.admin).hint);
  return [...hints, `--safety ${safety}`].join(hints.some((h) => h.includes(',')) ? ', and ' : ' and ');
}

/** One row of a dry run (`run --list`): what would happen to a requirement of the selection, and why. */
export interface PlanRow {
  id: string;
  level: Requirement['level'];
  layer: Requirement['layer'];
  safety: Safety;
  needs: string;
  outcome: 'run' | 'skip' | 'held back';
  why?: string;
}

/** The dry run: no request is sent; `has` says which credentials the run would hold. */
export function planRows(sel: Selection, has: Record<Need, boolean>): PlanRow[] {
  const held = new Set(sel.heldBack.map((p) => p.requirement.id));
  const defs = new Map([...sel.planned, ...sel.heldBack].map((p) => [p.requirement.id, p.def]));
  return sel.requirements.map((r) => {
    const def = defs.get(r.id)!;
    const row = { id: r.id, level: r.level, layer: r.layer, safety: def.safety, needs: def.needs.join(',') || '-' };
    const lacking = def.needs.find((n) => !has[n]);
    if (held.has(r.id)) {
      return { ...row, outcome: 'held back', why: `safety ${def.safety} is above --safety ${sel.safety}; to run it add ${toAllow(def.needs, def.safety, has)}` };
    }
    if (lacking) {
      const m = missing(lacking, has.admin);
      return { ...row, outcome: 'skip', why: `${m.message}: ${m.hint}` };
    }
    return { ...row, outcome: 'run' };
  });
}
