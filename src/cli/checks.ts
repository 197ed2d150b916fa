import type { CheckDef } from '../kit/check.js';
import type { CommandIo } from './io.js';

/**
 * The check list a command plans from: the one its io hands it, else the shipped list, loaded on first use so
 * --help and usage errors never depend on every suite loading.
 */
export async function loadChecks(io: Pick<CommandIo, 'checks'>): Promise<readonly CheckDef[]> {
  return io.checks ?? (await import('../../suites/index.js')).CHECKS;
}
