/**
 * Lua for the RedisStore. Every script reads Redis `TIME` (one clock for every process), touches only the keys passed
 * in KEYS (all under one `{key}` hash tag, so they live in one Cluster slot) and PEXPIREs what it writes.
 *
 * KEYS[1] in-flight ZSET: member `<id>#<unit>` per weight unit, score = admission time (ms)
 * KEYS[2] released ZSET: same members, score = release time (ms); ZCOUNT over a score range is then the weight
 * KEYS[3] block STRING: Redis ms until which every admission waits (a server 429)
 *
 * Times are integer ms (floor for "now", ceil for release times: rounding always errs towards counting longer).
 */
import { createHash } from 'node:crypto';

export interface LuaScript {
  readonly source: string;
  readonly sha: string;
}

function script(source: string): LuaScript {
  return { source, sha: createHash('sha1').update(source).digest('hex') };
}

const CLOCK = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local nowC = tonumber(t[1]) * 1000 + math.ceil(tonumber(t[2]) / 1000)
`;

/** Adds `w` unit members for `id` to a ZSET at `score`, in bounded ZADD batches. */
const ADD_UNITS = `
local function add_units(key, score, id, w)
  local args = {}
  for i = 0, w - 1 do
    args[#args + 1] = score
    args[#args + 1] = id .. '#' .. i
    if #args >= 1000 then
      redis.call('ZADD', key, unpack(args))
      args = {}
    end
  end
  if #args > 0 then redis.call('ZADD', key, unpack(args)) end
end
`;

/**
 * Admit (or peek). ARGV: mode ('admit'|'peek'), ttlMs, maxHoldMs, id, weight, demand, n, windowMs×n, cap×n.
 * Returns {admitted 0|1, waitMs, blockedMs, inFlightWeight, used×n}.
 */
export const ADMIT = script(`${CLOCK}${ADD_UNITS}
local mode = ARGV[1]
local ttl = tonumber(ARGV[2])
local hold = tonumber(ARGV[3])
local id = ARGV[4]
local w = tonumber(ARGV[5])
local demand = tonumber(ARGV[6])
local n = tonumber(ARGV[7])
local maxW = 0
for j = 1, n do maxW = math.max(maxW, tonumber(ARGV[7 + j])) end

-- holds never released: auto-release at admission + maxHold (bounded batch; the rest next call)
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now - hold, 'WITHSCORES', 'LIMIT', 0, 500)
for i = 1, #stale, 2 do
  redis.call('ZADD', KEYS[2], tonumber(stale[i + 1]) + hold, stale[i])
  redis.call('ZREM', KEYS[1], stale[i])
end
-- released records that count in no window any more
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now - maxW)

local blockedUntil = tonumber(redis.call('GET', KEYS[3]) or '0')
local blocked = math.max(0, blockedUntil - now)
local inflight = redis.call('ZCARD', KEYS[1])
local released = redis.call('ZCARD', KEYS[2])
local wait = blocked
local used = {}
for j = 1, n do
  local W = tonumber(ARGV[7 + j])
  local cap = tonumber(ARGV[7 + n + j])
  local before = redis.call('ZCOUNT', KEYS[2], '-inf', now - W)
  local rel = released - before
  local u = inflight + rel
  used[j] = u
  local m = u + demand - cap
  if m > 0 then
    -- earliest time the m-th counted unit (in expiry order) stops counting; beyond one window, in generations
    local t = 0
    if m > u then
      local k = math.ceil((m - u) / cap)
      t = k * W
      m = m - k * cap
    end
    if m > 0 then
      if m <= rel then
        local e = redis.call('ZRANGE', KEYS[2], before + m - 1, before + m - 1, 'WITHSCORES')
        t = t + tonumber(e[2]) + W - now
      else
        t = t + W
      end
    end
    if t > wait then wait = t end
  end
end

local admitted = 0
if mode == 'admit' and wait <= 0 then
  add_units(KEYS[1], now, id, w)
  inflight = inflight + w
  admitted = 1
  for j = 1, n do used[j] = used[j] + w end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
local out = {admitted, math.ceil(wait), math.ceil(blocked), inflight}
for j = 1, n do out[#out + 1] = used[j] end
return out
`);

/**
 * Release. ARGV: ttlMs, id, weight, sent ('1'|'0'), agoMs (for releases replayed after an outage).
 * Returns how many units were still held.
 */
export const RELEASE = script(`${CLOCK}
local ttl = tonumber(ARGV[1])
local id = ARGV[2]
local w = tonumber(ARGV[3])
local sent = ARGV[4] == '1'
local at = nowC - tonumber(ARGV[5])
local moved = 0
for i = 0, w - 1 do
  local m = id .. '#' .. i
  if redis.call('ZREM', KEYS[1], m) == 1 then
    moved = moved + 1
    if sent then redis.call('ZADD', KEYS[2], at, m) end
  end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return moved
`);

/** Block every admission for blockMs (keeps the later of two blocks). ARGV: ttlMs, blockMs. Returns ms left. */
export const BLOCK = script(`${CLOCK}
local ttl = tonumber(ARGV[1])
local ms = math.ceil(tonumber(ARGV[2]))
local untilAt = now + ms
local cur = tonumber(redis.call('GET', KEYS[3]) or '0')
if untilAt > cur then
  redis.call('SET', KEYS[3], untilAt, 'PX', math.max(ttl, ms + 1000))
  cur = untilAt
end
return cur - now
`);

/**
 * Write back what a process admitted locally while Redis was unreachable, and replay releases it could not send.
 * ARGV: ttlMs, blockMs, nInFlight, nReleased, nReplays, then (id, weight, agoMs) × nInFlight,
 * (id, weight, agoMs) × nReleased, (id, weight, sent, agoMs) × nReplays.
 */
export const RESTORE = script(`${CLOCK}${ADD_UNITS}
local ttl = tonumber(ARGV[1])
local blockMs = math.ceil(tonumber(ARGV[2]))
local nIn = tonumber(ARGV[3])
local nRel = tonumber(ARGV[4])
local nRep = tonumber(ARGV[5])
local p = 6
for i = 1, nIn do
  add_units(KEYS[1], now - tonumber(ARGV[p + 2]), ARGV[p], tonumber(ARGV[p + 1]))
  p = p + 3
end
for i = 1, nRel do
  add_units(KEYS[2], nowC - tonumber(ARGV[p + 2]), ARGV[p], tonumber(ARGV[p + 1]))
  p = p + 3
end
for i = 1, nRep do
  local id = ARGV[p]
  local w = tonumber(ARGV[p + 1])
  local sent = ARGV[p + 2] == '1'
  local at = nowC - tonumber(ARGV[p + 3])
  for u = 0, w - 1 do
    local m = id .. '#' .. u
    if redis.call('ZREM', KEYS[1], m) == 1 and sent then redis.call('ZADD', KEYS[2], at, m) end
  end
  p = p + 4
end
if blockMs > 0 then
  local untilAt = now + blockMs
  local cur = tonumber(redis.call('GET', KEYS[3]) or '0')
  if untilAt > cur then redis.call('SET', KEYS[3], untilAt, 'PX', math.max(ttl, blockMs + 1000)) end
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 1
`);
