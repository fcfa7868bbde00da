import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NODE_FLAGS } from '../src/config/node-flags.js';
import { freePort } from './support/redis-server.js';
import { ServerProcess } from './support/server-process.js';
import { stagePackage, type StagedPackage } from './support/staged-package.js';

/**
 * The container, as far as it can be checked without a Docker engine: what
 * the Dockerfile and docker-compose.yml say, read statically, and the command
 * the image runs, run for real on the compiled output with every
 * devDependency made unimportable.
 */

const read = (path: string) => readFileSync(new URL(`../${path}`, import.meta.url), 'utf8');
const run = promisify(execFile);
const FORBID_DEV_DEPENDENCIES = fileURLToPath(new URL('./support/forbid-dev-dependencies.mjs', import.meta.url));

/** The Dockerfile's stages: each `FROM` line and the instructions up to the next (continuation lines joined). */
function stages(): { from: string; instructions: string[] }[] {
  const lines = read('Dockerfile')
    .replace(/\\\n\s*/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const result: { from: string; instructions: string[] }[] = [];
  for (const line of lines) {
    if (/^FROM\s/i.test(line)) result.push({ from: line, instructions: [] });
    else result.at(-1)?.instructions.push(line);
  }
  return result;
}

describe('the Dockerfile', () => {
  const all = stages();
  const final = all.at(-1)!;
  const nameOf = (stage: { from: string }) => /\sAS\s+(\S+)$/i.exec(stage.from)?.[1];

  it('builds in several stages, every one on Node 22 LTS', () => {
    expect(all.length).toBeGreaterThanOrEqual(2);
    for (const stage of all) expect(stage.from).toMatch(/^FROM node:22(?:-[a-z]+)?(?:@sha256:[0-9a-f]{64})?(?:\s+AS\s+\S+)?$/i);
  });

  it('runs the compiled server with node itself, as a non-root user, with a health check', () => {
    expect(final.instructions.filter((line) => /^CMD\s/i.test(line))).toEqual([`CMD ${JSON.stringify(['node', ...NODE_FLAGS, 'dist/src/main.js']).replaceAll(',', ', ')}`]);
    expect(final.instructions.some((line) => /^ENTRYPOINT\s/i.test(line))).toBe(false);
    const user = final.instructions.findIndex((line) => /^USER\s/i.test(line));
    expect(final.instructions[user]).toMatch(/^USER\s+(?!root\b|0\b)\S+$/i);
    expect(user).toBeLessThan(final.instructions.findIndex((line) => /^CMD\s/i.test(line)));
    expect(final.instructions.find((line) => /^HEALTHCHECK\s/i.test(line))).toContain('/readyz');
  });

  it('runs node with the same flags in the image, in npm start and in npm run start:prod', () => {
    const scripts = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts;
    for (const script of ['start', 'start:prod']) expect(scripts[script]).toMatch(new RegExp(`^exec node ${NODE_FLAGS.join(' ')} `));
  });

  it('puts production dependencies only in the final image: no TypeScript, no tsx, no dev dependency copied in', () => {
    const copies = final.instructions.filter((line) => /^COPY\s/i.test(line));
    const modules = copies.filter((line) => /node_modules/.test(line));
    expect(modules).toHaveLength(1);
    const source = /--from=(\S+)/.exec(modules[0] ?? '')?.[1];
    const installer = all.find((stage) => nameOf(stage) === source);
    expect(installer?.instructions).toContainEqual(expect.stringMatching(/^RUN npm ci (?=.*--omit=dev)(?=.*--omit=optional)/));
    expect(installer?.instructions.filter((line) => /^COPY\s/i.test(line))).toEqual(['COPY package.json package-lock.json ./']);
    // From the build stage (which has every dev dependency) only the compiled output.
    for (const line of copies.filter((copy) => copy.includes('--from='))) {
      if (!line.includes(`--from=${source}`)) expect(line).toMatch(/^COPY --from=\S+ \/app\/dist \.\/dist$/);
    }
    expect(final.instructions.join('\n')).not.toMatch(/\btsx\b|typescript|npm (?:ci|install)(?![^\n]*--omit=dev)/);
  });

  it('keeps secrets and the training corpus out of the build context', () => {
    const ignored = read('.dockerignore').split('\n');
    expect(ignored).toEqual(expect.arrayContaining(['.env', 'node_modules', 'locales/*/training.json']));
  });
});

describe('package.json', () => {
  it('keeps build and test tools out of the production dependencies', () => {
    const manifest = JSON.parse(read('package.json')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };
    for (const tool of ['tsx', 'typescript', 'vitest', 'eslint']) {
      expect(manifest.dependencies, tool).not.toHaveProperty(tool);
      expect(manifest.devDependencies, tool).toHaveProperty(tool);
    }
  });
});

describe('docker-compose.yml', () => {
  const compose = read('docker-compose.yml');

  it('says it is a trial over plain HTTP on this machine, publishes the bot to this machine only and opts the console into a cookie without Secure', () => {
    expect(compose).toMatch(/^# A TRIAL on one machine, over plain HTTP/);
    expect(compose).toContain('- "127.0.0.1:3978:3978"');
    expect(compose).toMatch(/^\s+CONSOLE_INSECURE_COOKIE: "true"$/m);
    expect(compose).toMatch(/^\s+REDIS_URL: redis:\/\/redis:6379$/m);
    expect(compose).not.toMatch(/^\s+- "3978:3978"$/m);
  });
});

describe('the compiled server, with no dev dependency importable', () => {
  let staged: StagedPackage;

  beforeAll(async () => {
    staged = stagePackage();
    await run(process.execPath, ['node_modules/typescript/bin/tsc', '-p', 'tsconfig.build.json', '--outDir', join(staged.dir, 'dist')], {
      cwd: fileURLToPath(new URL('..', import.meta.url)),
    });
  }, 120_000);
  afterAll(() => staged?.remove());

  it('starts with `npm run start:prod`, reads .env, answers /readyz and stops on SIGTERM', async () => {
    const port = await freePort();
    staged.writeEnvFile({ PORT: String(port), HOST: '127.0.0.1' });
    const server = await ServerProcess.start({
      npmScript: 'start:prod',
      cwd: staged.dir,
      portFromElsewhere: port,
      env: { NODE_OPTIONS: `--import=${FORBID_DEV_DEPENDENCIES}`, NODE_ENV: 'production', LOG_LEVEL: 'info' },
    });
    try {
      expect(await server.status('/readyz')).toBe(200);
      server.signal('SIGTERM');
      expect(await server.exit()).toEqual({ code: 0, signal: null });
      expect(server.stderr).toBe('');
    } finally {
      await server.kill9();
    }
  }, 120_000);

  it('runs the compiled handler accounts command', async () => {
    const { stderr } = await run(process.execPath, [`--import=${FORBID_DEV_DEPENDENCIES}`, 'dist/scripts/handlers.js', 'list'], {
      cwd: staged.dir,
      env: { PATH: process.env.PATH ?? '', HANDLERS_FILE: join(staged.dir, '.data', 'handlers.json') },
    });
    expect(stderr.trim()).toBe('no call handlers yet');
  }, 60_000);
});
