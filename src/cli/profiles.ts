import type { Command } from 'commander';
import { listProfiles, loadProfile, type LoadedProfile } from '../runner/profiles.js';
import { loadChecks } from './checks.js';
import type { CommandIo } from './io.js';

function checkedCount(p: LoadedProfile, checked: Set<string>): number {
  return p.requirements.filter((r) => checked.has(r.id)).length;
}

function renderList(profiles: LoadedProfile[], checked: Set<string>): string {
  const width = Math.max(...profiles.map((p) => p.name.length));
  return profiles
    .map((p) => {
      const parent = p.chain.length > 1 ? `extends ${p.chain[p.chain.length - 2]}; ` : '';
      return `${p.name.padEnd(width)}  ${parent}${p.requirements.length} requirements, ${checkedCount(p, checked)} with checks\n${' '.repeat(width + 2)}${p.description}`;
    })
    .join('\n');
}

function renderProfile(p: LoadedProfile, checked: Set<string>): string {
  const rows = p.requirements.map((r) => [r.id, r.level, r.layer, checked.has(r.id) ? 'check' : 'no check', r.title]);
  const widths = [0, 1, 2, 3].map((i) => Math.max(...rows.map((row) => row[i]!.length)));
  return [
    `${p.name}: ${p.description}`,
    `chain: ${p.chain.join(' → ')} · ${p.requirements.length} requirements, ${checkedCount(p, checked)} with checks`,
    '',
    ...rows.map((row) => row.map((c, i) => (i < 4 ? c.padEnd(widths[i]!) : c)).join('  ')),
  ].join('\n');
}

export function registerProfiles(program: Command, io: CommandIo): void {
  const profiles = program
    .command('profiles')
    .summary('list profiles, or show one with its requirements')
    .description('list the conformance profiles (show NAME for its resolved requirement list)')
    .addHelpText('after', '\nExamples:\n  $ openport-conform profiles\n  $ openport-conform profiles show core')
    .action(async () => {
      const checked = new Set((await loadChecks(io)).map((c) => c.id));
      io.stdout.write(`${renderList(listProfiles(), checked)}\n`);
    });
  profiles
    .command('show')
    .description('print the resolved requirement list of a profile: id, level, layer, whether a check exists, title')
    .argument('<name>', 'profile name, e.g. core')
    .addHelpText('after', '\nExample:\n  $ openport-conform profiles show write-lifecycle')
    .action(async (name: string) => {
      const profile = loadProfile(name);
      const checked = new Set((await loadChecks(io)).map((c) => c.id));
      io.stdout.write(`${renderProfile(profile, checked)}\n`);
    });
}
