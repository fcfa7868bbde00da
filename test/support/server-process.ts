import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { freePort } from './redis-server.js';

/** The repository root: the server is started from there, exactly as `npm start` does. */
const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** How to start a {@link ServerProcess}. */
export interface ServerProcessOptions {
  /** The server's environment (REDIS_URL, TELEGRAM_*, …). HOST, PORT and LOG_LEVEL are filled in unless given. */
  readonly env: Readonly<Record<string, string>>;
  /** Wait for `/readyz` to answer 200 before resolving; otherwise only for `/healthz` (listening). */
  readonly waitReady?: boolean;
  /** How long start-up may take (loading every locale and channel under tsx is slow on a busy machine). */
  readonly timeoutMs?: number;
  /** Run `npm run <script>` (e.g. `start`) instead of `node --import tsx src/main.ts`, as a person would. */
  readonly npmScript?: string;
  /** false: resolve as soon as the process is spawned (for a start that is meant to fail). */
  readonly waitForStart?: boolean;
  /** Where to run (default: the repository root). */
  readonly cwd?: string;
  /** The port the server will listen on when it is not given as PORT (e.g. it comes from a `.env` file); PORT is then not set. */
  readonly portFromElsewhere?: number;
}

/** How a process ended. */
export interface ProcessExit {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/**
 * The real server (`src/main.ts`) as a separate OS process, for fault tests
 * that need what an in-process app cannot give: `kill -9`, two instances
 * with nothing shared but Redis, a start with Redis away. Its environment is
 * only what the test passes (plus PATH and HOME), so nothing leaks in from the
 * shell that runs the tests. Its stdout and stderr are captured for
 * assertions and for failure messages.
 */
export class ServerProcess {
  #stdout = '';
  #stderr = '';
  readonly #exited: Promise<ProcessExit>;

  private constructor(
    private readonly child: ChildProcess,
    /** Base URL, e.g. `http://127.0.0.1:41234`. */
    readonly url: string,
  ) {
    child.stdout?.on('data', (chunk: Buffer) => (this.#stdout += chunk.toString()));
    child.stderr?.on('data', (chunk: Buffer) => (this.#stderr += chunk.toString()));
    child.once('error', (error) => (this.#stderr += `could not start: ${error.message}\n`));
    this.#exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  }

  /** Starts `node --import tsx src/main.ts` (or an npm script) on a free port and waits until it listens (or is ready). */
  static async start({ env, waitReady = true, timeoutMs = 60_000, npmScript, waitForStart = true, cwd = REPO_ROOT, portFromElsewhere }: ServerProcessOptions): Promise<ServerProcess> {
    const port = portFromElsewhere === undefined ? (env.PORT ?? String(await freePort())) : String(portFromElsewhere);
    const [command, args] = npmScript === undefined ? [process.execPath, ['--import', 'tsx', 'src/main.ts']] : ['npm', ['run', '--silent', npmScript]];
    const child = spawn(command, args, {
      cwd,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', HOST: '127.0.0.1', LOG_LEVEL: 'warn', ...env, ...(portFromElsewhere === undefined && { PORT: port }) },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const server = new ServerProcess(child, `http://127.0.0.1:${port}`);
    if (!waitForStart) return server;
    try {
      await server.waitFor(waitReady ? '/readyz' : '/healthz', timeoutMs);
    } catch (error) {
      await server.kill9();
      throw error;
    }
    return server;
  }

  /** The process id (of npm, when started through an npm script). */
  get pid(): number {
    return this.child.pid ?? 0;
  }

  /** Sends a signal to the process (to npm itself, when started through an npm script). */
  signal(signal: NodeJS.Signals): void {
    this.child.kill(signal);
  }

  /** Resolves with how the process ended; rejects (with its output) if it still runs after `timeoutMs`. */
  async exit(timeoutMs = 20_000): Promise<ProcessExit> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`still running after ${timeoutMs} ms:\n${this.#stderr}\n${this.#stdout}`)), timeoutMs);
    });
    try {
      return await Promise.race([this.#exited, late]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The JSON log lines written to stdout so far (a line that is not JSON makes this throw, naming it). */
  logLines(): Record<string, unknown>[] {
    return this.#stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => {
        try {
          return JSON.parse(line) as Record<string, unknown>;
        } catch {
          throw new Error(`a stdout line that is not JSON: ${line}`);
        }
      });
  }

  /** Whether the process is still running. */
  get alive(): boolean {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Everything the process wrote to stderr so far. */
  get stderr(): string {
    return this.#stderr;
  }

  /** Everything the process wrote to stdout so far (its JSON log lines). */
  get stdout(): string {
    return this.#stdout;
  }

  /** Polls `path` until it answers 200; rejects (with the process's output) after `timeoutMs` or if the process exits. */
  async waitFor(path: string, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (!this.alive) throw new Error(`server exited before ${path} answered 200:\n${this.#stderr}\n${this.#stdout}`);
      const status = await this.status(path);
      if (status === 200) return;
      if (Date.now() > deadline) throw new Error(`${path} still answers ${status} after ${timeoutMs} ms:\n${this.#stderr}\n${this.#stdout}`);
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }

  /** The status of a GET, or 0 when nothing answers. */
  async status(path: string): Promise<number> {
    try {
      const response = await fetch(`${this.url}${path}`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  }

  /** Kills the process at once, with no chance to clean up (`kill -9`), and waits until it is gone. */
  async kill9(): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGKILL');
    await this.#exited;
  }

  /** Asks the process to shut down (SIGTERM) and waits; kills it if it has not exited within `timeoutMs`. */
  async stop(timeoutMs = 10_000): Promise<void> {
    if (!this.alive) return;
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), timeoutMs);
    await this.#exited;
    clearTimeout(timer);
  }
}
