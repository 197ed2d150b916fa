/**
 * No false alarms on correct servers that choose differently: every legitimate variant of the reference
 * runtime (src/runtime/variants) is run through the whole state-witness profile at safety 'load': each
 * variant alone in memory (the embedded run, at half the cost of serving it), and all of them at once served
 * over loopback HTTP. No check may fail, error or block, and the only warnings allowed are the SHOULD
 * requirements the variant legitimately gives up. Each run also records the wire traffic, to show the suite
 * actually met the variant's choice (a variant no request reaches proves nothing).
 */
import { variantMatrix, variantTable } from './variant-matrix.js';

variantTable();
// Shard 1 of 2; the other is variants-2.test.ts, so two workers share the matrix.
variantMatrix(0, 2);
