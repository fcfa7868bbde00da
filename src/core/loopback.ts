/**
 * True for a host (a name or an IP literal, IPv6 in brackets or not) that can
 * only be this machine: `localhost`, 127.0.0.0/8, `::1`, or an IPv4-mapped
 * 127 address. Plain http, unauthenticated callers and open metrics are
 * allowed there and nowhere else, because nothing on the network can see or
 * reach it. The WHATWG URL parser writes IP literals in one canonical form
 * (`127.1` becomes `127.0.0.1`, `0:0::1` becomes `[::1]`), so only those forms
 * need checking.
 */
export function isLoopbackHostname(hostname: string): boolean {
  const literal = hostname.includes(':') && !hostname.startsWith('[') ? `[${hostname}]` : hostname;
  let canonical: string;
  try {
    canonical = new URL(`http://${literal}/`).hostname;
  } catch {
    return false;
  }
  if (canonical === 'localhost') return true;
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(canonical)) return canonical.startsWith('127.');
  return canonical === '[::1]' || /^\[::ffff:7f[0-9a-f]{2}:[0-9a-f]{1,4}\]$/.test(canonical);
}

/** True for a socket's remote address (an IP literal) that is this machine (see {@link isLoopbackHostname}). */
export function isLoopbackAddress(address: string | undefined): boolean {
  return address !== undefined && /^[0-9A-Fa-f:.]+$/.test(address) && isLoopbackHostname(address);
}

/** True when `url` parses and its host is loopback. */
export function isLoopbackUrl(url: string): boolean {
  try {
    return isLoopbackHostname(new URL(url).hostname);
  } catch {
    return false;
  }
}
