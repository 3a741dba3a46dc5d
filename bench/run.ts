/**
 * Runs the benchmarks in one process sequence (so every ratio compares peers measured in the same run) and writes
 * bench/results/latest.json. Usage: npm run bench [-- name ...]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { ROOT } from './util.js';

type Bench = () => Promise<Record<string, unknown>>;
const benches: Record<string, () => Promise<{ run: Bench }>> = {
  'sim-throughput': () => import('./sim-throughput.js'),
  'limiter-acquire': () => import('./limiter-acquire.js'),
  'limiter-burst': () => import('./limiter-burst.js'),
  'limiter-redis': () => import('./limiter-redis.js'),
  'client-latency': () => import('./client-latency.js'),
  'orders-chaos': () => import('./orders-chaos.js'),
};

const wanted = process.argv.slice(2);
const results: Record<string, unknown> = {
  date: new Date().toISOString(),
  node: process.version,
  cpus: os.cpus().length,
  cpu: os.cpus()[0]?.model,
};
for (const [name, load] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  process.stderr.write(`bench: ${name}...\n`);
  results[name] = await (await load()).run();
  process.stderr.write(`${JSON.stringify(results[name], null, 2)}\n`);
}
mkdirSync(`${ROOT}bench/results`, { recursive: true });
writeFileSync(`${ROOT}bench/results/latest.json`, `${JSON.stringify(results, null, 2)}\n`);
