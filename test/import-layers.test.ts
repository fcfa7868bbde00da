import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

/**
 * The import rules in eslint.config.js, run as `npm test` runs them: a file
 * in one layer of src/ that imports a layer above it, or a platform SDK
 * outside its channel, is an error.
 */

const eslint = new ESLint({ cwd: new URL('..', import.meta.url).pathname });

/** The messages ESLint gives `source` as if it were the file at `filePath` (relative to the repository). */
async function importErrors(filePath: string, source: string): Promise<string[]> {
  const [result] = await eslint.lintText(source, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('import layers', () => {
  it.each([
    ['src/engine/probe.ts', "import { createApp } from '../app/create-app.js';"],
    ['src/engine/probe.ts', "import { RedisKeys } from '../storage/redis/redis-keys.js';"],
    ['src/core/probe.ts', "import { errorSummary } from '../logging/error-summary.js';"],
    ['src/handoff/probe.ts', "import { createConsoleRoutes } from '../console/console-routes.js';"],
    ['src/handoff/probe.ts', "import { RedisKeys } from '../storage/redis/redis-keys.js';"],
    ['src/channels/telegram/probe.ts', "import { Dispatcher } from '../../engine/dispatcher.js';"],
    ['src/nlu/probe.ts', "import { ConversationEngine } from '../engine/conversation-engine.js';"],
    ['flows/probe.ts', "import { ENGINE_KEYS } from '../src/engine/engine-keys.js';"],
    ['src/handoff/probe.ts', "import { Telegraf } from 'telegraf';"],
  ])('refuses in %s: %s', async (filePath, source) => {
    expect(await importErrors(filePath, `${source}\nexport const probe = 1;\n`)).toHaveLength(1);
  });

  it.each([
    ['src/engine/probe.ts', "import { normalise } from '../nlu/normalise.js';"],
    ['src/handoff/probe.ts', "import type { HandoffPort } from '../engine/handoff-port.js';"],
    ['src/storage/redis/probe.ts', "import type { HandoffQueue } from '../../handoff/handoff-model.js';"],
    ['src/app/probe.ts', "import { Dispatcher } from '../engine/dispatcher.js';"],
    ['src/channels/telegram/probe.ts', "import { Telegraf } from 'telegraf';"],
    ['src/channels/telegram/probe.ts', "import { splitText } from '../split-text.js';"],
  ])('allows in %s: %s', async (filePath, source) => {
    expect(await importErrors(filePath, `${source}\nexport const probe = 1;\n`)).toEqual([]);
  });
});
