import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';

const BIN = new URL('../../bin/corral.js', import.meta.url).pathname;

describe('corral demo', () => {
  it('runs the scripted bot against the embedded simulator: no 429s, no duplicate orders, exit 0', () => {
    const r = spawnSync(process.execPath, [BIN, 'demo'], { encoding: 'utf8', timeout: 60_000 });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/0 answered 429 by the server/);
    expect(r.stdout).toMatch(/the simulator holds 25 orders, 25 confirmed to the bot, 0 duplicates/);
    expect(r.stdout).toMatch(/0 rate-limited/);
    expect(r.stdout).not.toMatch(/corral-demo-secret/);
  });

  it('rejects a bad flag with exit code 2', () => {
    const r = spawnSync(process.execPath, [BIN, 'demo', '--seed', 'x'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/--seed/);
  });
});
