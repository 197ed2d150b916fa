// The second shard of the variant matrix (test/compat/variant-matrix.ts; the first is variants.test.ts).
import { variantMatrix } from './variant-matrix.js';

variantMatrix(1, 2);
