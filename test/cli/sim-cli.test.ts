import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { createInterface } from 'node:readline';
import { afterEach, describe, expect, it } from 'vitest';

// Runs the built CLI (`npm test` builds dist/ first), exactly as a user would.
const BIN = new URL('../../bin/corral.js', import.meta.url).pathname;
let child: ChildProcess | undefined;

afterEach(() => {
  child?.kill('SIGKILL');
  child = undefined;
});

function firstLine(p: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: p.stdout! });
    rl.once('line', (l) => {
      rl.close();
      resolve(l);
    });
    p.once('exit', (code) => reject(new Error(`exited with ${code} before printing`)));
  });
}

describe('corral sim', () => {
  it('prints one JSON line with URLs and credentials, serves, and exits cleanly on SIGTERM', async () => {
    child = spawn(
      process.execPath,
      [BIN, 'sim', '--port', '0', '--ready-json', '--seed', '3', '--key', 'CLIKEY', '--secret', 'cli-secret'],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stderr = '';
    child.stderr!.on('data', (d) => (stderr += d));
    const info = JSON.parse(await firstLine(child));
    expect(Object.keys(info).sort()).toEqual(['data', 'keyId', 'secretKey', 'stream', 'trading', 'tradingStream']);
    expect(info).toMatchObject({ keyId: 'CLIKEY', secretKey: 'cli-secret' });
    expect(info.trading).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(info.stream).toMatch(/^ws:\/\/127\.0\.0\.1:\d+\//);
    const r = await fetch(`${info.trading}/v2/account`, {
      headers: { 'APCA-API-KEY-ID': 'CLIKEY', 'APCA-API-SECRET-KEY': 'cli-secret' },
    });
    expect(r.status).toBe(200);
    expect(((await (await fetch(`${info.trading}/_sim/health`)).json()) as { status: string }).status).toBe('ok');
    // the human summary goes to stderr with --ready-json, and does not echo a user-supplied secret
    await new Promise((res) => setTimeout(res, 50));
    expect(stderr).toContain('APCA_API_BASE_URL=');
    expect(stderr).not.toContain('cli-secret');
    const exit = new Promise<number | null>((res) => child!.once('exit', (code) => res(code)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
  });

  it('prints the human summary with the demo credentials by default', async () => {
    child = spawn(process.execPath, [BIN, 'sim', '--port', '0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const line = await firstLine(child);
    expect(line).toMatch(/corral simulator listening on http:\/\/127\.0\.0\.1:\d+/);
  });

  it.each([
    [['--policy', 'leaky'], /--policy/],
    [['--rate', 'lots'], /rate/],
    [['--port', 'eighty'], /--port/],
    [['--time-scale', '-1'], /timeScale/],
    [['--key', 'K'], /--secret/],
    [['--faults', 'GET /v2/account=700'], /faults\[0\]/],
    [['--no-such-flag'], /unknown option/],
  ])('exits with code 2 and a clear message for bad flags %j', (args, message) => {
    const r = spawnSync(process.execPath, [BIN, 'sim', '--port', '0', ...args], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(message);
  });
});
