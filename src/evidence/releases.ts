/**
 * What verify knows of each release of the tool: the digest of its requirement table and of each profile
 * file it shipped, with the profile's chain. A bundle is judged against the release it names, never against
 * itself: an unknown version is refused, so a forger cannot name one to switch the comparison off. The data
 * is profiles/releases.json; `npm run docs` writes the current version's entry (test/docs.test.ts keeps it
 * current) and keeps every other version's as it was released.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { TOOL_VERSION } from '../kit/paths.js';
import { listProfiles, PROFILES_DIR } from '../runner/profiles.js';
import { REQUIREMENTS } from '../protocol/requirements.js';

export const RELEASES_FILE = join(PROFILES_DIR, 'releases.json');

export interface ReleaseDigests {
  /** SHA-256 of requirements.json as that release writes it into a bundle. */
  requirements: string;
  /** Per profile name: SHA-256 of profiles/<name>.yaml and its chain, root first. */
  profiles: Record<string, { sha256: string; chain: string[] }>;
}

/** requirements.json of a bundle: this version's requirement table. */
export function requirementsText(): string {
  return `${JSON.stringify(REQUIREMENTS, null, 2)}\n`;
}

const sha256 = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');

/** The digests of this version, from the files it ships. */
export function currentDigests(): ReleaseDigests {
  const profiles: ReleaseDigests['profiles'] = {};
  for (const p of listProfiles()) profiles[p.name] = { sha256: sha256(readFileSync(join(PROFILES_DIR, `${p.name}.yaml`))), chain: p.chain };
  return { requirements: sha256(requirementsText()), profiles };
}

export function knownReleases(): Record<string, ReleaseDigests> {
  return existsSync(RELEASES_FILE) ? (JSON.parse(readFileSync(RELEASES_FILE, 'utf8')) as Record<string, ReleaseDigests>) : {};
}

/** profiles/releases.json with this version's entry written from its files, every other entry kept. */
export function releasesText(): string {
  return `${JSON.stringify({ ...knownReleases(), [TOOL_VERSION]: currentDigests() }, null, 2)}\n`;
}
