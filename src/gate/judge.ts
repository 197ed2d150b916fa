/**
 * The release gate's scans as the self-test judges runtime faults with them (`mutate` is handed this, as it is
 * handed the checks): the deployment scan over an embedded runtime's admin plane, and the release-tree scan
 * over the files its release ships. Each answers with the rules of its own that the faults break.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { embeddedReleaseFiles, type EmbeddedDeployment } from '../runner/admin-read.js';
import { requirement } from '../protocol/requirements.js';
import { DEPLOYMENT_JUDGE } from './deployment.js';
import { scanTree, TREE_RULES } from './tree-scan.js';

/** The private markers the runtime's release is scanned for: host names of an internal network (`*.internal`). */
export const RELEASE_MARKERS = [{ name: 'internal-host', pattern: '\\b[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.internal\\b' }];

/** The release-tree rules that fail the gate, and those the release of an embedded runtime breaks. */
export const TREE_JUDGE = {
  rules: TREE_RULES.map((r) => r.id).filter((id) => requirement(id).level === 'MUST'),
  async judge(embedded: EmbeddedDeployment): Promise<string[]> {
    const files = await embeddedReleaseFiles(embedded);
    const root = mkdtempSync(join(tmpdir(), 'openport-release-'));
    try {
      for (const [path, text] of Object.entries(files)) {
        mkdirSync(dirname(join(root, path)), { recursive: true });
        writeFileSync(join(root, path), text);
      }
      const scan = await scanTree({ roots: [root], tracked: false, privateMarkers: RELEASE_MARKERS });
      return [...new Set(scan.findings.map((f) => f.ruleId))];
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  },
};

/** Both scans: what `mutate` judges the GATE.* clauses with. */
export const GATE_JUDGE = {
  rules: [...DEPLOYMENT_JUDGE.rules, ...TREE_JUDGE.rules],
  async judge(embedded: EmbeddedDeployment): Promise<string[]> {
    const [deployed, tree] = await Promise.all([DEPLOYMENT_JUDGE.judge(embedded), TREE_JUDGE.judge(embedded)]);
    return [...deployed, ...tree];
  },
};
