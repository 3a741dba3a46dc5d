import { z } from 'zod';
import { formatPath, parseDuration } from '../core/config.js';
import { ConfigError } from '../core/errors.js';
import { SeededRandom } from '../core/random.js';
import type { HostClass } from './types.js';

/**
 * Deterministic fault injection. A rule matches requests by route, fires an action (or a scripted sequence of
 * actions) with a probability drawn from its own seeded stream, so the same seed and request order always give
 * the same faults regardless of other rules.
 */
export type FaultAction =
  | { kind: 'status'; status: 429 | 500 | 502 | 503 | 504 }
  | { kind: 'latency'; ms: number }
  | { kind: 'reset-before' }
  | { kind: 'reset-after' }
  | { kind: 'hang'; ms?: number }
  | { kind: 'pass' };

const actionSchema = z.union([
  z.object({
    kind: z.literal('status'),
    status: z.union([z.literal(429), z.literal(500), z.literal(502), z.literal(503), z.literal(504)]),
  }),
  z.object({ kind: z.literal('latency'), ms: z.number().nonnegative().max(600_000) }),
  z.object({ kind: z.literal('reset-before') }),
  z.object({ kind: z.literal('reset-after') }),
  z.object({ kind: z.literal('hang'), ms: z.number().positive().max(3_600_000).optional() }),
  z.object({ kind: z.literal('pass') }),
]);

const ruleSchema = z.object({
  id: z.string().max(64).optional(),
  /** `*`, `trading`, `data`, `/v2/orders` (any method) or `POST /v2/orders` (route templates, `*` suffix wildcard). */
  route: z.string().min(1).max(200).default('*'),
  /** One action fired with `probability`, or a scripted sequence consumed one matching request at a time. */
  action: z.union([actionSchema, z.array(actionSchema).min(1).max(10_000)]),
  probability: z.number().min(0).max(1).default(1),
  /** Maximum firings. @default unlimited (a sequence stops at its end) */
  times: z.number().int().positive().optional(),
  /** Matching requests to let through before the rule starts. @default 0 */
  after: z.number().int().nonnegative().default(0),
});

export type FaultRuleInput = z.input<typeof ruleSchema>;
type FaultRule = z.output<typeof ruleSchema>;

interface ActiveRule {
  rule: FaultRule;
  random: SeededRandom;
  matched: number;
  fired: number;
  match: (method: string, template: string, host: HostClass) => boolean;
}

/** The outcome for one request: total added latency and at most one terminal action. */
export interface FaultDecision {
  latencyMs: number;
  action?: Exclude<FaultAction, { kind: 'latency' } | { kind: 'pass' }>;
  ruleId?: string;
}

const NONE: FaultDecision = { latencyMs: 0 };

function matcher(route: string): ActiveRule['match'] {
  const r = route.trim();
  if (r === '*') return () => true;
  if (r === 'trading' || r === 'data') return (_m, _t, host) => host === r;
  const m = /^(GET|POST|PATCH|DELETE|PUT)\s+(\S+)$/i.exec(r);
  const method = m ? m[1]!.toUpperCase() : undefined;
  const path = m ? m[2]! : r;
  const prefix = path.endsWith('*') ? path.slice(0, -1) : undefined;
  return (mm, template) =>
    (!method || mm === method) && (prefix !== undefined ? template.startsWith(prefix) : template === path);
}

export class FaultEngine {
  private rules: ActiveRule[] = [];
  private firedTotal = 0;

  constructor(private readonly seed: number) {}

  get active(): boolean {
    return this.rules.length > 0;
  }

  /** Replaces (or appends to) the rule set. Throws ConfigError naming the bad field. */
  set(input: string | unknown[], mode: 'replace' | 'append' = 'replace'): void {
    const parsed = typeof input === 'string' ? parseFaultSpec(input) : input;
    const rules = parsed.map((r, i) => {
      const res = ruleSchema.safeParse(r);
      if (!res.success)
        throw new ConfigError(formatPath(`faults[${i}]`, res.error.issues[0]!.path), res.error.issues[0]!.message);
      return res.data;
    });
    if (mode === 'replace') this.rules = [];
    const base = this.rules.length;
    this.rules.push(
      ...rules.map((rule, i) => ({
        rule,
        random: new SeededRandom(`${this.seed}/fault/${base + i}/${rule.id ?? ''}`),
        matched: 0,
        fired: 0,
        match: matcher(rule.route),
      })),
    );
  }

  clear(): void {
    this.rules = [];
  }

