/**
 * Simulator throughput on GET /v2/account with a load generator (autocannon) in another process: the simulator must
 * never be the bottleneck of later benchmarks (goal ≥ 10k requests/s with rate limiting on).
 */
import autocannon from 'autocannon';
import { round, spawnSim } from './util.js';

interface Row {
  scenario: string;
  requestsPerSec: number;
  p50ms: number;
  p99ms: number;
  non2xx: number;
  total: number;
}

async function load(url: string, headers: Record<string, string>, seconds: number): Promise<autocannon.Result> {
  return autocannon({ url: `${url}/v2/account`, headers, connections: 64, pipelining: 1, duration: seconds });
}

export async function run(seconds = Number(process.env.BENCH_SECONDS ?? 10)): Promise<Record<string, unknown>> {
  const scenarios: Array<[string, string[]]> = [
    ['rate limit on, fixed-window, budget never exhausted', ['--rate', '1000000000/1m']],
    ['rate limit on, sliding-window, budget never exhausted', ['--rate', '10000000/1m', '--policy', 'sliding-window']],
    ['rate limit on, 200/min (nearly all answers are 429)', ['--rate', '200/1m']],
    ['rate limit off', ['--rate', 'off']],
  ];
  const rows: Row[] = [];
  for (const [name, args] of scenarios) {
    const sim = await spawnSim(args);
    const headers = { 'APCA-API-KEY-ID': sim.info.keyId, 'APCA-API-SECRET-KEY': sim.info.secretKey };
    await load(sim.info.trading, headers, 2); // warm-up (JIT, connections)
    const r = await load(sim.info.trading, headers, seconds);
    await sim.stop();
    rows.push({
      scenario: name,
      requestsPerSec: Math.round(r.requests.average),
      p50ms: round(r.latency.p50),
      p99ms: round(r.latency.p99),
      non2xx: r.non2xx,
      total: r.requests.total,
    });
  }
  return { tool: 'autocannon 64 connections, 1 pipelined request, separate process', seconds, rows };
}
