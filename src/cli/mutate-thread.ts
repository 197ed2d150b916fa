/**
 * A thread judging mutants for `openport-conform mutate` (MutateOptions.threads): the shipped checks and the
 * release gate's scans, the same the command's own thread judges with, loaded here since functions do not
 * cross threads.
 */
import { workerData } from 'node:worker_threads';
import { CHECKS } from '../../suites/index.js';
import { GATE_JUDGE } from '../gate/judge.js';
import { serveMutants, type MutantThreadData } from '../selftest/mutate.js';

await serveMutants({ ...(workerData as MutantThreadData), checks: CHECKS, deployment: GATE_JUDGE });
