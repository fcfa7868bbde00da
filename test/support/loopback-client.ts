import { Agent, fetch as undiciFetch, type RequestInit, type Response } from 'undici';

/** `fetch`, but every connection comes from one loopback address. */
export type FetchFrom = (url: string, init?: RequestInit) => Promise<Response>;

/**
 * A client whose connections leave from `localAddress` (any of 127.0.0.0/8 on
 * Linux), so a server on 127.0.0.1 sees a different client address per
 * client: the real thing for tests of per-address rules (sign-in throttling),
 * with no proxy header to trust. Call `close()` when done.
 */
export function clientFrom(localAddress: string): { fetch: FetchFrom; close(): Promise<void> } {
  const agent = new Agent({ localAddress });
  return {
    fetch: (url, init = {}) => undiciFetch(url, { ...init, dispatcher: agent }),
    close: () => agent.close(),
  };
}
