import { luaScript } from '../storage/redis/lua-script.js';

/**
 * Records a delivery once: marks its id (if any) and appends the event to its partition's stream, atomically.
 *
 * Marks are fields of time-bucketed hashes (`ARGV[4]` followed by the bucket number), not one key each: a
 * key with an expiry costs about 125 B of Redis memory, a short hash field about 70 B. The bucket is
 * floor(now / window), the window being the dedupe time (`ARGV[2]`). An id is looked for in the current and
 * the previous bucket, and a bucket expires when the bucket after it ends, so every id is remembered for
 * between one and two windows: never less than the dedupe time. (The bucket keys are built here, not passed
 * in KEYS: fine on a single Redis or Sentinel; Redis Cluster was never supported, the stream and the marks
 * already lived in different slots.)
 *
 * "now" is Redis' own TIME, not the caller's clock: it is the one clock every instance shares, so instances
 * whose clocks disagree still agree on the bucket (with their own clocks, one running ahead could write a mark
 * into a bucket that one running behind does not look in yet, and a redelivery around a bucket change would be
 * answered twice). Writing after TIME is allowed because scripts are replicated by their effects: the default
 * since Redis 5 and the only way in Redis 7 (Redis < 5 would need `redis.replicate_commands()` first).
 */
export const ENQUEUE = luaScript(`
if ARGV[1] ~= '' then
  local window = tonumber(ARGV[2])
  local time = redis.call('TIME')
  local bucket = math.floor((tonumber(time[1]) * 1000 + math.floor(tonumber(time[2]) / 1000)) / window)
  if redis.call('HEXISTS', ARGV[4] .. string.format('%d', bucket - 1), ARGV[1]) == 1 then return false end
  local current = ARGV[4] .. string.format('%d', bucket)
  if redis.call('HSETNX', current, ARGV[1], '1') == 0 then return false end
  redis.call('PEXPIREAT', current, string.format('%d', (bucket + 2) * window))
end
return redis.call('XADD', KEYS[1], '*', 'e', ARGV[3])`);

/** Acknowledges and removes a processed entry, so the stream only holds unfinished work. */
export const ACK = luaScript(`
redis.call('XACK', KEYS[1], ARGV[1], ARGV[2])
return redis.call('XDEL', KEYS[1], ARGV[2])`);
