/** The whole program, every sub-command registered: its help lists them all (tests read its commander tree). */
import type { Command } from 'commander';
import { registerCertify, registerKeygen, registerVerify } from './certify.js';
import { registerExplain } from './explain.js';
import { registerFuzz } from './fuzz.js';
import { registerGate } from './gate.js';
import { registerInit } from './init.js';
import { registerOpenApi } from './openapi.js';
import { registerMutate } from './mutate.js';
import { registerProfiles } from './profiles.js';
import { registerRun } from './run.js';
import { registerServe } from './serve.js';
import type { CommandIo } from './io.js';
import { rootProgram } from './root.js';

/** Every command, writing through `io`. */
export function buildProgram(io: CommandIo): Command {
  const program = rootProgram(io);
  registerRun(program, io);
  registerProfiles(program, io);
  registerExplain(program, io);
  registerServe(program, io);
  registerInit(program, io);
  registerOpenApi(program, io);
  registerFuzz(program, io);
  registerMutate(program, io);
  registerGate(program, io);
  registerCertify(program, io);
  registerKeygen(program, io);
  registerVerify(program, io);
  return program;
}

