import { Skip, type CheckDef } from '../../src/kit/check.js';
import { expectSuccess, fail } from '../../src/kit/expect.js';
import { witnessHash } from '../../src/protocol/index.js';
import { payloadFor, runTokenPreflight } from '../lib-write.js';

export const witness001: CheckDef = {
  id: 'WITNESS-001',
  safety: 'draft',
  needs: ['token'],
  description: 'Preflight of each witnessed sample (high-risk and update) on the existing resource returns stateWitness and stateWitnessHash = hex(SHA-256(JCS(stateWitness))).',
  async run(ctx) {
    const samples = [ctx.target.writes.highRisk, ctx.target.writes.update].filter((s) => s.witnessed);
    if (samples.length === 0) throw new Skip('the target declares no witnessed write sample', 'set witnessed: true on target.writes.highRisk or update');
    for (const sample of samples) {
      const ex = await runTokenPreflight(ctx, sample.action, payloadFor(sample, ctx.target.existingResourceId));
      const d = expectSuccess<any>(ex, `preflight of ${sample.action}`);
      if (d?.stateWitness === undefined || d?.stateWitness === null || typeof d?.stateWitnessHash !== 'string') {
        fail(`preflight of witnessed ${sample.action} carries no state witness`, 'data.stateWitness and data.stateWitnessHash', JSON.stringify(d).slice(0, 200), ex);
      }
      const mine = witnessHash(d.stateWitness);
      if (mine !== d.stateWitnessHash.toLowerCase()) fail(`stateWitnessHash of ${sample.action} is not the hash of stateWitness`, mine, d.stateWitnessHash, ex);
    }
  },
};
