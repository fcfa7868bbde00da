/**
 * Flags for the Node process that runs the bot in production. The Dockerfile's
 * CMD, `npm start` and `npm run bench` all pass these (a test holds the first
 * two to this list), so the bench measures what a force deploys.
 *
 * `--max-semi-space-size=64` (MB): every message allocates short-lived
 * objects (the understanding's tokens, the flow's snapshot, HTTP bodies).
 * With V8's default young generation (16 MB semi-spaces on 64-bit), many of
 * them live through two scavenges, are promoted to the old generation and
 * are only freed by full mark-compact collections, which pause the event
 * loop for tens of milliseconds over the classifier and rules (a heap of
 * about 200 MB). A larger young generation lets them die young. Measured
 * with `npm run bench` on 2 cores: Redis throughput 1,255 to 1,977 messages
 * a second, reply p99 at 1,000/s from 2.9 s to 42 ms; 32 MB gave 1,658.
 * It costs about 100 MB more resident memory.
 */
export const NODE_FLAGS = ['--max-semi-space-size=64'] as const;