  decide(method: string, template: string, host: HostClass): FaultDecision {
    if (this.rules.length === 0) return NONE;
    let latencyMs = 0;
    let action: FaultDecision['action'];
    let ruleId: string | undefined;
    for (const a of this.rules) {
      if (!a.match(method, template, host)) continue;
      const n = a.matched++;
      if (n < a.rule.after) continue;
      if (a.rule.times !== undefined && a.fired >= a.rule.times) continue;
      let chosen: FaultAction | undefined;
      if (Array.isArray(a.rule.action)) {
        const k = n - a.rule.after;
        if (k < a.rule.action.length) chosen = a.rule.action[k];
      } else if (a.random.next() < a.rule.probability) {
        chosen = a.rule.action;
      }
      if (!chosen || chosen.kind === 'pass') continue;
      a.fired++;
      this.firedTotal++;
      if (chosen.kind === 'latency') latencyMs += chosen.ms;
      else if (!action) {
        action = chosen;
        ruleId = a.rule.id;
      }
    }
    return action || latencyMs ? { latencyMs, action, ruleId } : NONE;
  }

  describe(): { fired: number; rules: Array<FaultRule & { matched: number; fired: number }> } {
    return {
      fired: this.firedTotal,
      rules: this.rules.map((a) => ({ ...a.rule, matched: a.matched, fired: a.fired })),
    };
  }
}

/**
 * Parses the compact `--faults` spec: rules separated by `;`, each `<route>=<actions>[@probability][xTimes]`, where
 * actions is one action or a comma-separated scripted sequence: a status (`503`), `reset-before`, `reset-after`,
 * `hang` or `hang:30s`, `latency:200ms`, `pass`. A JSON array of rules is accepted too.
 * Example: `POST /v2/orders=reset-after@0.2;GET /v2/account=503,503,pass;*=latency:20ms@0.1`.
 */
export function parseFaultSpec(spec: string): FaultRuleInput[] {
  const text = spec.trim();
  if (text.startsWith('[')) {
    try {
      return JSON.parse(text) as FaultRuleInput[];
    } catch (err) {
      throw new ConfigError('faults', `invalid JSON: ${(err as Error).message}`);
    }
  }
  return text
    .split(';')
    .map((s) => s.trim())
    .filter(Boolean)
    .map((part, i) => {
      const eq = part.lastIndexOf('=');
      if (eq <= 0) throw new ConfigError(`faults[${i}]`, `expected <route>=<action>, got "${part}"`);
      const route = part.slice(0, eq).trim();
      let rest = part.slice(eq + 1).trim();
      let times: number | undefined;
      let probability: number | undefined;
      const t = /x(\d+)$/.exec(rest);
      if (t) {
        times = Number(t[1]);
        rest = rest.slice(0, t.index);
      }
      const p = /@([\d.]+)$/.exec(rest);
      if (p) {
        probability = Number(p[1]);
        if (!(probability >= 0 && probability <= 1))
          throw new ConfigError(`faults[${i}].probability`, `must be in [0, 1], got ${p[1]}`);
        rest = rest.slice(0, p.index);
      }
      const actions = rest.split(',').map((a) => parseAction(a.trim(), `faults[${i}].action`));
      const action = actions.length === 1 ? actions[0]! : actions;
      return {
        route,
        action,
        ...(probability !== undefined && { probability }),
        ...(times !== undefined && { times }),
      };
    });
}

function parseAction(text: string, field: string): FaultAction {
  if (/^\d{3}$/.test(text)) {
    const status = Number(text);
    if (![429, 500, 502, 503, 504].includes(status))
      throw new ConfigError(field, `status must be one of 429, 500, 502, 503, 504, got ${text}`);
    return { kind: 'status', status: status as 429 };
  }
  const [name, arg] = text.split(':', 2) as [string, string | undefined];
  const ms = arg === undefined ? undefined : parseDuration(arg, field);
  switch (name) {
    case 'reset-before':
    case 'reset-after':
    case 'pass':
      return { kind: name };
    case 'hang':
      return ms === undefined ? { kind: 'hang' } : { kind: 'hang', ms };
    case 'latency':
      if (ms === undefined) throw new ConfigError(field, 'latency needs a duration, e.g. latency:200ms');
      return { kind: 'latency', ms };
    default:
      throw new ConfigError(
        field,
        `unknown fault "${text}" (status, reset-before, reset-after, hang[:ms], latency:ms, pass)`,
      );
  }
}
