import { createHash } from 'node:crypto';
import type { RedisArgument } from 'redis';
import type { RedisClient } from './redis-connection.js';

/** A Lua script with its SHA1 digest, computed once, so that calls can send the digest instead of the text. */
export interface LuaScript {
  readonly text: string;
  readonly sha: string;
}

/** Declares a Lua script; its digest is computed here, once per process. */
export function luaScript(text: string): LuaScript {
  return { text, sha: createHash('sha1').update(text).digest('hex') };
}

/**
 * Runs a script by its digest (EVALSHA), so Redis need not receive and hash
 * the whole text on every call, and sends the text (EVAL) only when Redis
 * answers NOSCRIPT: the first call, or after Redis restarted or its script
 * cache was flushed. node-redis does the same for scripts declared when a
 * client is created; the clients here are created in one place for all.
 */
export async function runScript(client: RedisClient, { text, sha }: LuaScript, options: { keys: string[]; arguments: RedisArgument[] }): Promise<unknown> {
  try {
    return await client.evalSha(sha, options);
  } catch (error) {
    if (!(error instanceof Error && error.message.startsWith('NOSCRIPT'))) throw error;
    return client.eval(text, options);
  }
}
