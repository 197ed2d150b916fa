/** Flag parsers: each refuses a bad value with a message that names the flag and the fix (commander exits 2). */
import { InvalidArgumentError } from 'commander';
import { isReporterName, REPORTER_NAMES, type ReporterName } from '../report/index.js';

export function parseAdminHeader(value: string, previous: Record<string, string> = {}): Record<string, string> {
  const m = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+):\s*(.*)$/.exec(value);
  if (!m || m[2]!.trim() === '') {
    throw new InvalidArgumentError(`expected 'Name: value', e.g. --admin-header 'x-admin-user: admin_demo'`);
  }
  return { ...previous, [m[1]!.toLowerCase()]: m[2]!.trim() };
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parseReporters(value: string, previous: ReporterName[] = []): ReporterName[] {
  const names = value.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const unknown = names.filter((n) => !isReporterName(n));
  if (names.length === 0 || unknown.length > 0) {
    throw new InvalidArgumentError(`unknown reporter ${unknown.map((n) => `"${n}"`).join(', ') || '(empty)'}; choose from ${REPORTER_NAMES.join(', ')} (comma-separated)`);
  }
  return [...new Set([...previous, ...(names as ReporterName[])])];
}

export function integer(value: string, min: number, max: number, what: string): number {
  if (!/^\d+$/.test(value.trim()) || Number(value) < min || Number(value) > max) {
    throw new InvalidArgumentError(`expected ${what} (an integer from ${min} to ${max})`);
  }
  return Number(value);
}

export const parseSeed = (v: string) => integer(v, 0, 0xffffffff, 'a seed');
export const parseTimeout = (v: string) => integer(v, 1, 600_000, 'a timeout in milliseconds');
export const parseConcurrency = (v: string) => integer(v, 1, 64, 'a number of checks to run in parallel');
export const parseFuzzRuns = (v: string) => integer(v, 1, 1_000_000, 'a number of cases');
export const parseFuzzTime = (v: string) => integer(v, 1, 3_600_000, 'a time in milliseconds');
export const parseJournalBytes = (v: string) => integer(v, 4096, 2 ** 40, 'a size in bytes');
export const parseParallel = (v: string) => integer(v, 1, 16, 'a number of runs in flight');

/** The target must be an http(s) URL; anything else is a usage error before any traffic. */
export function parseTargetUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new InvalidArgumentError(`"${value}" is not a URL; expected http(s)://host[:port][/base], e.g. http://127.0.0.1:8080`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new InvalidArgumentError(`"${value}" must use http:// or https://`);
  }
  return value;
}

/** --shard i/n: 1 ≤ i ≤ n ≤ 64. */
export function parseShard(value: string): { index: number; count: number } {
  const m = /^(\d+)\/(\d+)$/.exec(value.trim());
  const index = Number(m?.[1]);
  const count = Number(m?.[2]);
  if (!m || count < 1 || count > 64 || index < 1 || index > count) throw new InvalidArgumentError('expected i/n with 1 ≤ i ≤ n ≤ 64, e.g. --shard 2/3');
  return { index, count };
}
