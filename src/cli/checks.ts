import type { CheckDef } from '../kit/check.js';

/** The check list, loaded on first use so --help and usage errors never depend on every suite loading. */
export async function loadChecks(): Promise<readonly CheckDef[]> {
  return (await import('../../suites/index.js')).CHECKS;
}
