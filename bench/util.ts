/** Shared helpers for benchmarks (bench/ may use the host clock directly: it measures, it is not product code). */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url)); // .tmp/bench/bench → repo root

export interface ReadyInfo {
  trading: string;
  data: string;
  keyId: string;
  secretKey: string;
}

/** Starts `corral sim` in its own process (so a load generator never shares its event loop). */
export async function spawnSim(
  args: string[],
): Promise<{ info: ReadyInfo; child: ChildProcess; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [`${ROOT}bin/corral.js`, 'sim', '--port', '0', '--ready-json', ...args], {
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const rl = createInterface({ input: child.stdout! });
  const [line] = (await once(rl, 'line')) as [string];
  rl.close();
  return {
    info: JSON.parse(line) as ReadyInfo,
    child,
    stop: async () => {
      child.kill('SIGTERM');
      await once(child, 'exit');
    },
  };
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

export const round = (x: number, d = 2) => Math.round(x * 10 ** d) / 10 ** d;
