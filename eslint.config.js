// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** Platform SDKs: imported only under src/channels/<platform>/. */
const PLATFORM_SDKS = { group: ['telegraf*', 'botbuilder*', 'botframework-*', 'twitter-api-v2*'], message: 'Platform SDKs are imported only under src/channels/<platform>/.' };
/** What the flow and the core may not import: they are pure. */
const IMPURE = { group: ['telegraf*', 'botbuilder*', 'twitter-api-v2*', 'redis*', 'fastify*', 'node:*'], message: 'The flow and core are pure: no platform, I/O or server imports.' };

/**
 * The layers of src/ and the ones each may import (flows/ is open to all but
 * itself imports nothing from src/). Imports point down this list: the
 * channel-free model at the bottom, the assembly (src/app/) at the top.
 */
const LAYERS = {
  core: [],
  logging: ['core'],
  config: ['core'],
  nlu: ['core'],
  i18n: ['config', 'core'],
  engine: ['core', 'i18n', 'logging', 'nlu'],
  handoff: ['config', 'core', 'engine', 'logging'],
  scheduling: ['core', 'engine', 'handoff', 'logging'],
  // Memory and Redis implementations of the stores the layers above define.
  storage: ['core', 'handoff', 'scheduling'],
  inbox: ['core', 'engine', 'logging', 'storage'],
  console: ['config', 'core', 'handoff', 'storage'],
  channels: ['config', 'core', 'storage'],
  metrics: ['channels', 'core', 'engine'],
  server: ['channels', 'config', 'core'],
};

/** A no-restricted-imports pattern refusing relative imports of the given src/ layers. */
function layersRefused(layer, refused) {
  return { regex: `^(\\.\\./)+(${refused.join('|')})/`, message: `src/${layer}/ may import only ${LAYERS[layer].length ? LAYERS[layer].map((l) => `src/${l}/`).join(', ') : 'itself'} (and flows/): see LAYERS in eslint.config.js.` };
}

const layerRules = Object.entries(LAYERS).map(([layer, allowed]) => {
  const refused = ['app', ...Object.keys(LAYERS)].filter((other) => other !== layer && !allowed.includes(other));
  const patterns = [layersRefused(layer, refused), ...(layer === 'channels' ? [] : [PLATFORM_SDKS]), ...(layer === 'core' ? [IMPURE] : [])];
  return { files: [`src/${layer}/**/*.ts`], rules: { 'no-restricted-imports': ['error', { patterns }] } };
});

export default tseslint.config(
  // The language-detector measurement has its own packages, installed only to run it.
  { ignores: ['dist/**', 'node_modules/**', 'coverage/**', 'tools/language-detectors/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-console': 'off',
    },
  },
  {
    // Tests read real-shaped platform JSON fixtures; typing every nested field would add nothing.
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['src/*.ts', 'src/app/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [PLATFORM_SDKS] }] },
  },
  ...layerRules,
  {
    files: ['flows/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [IMPURE, { regex: '^(\\.\\./)+src/', message: 'flows/ is the pure conversation: it imports nothing from src/.' }] }],
    },
  },
);
