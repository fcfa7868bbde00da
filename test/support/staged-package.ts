import { copyFileSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A copy of the package in a temporary folder, to run its npm scripts with a `.env` of the test's own. */
export interface StagedPackage {
  readonly dir: string;
  /** Writes `dir/.env` from the given settings. */
  writeEnvFile(settings: Readonly<Record<string, string>>): void;
  remove(): void;
}

/**
 * Stages the package for running its npm scripts somewhere other than the
 * repository, so that a test's `.env` never touches (or reads) a developer's
 * own: package.json is copied, the sources, content and node_modules are
 * linked. `npm run` runs scripts in the folder of the package.json it finds,
 * so `--env-file-if-exists=.env` reads this folder's `.env`.
 */
export function stagePackage(): StagedPackage {
  const dir = mkdtempSync(join(tmpdir(), 'staged-package-'));
  copyFileSync(join(REPO_ROOT, 'package.json'), join(dir, 'package.json'));
  for (const name of ['node_modules', 'src', 'flows', 'locales', 'profiles', 'scripts', 'tsconfig.json']) {
    symlinkSync(join(REPO_ROOT, name), join(dir, name));
  }
  mkdirSync(join(dir, '.data'));
  return {
    dir,
    writeEnvFile(settings) {
      writeFileSync(join(dir, '.env'), Object.entries(settings).map(([name, value]) => `${name}=${value}\n`).join(''));
    },
    remove() {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
