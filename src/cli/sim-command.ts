import type { Command } from 'commander';
import { ConfigError } from '../core/errors.js';
import { maskId } from '../core/redact.js';
import { DEMO_SECRET, type SimulatorOptions } from '../sim/options.js';
import { type Simulator, startSimulator } from '../sim/server.js';

interface SimFlags {
  host: string;
  port: string;
  key?: string;
  secret?: string;
  rate: string;
  dataRate?: string;
  burst?: string;
  policy: string;
  seed: string;
  timeScale: string;
  faults?: string;
  retryAfter?: boolean;
  marketStart?: string;
  fillLatency?: string;
  readyJson?: boolean;
}

function num(value: string, flag: string, integer = false): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (integer && !Number.isInteger(n)))
    throw new ConfigError(flag, `expected ${integer ? 'an integer' : 'a number'}, got "${value}"`);
  return n;
}

/** Maps CLI flags to simulator options (exported for tests). */
export function simOptionsFromFlags(f: SimFlags): SimulatorOptions {
  if ((f.key === undefined) !== (f.secret === undefined))
    throw new ConfigError(f.key ? '--secret' : '--key', '--key and --secret go together');
  if (!['fixed-window', 'sliding-window'].includes(f.policy))
    throw new ConfigError('--policy', `expected fixed-window or sliding-window, got "${f.policy}"`);
  const off = (v: string | undefined) => (v === 'off' || v === 'none' ? false : v);
  return {
    host: f.host,
    port: num(f.port, '--port', true),
    ...(f.key && f.secret && { accounts: [{ keyId: f.key, secretKey: f.secret }] }),
    rate: off(f.rate) as string | false,
    ...(f.dataRate !== undefined && { dataRate: off(f.dataRate) as string | false }),
    ...(f.burst !== undefined && { burst: off(f.burst) as string | false }),
    policy: f.policy as SimulatorOptions['policy'],
    seed: num(f.seed, '--seed', true),
    timeScale: num(f.timeScale, '--time-scale'),
    ...(f.faults !== undefined && { faults: f.faults }),
    retryAfter: Boolean(f.retryAfter),
    ...(f.marketStart !== undefined && { marketStart: f.marketStart }),
    ...(f.fillLatency !== undefined && { fillLatencyMs: num(f.fillLatency, '--fill-latency') }),
  };
}

/** The human summary, with the environment variables Alpaca's SDKs read. */
export function simSummary(sim: Simulator, secretKnownToUser: boolean): string {
  const info = sim.readyInfo();
  const secret = secretKnownToUser ? '<the --secret you passed>' : info.secretKey;
  const o = sim.options;
  const rate = o.rate ? `${o.rate.limit} per ${o.rate.windowMs} ms` : 'off';
  return [
    `corral simulator listening on ${sim.url}`,
    `  trading REST  ${info.trading}      data REST  ${info.data}`,
    `  data stream   ${info.stream}   trading stream  ${info.tradingStream}`,
    `  account key   ${secretKnownToUser ? maskId(info.keyId) : info.keyId}`,
    `  rate limit    ${rate} (${o.policy}${o.burst ? `, burst ${o.burst.limit}/${o.burst.windowMs} ms` : ''}), time scale ${o.timeScale}, seed ${o.seed}`,
    `  admin         ${sim.url}/_sim/stats  /_sim/faults  /_sim/reset  /_sim/health`,
    '',
    'Point Alpaca SDKs at it:',
    `  export APCA_API_KEY_ID=${info.keyId}`,
    `  export APCA_API_SECRET_KEY=${secret}`,
    `  export APCA_API_BASE_URL=${info.trading}     # Go, Python (old SDK), JS 3.x`,
    `  export APCA_API_DATA_URL=${info.data}        # Go, Python (old SDK)`,
    `  export APCA_DATA_BASE_URL=${info.data}       # JS 3.x`,
    `  export DATA_PROXY_WS=${info.stream.replace(/\/v2\/iex$/, '')}      # JS 3.x streams (Go: append /v2)`,
    `  export APCA_API_STREAM_URL=${info.trading.replace(/^http/, 'ws')}  # trade_updates base`,
    '  alpaca-py: TradingClient(..., url_override=APCA_API_BASE_URL); JS 4.x: see docs/simulator.md (fetchApi)',
    '',
  ].join('\n');
}

export function registerSimCommand(program: Command): void {
  program
    .command('sim')
    .description('run the offline Alpaca simulator (REST, rate limits, faults) on loopback')
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option('--port <port>', 'port (0 = any free port)', '0')
    .option('--key <keyId>', 'API key id accepted by the simulator')
    .option('--secret <secret>', 'API secret accepted by the simulator')
    .option('--rate <n/window>', 'rate limit per key and host class, e.g. 200/1m; "off" disables', '200/1m')
    .option('--data-rate <n/window>', 'data host rate limit when different from --rate')
    .option('--burst <n/window>', 'extra burst limit, e.g. 10/1s')
    .option('--policy <policy>', 'fixed-window or sliding-window', 'fixed-window')
    .option('--seed <n>', 'seed for market data, ids and faults', '1')
    .option('--time-scale <x>', 'real duration of one simulated ms (0.01: a minute lasts 0.6 s)', '1')
    .option('--faults <spec>', 'fault rules, e.g. "POST /v2/orders=reset-after@0.2;GET /v2/account=503,pass"')
    .option('--retry-after', 'send Retry-After on 429 (Alpaca does not document it)')
    .option('--market-start <time>', 'market clock start (RFC-3339)')
    .option('--fill-latency <ms>', 'market ms from order acceptance to first fill', undefined)
    .option('--ready-json', 'print one JSON line with URLs and credentials once listening')
    .action(async (flags: SimFlags) => {
      const sim = await startSimulator(simOptionsFromFlags(flags));
      const summary = simSummary(sim, flags.secret !== undefined && flags.secret !== DEMO_SECRET);
      if (flags.readyJson) {
        process.stderr.write(summary);
        process.stdout.write(`${JSON.stringify(sim.readyInfo())}\n`);
      } else {
        process.stdout.write(summary);
      }
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sim.close();
    });
}
