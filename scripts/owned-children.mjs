// Child processes a script owns: the servers a benchmark or soak starts (serve, bare node:http, the authors'
// runtime) end with the script, however it ends — finished, failed, interrupted (SIGINT, SIGTERM, SIGHUP) or cut
// off by a closed pipe (`npm run bench | head`). Without this, a script killed alone (by `timeout`, or a pipe's
// reader going away) leaves its servers listening on loopback for good.
import { spawn } from 'node:child_process';

const owned = new Set();
let installed = false;

function install() {
  if (installed) return;
  installed = true;
  const killAll = () => {
    for (const c of owned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
  };
  process.on('exit', killAll);
  for (const [signal, code] of [['SIGINT', 130], ['SIGTERM', 143], ['SIGHUP', 129]]) {
    process.on(signal, () => {
      killAll();
      process.exit(code);
    });
  }
  // A reader that went away: stop here (the exit handler ends the children) rather than crash on the next line.
  process.stdout.on('error', (e) => {
    if (e.code === 'EPIPE') process.exit(141);
    throw e;
  });
}

/** child_process.spawn, and the child is ended when this process ends. */
export function spawnOwned(command, args, options) {
  install();
  const child = spawn(command, args, options);
  owned.add(child);
  child.on('exit', () => owned.delete(child));
  return child;
}
