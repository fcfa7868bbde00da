import net from 'node:net';

/** What a {@link dripRequest} saw. */
export interface DripResult {
  /** Milliseconds from connecting until the server closed the connection, or undefined if it was still open at `giveUpMs`. */
  readonly closedAfterMs: number | undefined;
  /** Everything the server wrote back. */
  readonly received: string;
}

/** How a {@link dripRequest} sends. */
export interface DripOptions {
  /** Written at once on connecting (e.g. the request line and headers). */
  readonly prefix: string;
  /** Then written one character at a time, one every `intervalMs`, for as long as the connection is open. */
  readonly drip: string;
  readonly intervalMs: number;
  /** How long to wait for the server to close before giving up. */
  readonly giveUpMs: number;
}

/**
 * A slow-loris client: sends `prefix`, then one more byte every `intervalMs`,
 * never finishing the request, and reports when (if ever) the server closed
 * the connection. Real TCP on 127.0.0.1, as an attacker would do it.
 */
export function dripRequest(url: string, { prefix, drip, intervalMs, giveUpMs }: DripOptions): Promise<DripResult> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const started = Date.now();
    let received = '';
    let index = 0;
    const socket = net.connect(Number(port), hostname, () => socket.write(prefix));
    const timer = setInterval(() => {
      if (!socket.destroyed && socket.writable) socket.write(drip[index++ % drip.length] ?? ' ');
    }, intervalMs);
    const finish = (closedAfterMs: number | undefined) => {
      clearInterval(timer);
      clearTimeout(giveUp);
      socket.destroy();
      resolve({ closedAfterMs, received });
    };
    const giveUp = setTimeout(() => finish(undefined), giveUpMs);
    socket.on('data', (chunk: Buffer) => (received += chunk.toString('latin1')));
    socket.on('error', () => undefined);
    socket.once('close', () => finish(Date.now() - started));
  });
}
