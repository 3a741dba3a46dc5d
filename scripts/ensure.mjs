// Makes `npm test` and `npm run demo` work on a fresh clone: installs the locked dependencies when they are
// missing or older than package-lock.json. Uses only Node built-ins (it runs before anything is installed).
import { execSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';

const marker = 'node_modules/.package-lock.json';
const stale = !existsSync(marker) || statSync(marker).mtimeMs < statSync('package-lock.json').mtimeMs;
if (stale) {
  process.stderr.write('corral: installing dependencies (npm ci)...\n');
  execSync('npm ci --no-audit --no-fund', { stdio: 'inherit' });
}
