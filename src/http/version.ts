import { createRequire } from 'node:module';

/**
 * corral's version, read from package.json at load time so the User-Agent never drifts from the release.
 * The relative path is the same from src/http (tests) and dist/http (the build).
 */
function readVersion(): string {
  try {
    const pkg = createRequire(import.meta.url)('../../package.json') as { name?: unknown; version?: unknown };
    return pkg.name === 'corral' && typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

export const CORRAL_VERSION: string = readVersion();

/** The default User-Agent, `corral/<version>`. */
export const DEFAULT_USER_AGENT = `corral/${CORRAL_VERSION}`;
