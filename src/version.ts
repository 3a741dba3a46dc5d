import { createRequire } from 'node:module';

/**
 * corral's version, read from package.json at load time so the CLI and the User-Agent never drift from the release.
 * The relative path is the same from src/ (tests) and dist/ (the build).
 */
function readVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../package.json') as { name?: unknown; version?: unknown };
    return pkg.name === 'corral' && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const VERSION: string = readVersion();
