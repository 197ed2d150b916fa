/**
 * Libraries that only some commands and paths call, loaded on first use: `--help`, `explain` or a usage error
 * should not pay for loading yaml and ajv (about 140 modules) that they never call. They are CommonJS
 * packages, so a require keeps the callers synchronous; Node caches the module after the first call.
 */
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

export const yaml = (): typeof import('yaml') => require('yaml') as typeof import('yaml');
export const ajv = (): typeof import('ajv') => require('ajv') as typeof import('ajv');
export const ajv2020 = (): typeof import('ajv/dist/2020.js') => require('ajv/dist/2020.js') as typeof import('ajv/dist/2020.js');
