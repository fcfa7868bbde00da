/** One server-sent event stream as a browser's EventSource reads it: status, headers and the text as it arrives. */
export interface EventStreamClient {
  readonly status: number;
  readonly headers: Headers;
  /** Everything received so far. */
  text(): string;
  /** Resolves once `fragment` has arrived; rejects after `timeoutMs`. */
  waitFor(fragment: string, timeoutMs?: number): Promise<void>;
  /** Whether the server has ended the stream. */
  readonly ended: boolean;
  /** Resolves when the server ends the stream; rejects after `timeoutMs` if it has not. */
  waitForEnd(timeoutMs?: number): Promise<void>;
  /** Goes away, as a closed tab does. */
  close(): void;
}

/**
 * Opens `url` with `fetch` and reads its body as a stream, for tests of the
 * console's live events against the real server. A response other than 200
 * is read whole and reported with `ended` already true.
 */
export async function openEventStream(url: string, headers: Record<string, string>): Promise<EventStreamClient> {
  const abort = new AbortController();
  const response = await fetch(url, { headers: { accept: 'text/event-stream', ...headers }, signal: abort.signal });
  let received = '';
  let ended = false;
  const done = (async () => {
    if (!response.body) return;
    const decoder = new TextDecoder();
    try {
      for await (const chunk of response.body) received += decoder.decode(chunk as Uint8Array, { stream: true });
    } catch {
      // Aborted by close(): the stream did not end from the server's side.
      return;
    }
    ended = true;
  })();
  const poll = async (condition: () => boolean, what: () => string, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`event stream: ${what()}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };
  return {
    status: response.status,
    headers: response.headers,
    text: () => received,
    waitFor: (fragment, timeoutMs = 3_000) => poll(() => received.includes(fragment), () => `no ${JSON.stringify(fragment)} in ${JSON.stringify(received)}`, timeoutMs),
    get ended() {
      return ended;
    },
    waitForEnd: (timeoutMs = 3_000) => poll(() => ended, () => `still open after ${timeoutMs} ms; received ${JSON.stringify(received)}`, timeoutMs),
    close() {
      abort.abort();
      void done;
    },
  };
}
