import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** A free TCP port on 127.0.0.1, found by binding port 0 and closing again. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** How a {@link TestRedis} runs. */
export interface TestRedisOptions {
  /** The port to listen on (a free one when absent), e.g. one a server was already told to use. */
  readonly port?: number;
  /**
   * Keep an append-only file, synced on every write, so that data survives
   * `pause()`/`resume()` as it would on a production Redis with persistence.
   * Off by default: a restart then comes back empty.
   */
  readonly durable?: boolean;
}

/**
 * A real, throwaway `redis-server` (Debian's package) on 127.0.0.1 and a free
 * port, with no persistence unless asked, for tests of the Redis code. It can
 * be stopped and started again on the same port to test outages.
 */
export class TestRedis {
  #process: ChildProcess | undefined;
  readonly #dir = mkdtempSync(join(tmpdir(), 'test-redis-'));

  private constructor(
    readonly port: number,
    private readonly durable: boolean,
  ) {}

  /** Starts a server on the given port or a free one. */
  static async start({ port, durable = false }: TestRedisOptions = {}): Promise<TestRedis> {
    const redis = new TestRedis(port ?? (await freePort()), durable);
    await redis.resume();
    return redis;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts (again) on the same port and waits until it accepts connections. */
  async resume(): Promise<void> {
    const persistence = this.durable ? ['--appendonly', 'yes', '--appendfsync', 'always'] : ['--appendonly', 'no'];
    const child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', ...persistence, '--dir', this.#dir], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#process = child;
    await new Promise<void>((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Ready to accept connections')) resolve();
      };
      child.stdout?.on('data', onData);
      child.once('exit', (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
      child.once('error', reject);
    });
  }

  /** Stops the server answering while its connections stay open, as a hung server or a black-holed network would. */
  freeze(): void {
    this.#process?.kill('SIGSTOP');
  }

  /** Lets a frozen server answer again; it then answers everything sent meanwhile. */
  thaw(): void {
    this.#process?.kill('SIGCONT');
  }

  /** Stops the server abruptly, as an outage would. */
  async pause(): Promise<void> {
    const child = this.#process;
    this.#process = undefined;
    if (!child || child.exitCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill('SIGKILL');
    });
  }

  async stop(): Promise<void> {
    await this.pause();
    rmSync(this.#dir, { recursive: true, force: true });
  }
}
