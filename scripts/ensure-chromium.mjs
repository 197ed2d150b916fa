// Runs before `npm test` (the `pretest` script): the HTML report's browser test (test/report/html.test.ts)
// drives a real headless Chromium. When none is there, install the system's package (Debian/Ubuntu:
// apt-get, as root); where that is impossible, stop at once naming the one command to run, instead of
// letting one test fail after minutes. CHROMIUM_PATH points at another browser binary.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const path = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const onPath = (cmd) => {
  try {
    execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
};

if (!existsSync(path)) {
  const root = typeof process.getuid === 'function' && process.getuid() === 0;
  if (process.env.CHROMIUM_PATH || !root || !onPath('apt-get')) {
    const how = process.env.CHROMIUM_PATH
      ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist: point it at a Chromium binary`
      : onPath('apt-get')
        ? 'run: sudo apt-get install -y --no-install-recommends chromium'
        : 'install Chromium with your system package manager, then set CHROMIUM_PATH to its binary if it is not /usr/bin/chromium';
    process.stderr.write(`npm test needs Chromium for the HTML report test and found none at ${path}; ${how}\n`);
    process.exit(1);
  }
  process.stderr.write('npm test: installing Chromium for the HTML report test (apt-get install chromium)\n');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  execFileSync('apt-get', ['update'], { stdio: ['ignore', 2, 2], env, timeout: 600_000 });
  execFileSync('apt-get', ['install', '-y', '--no-install-recommends', 'chromium'], { stdio: ['ignore', 2, 2], env, timeout: 900_000 });
  if (!existsSync(path)) {
    process.stderr.write(`apt-get installed chromium but there is no ${path}; set CHROMIUM_PATH to its binary\n`);
    process.exit(1);
  }
}
