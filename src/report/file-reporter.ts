import { join } from 'node:path';
import type { RunReport } from '../runner/result.js';
import { redactSecrets, writeFileAtomic } from './output.js';
import type { Reporter } from './types.js';

/** A reporter that renders the final report into one file of the output directory. */
export function fileReporter(name: string, fileName: string, render: (report: RunReport) => string): Reporter {
  return {
    name,
    file: fileName,
    async onEnd(report, ctx) {
      const file = join(ctx.outDir, fileName);
      await writeFileAtomic(file, redactSecrets(render(report), ctx.secrets));
      return [file];
    },
  };
}
