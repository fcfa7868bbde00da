import { afterEach, describe, expect, it } from 'vitest';
import { freePort } from '../support/redis-server.js';
import { ServerProcess } from '../support/server-process.js';
import { stagePackage, type StagedPackage } from '../support/staged-package.js';

/**
 * `npm start` reads a `.env` file beside package.json (Node's own
 * `--env-file-if-exists`), with the real environment taking precedence, and
 * starts without one. Run from a staged copy of the package, so a
 * developer's own `.env` is never read or overwritten.
 */

const TEST_TIMEOUT_MS = 120_000;

describe('settings from .env', () => {
  let staged: StagedPackage | undefined;
  const servers: ServerProcess[] = [];

  afterEach(async () => {
    await Promise.all(servers.splice(0).map((server) => server.kill9()));
    staged?.remove();
    staged = undefined;
  });

  it(
    'are read by npm start, and a variable set in the environment wins over the file',
    async () => {
      staged = stagePackage();
      const port = await freePort();
      staged.writeEnvFile({ PORT: String(port), METRICS_PUBLIC: 'true', LOG_LEVEL: 'debug' });
      const server = await ServerProcess.start({ npmScript: 'start', cwd: staged.dir, portFromElsewhere: port, env: { LOG_LEVEL: 'info' }, waitReady: false });
      servers.push(server);
      expect(await server.status('/healthz')).toBe(200);
      const lines = server.logLines();
      expect(lines).toContainEqual(expect.objectContaining({ level: 'warn', event: 'config.unsafe', setting: 'METRICS_PUBLIC=true' }));
      expect(lines.filter((line) => line.level === 'debug')).toEqual([]);
      server.signal('SIGTERM');
      expect(await server.exit()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );

  it(
    'are optional: npm start runs without a .env',
    async () => {
      staged = stagePackage();
      const server = await ServerProcess.start({ npmScript: 'start', cwd: staged.dir, env: { LOG_LEVEL: 'info' }, waitReady: false });
      servers.push(server);
      expect(await server.status('/healthz')).toBe(200);
      expect(server.logLines().find((line) => line.event === 'listening')).toBeDefined();
      server.signal('SIGTERM');
      expect(await server.exit()).toEqual({ code: 0, signal: null });
    },
    TEST_TIMEOUT_MS,
  );
});
