import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { type Clock, ScaledClock, systemClock } from '../core/clock.js';
import type { Disposable } from '../core/events.js';
import { silentLogger } from '../core/logger.js';
import { SeededRandom } from '../core/random.js';
import { AccountRegistry } from './accounts.js';
import { createAdminHandler } from './admin.js';
import { FaultEngine, type FaultRuleInput } from './faults.js';
import { createSyntheticMarket, defaultMarketStart, marketDataRoutes, tradingInfoRoutes } from './market/index.js';
import { type ResolvedSimOptions, resolveSimOptions, type SimulatorOptions } from './options.js';
import { createRequestHandler } from './request-handler.js';
import { Router } from './router.js';
import { RequestLog, type RequestLogEntry, SimCounters } from './stats.js';
import { TradeEventLog } from './trade-events.js';
import { createTradingEngine } from './trading/index.js';
import type { MarketModel, SimAccount, SimDeps } from './types.js';

export interface SimUrls {
  trading: string;
  data: string;
  stream: string;
  tradingStream: string;
}

/** The `--ready-json` line. */
export interface ReadyInfo extends SimUrls {
  keyId: string;
  secretKey: string;
}

export type UpgradeHandler = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface Simulator {
  readonly host: string;
  readonly port: number;
  /** Base URL; trading and data routes share it. */
  readonly url: string;
  readonly urls: SimUrls;
  readonly accounts: readonly SimAccount[];
  readonly options: ResolvedSimOptions;
  readonly market: MarketModel;
  readonly marketClock: Clock;
  readonly tradeEvents: TradeEventLog;
  readonly server: Server;
  stats(): SimStats;
  setFaults(rules: string | FaultRuleInput[], mode?: 'replace' | 'append'): void;
  clearFaults(): void;
  /** Orders, positions, cash, counters, rate windows, logs and faults back to their start state. */
  reset(): void;
  requestLog(afterSeq?: number, limit?: number): RequestLogEntry[];
  readyInfo(account?: number): ReadyInfo;
  /** Routes WebSocket upgrades whose path satisfies `match` (the stream endpoints plug in here). */
  onUpgrade(match: (path: string) => boolean, handler: UpgradeHandler): Disposable;
  close(): Promise<void>;
}

export interface SimStats {
  requests: number;
  rate_limited: number;
  unauthorized: number;
  bad_requests: number;
  faults_fired: number;
  by_route: Record<string, Record<string, number>>;
  orders: ReturnType<ReturnType<typeof createTradingEngine>['stats']>;
  trade_events: number;
  uptime_ms: number;
}

/** Starts the simulator on a real loopback socket. */
export async function startSimulator(options: SimulatorOptions = {}): Promise<Simulator> {
  const o = resolveSimOptions(options);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? silentLogger;
  const startMono = clock.now();
  const wallAnchor = clock.wallNow();
  const serverNow = () => wallAnchor + (clock.now() - startMono);

  const market = createSyntheticMarket({ seed: o.seed, symbols: o.symbols });
  const marketClock = new ScaledClock(clock, o.timeScale, o.marketStart ?? defaultMarketStart(clock.wallNow()));
  const tradeEvents = new TradeEventLog();
  const accounts = new AccountRegistry(o);
  const deps: SimDeps = {
    clock,
    marketClock,
    timeScale: o.timeScale,
    market,
    random: new SeededRandom(o.seed),
    tradeEvents,
    fillLatencyMs: o.fillLatencyMs,
  };
  const engine = createTradingEngine(deps, accounts.list);
  const router = new Router([...engine.routes(), ...tradingInfoRoutes(deps), ...marketDataRoutes(deps)]);
  const faults = new FaultEngine(o.seed);
  if (o.faults) faults.set(o.faults as string | unknown[]);
  const counters = new SimCounters();
  const log = new RequestLog(o.requestLogSize);
  const hanging = new Set<IncomingMessage>();

  const stats = (): SimStats => ({
    requests: counters.requests,
    rate_limited: counters.rateLimited,
    unauthorized: counters.unauthorized,
    bad_requests: counters.badRequests,
    faults_fired: counters.faults,
    by_route: counters.routes(),
    orders: engine.stats(),
    trade_events: tradeEvents.size,
    uptime_ms: clock.now() - startMono,
  });
  const reset = () => {
    engine.reset();
    counters.reset();
    log.clear();
    tradeEvents.clear();
    accounts.resetLimits();
    if (o.faults) faults.set(o.faults as string | unknown[]);
    else faults.clear();
  };
  const admin = createAdminHandler(
    {
      stats,
      faults: () => faults.describe(),
      setFaults: (r, mode) => faults.set(r, mode),
      clearFaults: () => faults.clear(),
      reset,
      requests: (after, limit) => log.since(after, limit),
      tradeEvents: (i, after, limit) => {
        const acct = accounts.list[i];
        return acct ? tradeEvents.since(acct.id, after, limit) : [];
      },
      uptimeMs: () => clock.now() - startMono,
    },
    o.maxBodyBytes,
  );

  const server = createServer({ keepAliveTimeout: 30_000, headersTimeout: 35_000, requestTimeout: 0 });
  server.on(
    'request',
    createRequestHandler({ o, clock, serverNow, router, accounts, faults, counters, log, logger, admin, hanging }),
  );
  const sockets = new Set<Duplex>();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('clientError', (_err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    else socket.destroy();
  });
  const upgrades: Array<{ match: (p: string) => boolean; handler: UpgradeHandler }> = [];
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const h = upgrades.find((u) => u.match(path));
    if (h) return h.handler(req, socket, head);
    socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const addr = server.address();
  const port = typeof addr === 'object' && addr ? addr.port : o.port;
  const hostPart = o.host.includes(':') ? `[${o.host}]` : o.host;
  const url = `http://${hostPart}:${port}`;
  const urls: SimUrls = {
    trading: url,
    data: url,
    stream: `ws://${hostPart}:${port}/v2/iex`,
    tradingStream: `ws://${hostPart}:${port}/stream`,
  };

  return {
    host: o.host,
    port,
    url,
    urls,
    accounts: accounts.list,
    options: o,
    market,
    marketClock,
    tradeEvents,
    server,
    stats,
    setFaults: (r, mode = 'replace') => faults.set(r, mode),
    clearFaults: () => faults.clear(),
    reset,
    requestLog: (after = 0, limit = 100_000) => log.since(after, limit),
    readyInfo: (i = 0) => ({ ...urls, keyId: accounts.list[i]!.keyId, secretKey: accounts.list[i]!.secretKey }),
    onUpgrade: (match, handler) => {
      const entry = { match, handler };
      upgrades.push(entry);
      return { dispose: () => void upgrades.splice(upgrades.indexOf(entry), 1) };
    },
    close: async () => {
      engine.close();
      for (const r of hanging) r.socket.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      for (const s of sockets) s.destroy();
      await closed;
    },
  };
}
