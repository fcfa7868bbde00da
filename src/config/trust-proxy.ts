import { isIP } from 'node:net';

/**
 * Which reverse proxies to believe about the client's address (Fastify's
 * `trustProxy`): off, the number of proxies in front of the bot, or their
 * addresses and CIDR ranges. Never "every hop": that would take the client's
 * address from the left end of X-Forwarded-For, which the client writes
 * itself, so anyone could pick the address that sign-in throttling and rate
 * limits count against.
 */
export type TrustProxy = false | number | readonly string[];

/** The names proxy-addr understands for well-known ranges. */
const RANGE_NAMES: ReadonlySet<string> = new Set(['loopback', 'linklocal', 'uniquelocal']);

/** The most proxy hops that make sense in front of one service. */
const MAX_HOPS = 10;

/** What {@link parseTrustProxy} found: the setting, or why it is refused. */
export type TrustProxyParse = { readonly value: TrustProxy } | { readonly problem: string };

/**
 * Reads `TRUST_PROXY`: unset or `false` (no proxy), a whole number of hops
 * (`1` behind one load balancer), or a comma-separated list of proxy
 * addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`.
 * `true` is refused with what to set instead.
 */
export function parseTrustProxy(text: string | undefined): TrustProxyParse {
  if (text === undefined || text === 'false' || text === '0') return { value: false };
  if (text === 'true') {
    return {
      problem:
        'TRUST_PROXY=true is refused: it believes any X-Forwarded-For a client writes. Set the number of proxies in front of the bot ' +
        '(e.g. TRUST_PROXY=1 behind one load balancer) or their addresses (e.g. TRUST_PROXY=10.0.0.0/8, comma-separated)',
    };
  }
  if (/^\d+$/.test(text)) {
    const hops = Number(text);
    return hops <= MAX_HOPS ? { value: hops } : { problem: `TRUST_PROXY must be a number of proxy hops from 0 to ${MAX_HOPS}` };
  }
  const entries = text.split(',').map((entry) => entry.trim());
  const bad = entries.filter((entry) => !isProxyAddress(entry));
  if (bad.length > 0) {
    return {
      problem: `TRUST_PROXY must be false, a number of proxy hops, or comma-separated proxy addresses or CIDR ranges (${bad.length} entr${bad.length === 1 ? 'y is' : 'ies are'} neither)`,
    };
  }
  return { value: entries };
}

function isProxyAddress(entry: string): boolean {
  if (RANGE_NAMES.has(entry)) return true;
  const [address = '', prefix, extra] = entry.split('/');
  const family = isIP(address);
  if (family === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}
