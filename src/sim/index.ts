export { type FaultAction, type FaultRuleInput, parseFaultSpec } from './faults.js';
export { DEMO_KEY_ID, DEMO_SECRET, type RatePolicy, type RateSpec, type SimulatorOptions } from './options.js';
export { type ReadyInfo, type SimStats, type SimUrls, type Simulator, startSimulator } from './server.js';
export type { RequestLogEntry } from './stats.js';
export type { RecordedTradeUpdate, TradeUpdate } from './trade-events.js';
export type { AssetInfo, MarketModel, SimAccount } from './types.js';
