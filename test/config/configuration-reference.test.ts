import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

/** Every variable name the configuration reader looks up, read from its source. */
function variablesRead(): string[] {
  const source = read('src/config/environment.ts');
  const names = [...source.matchAll(/\b[a-z]\w*\(\s*'([A-Z][A-Za-z_]+)'/g)].map((m) => m[1] as string);
  return [...new Set(names)].sort();
}

describe('configuration reference', () => {
  it('finds the variables the configuration reader looks up', () => {
    expect(variablesRead()).toEqual(expect.arrayContaining(['PORT', 'REDIS_URL', 'TELEGRAM_BOT_TOKEN', 'MicrosoftAppId', 'METRICS_TOKEN']));
  });

  it('documents every variable in the README configuration table', () => {
    const readme = read('README.md');
    const missing = variablesRead().filter((name) => !readme.includes(`| \`${name}\``));
    expect(missing).toEqual([]);
  });

  it('lists every variable in .env.example, so a force can copy it and fill it in', () => {
    const example = read('.env.example');
    const missing = variablesRead().filter((name) => name !== 'REDIS_URL' && !new RegExp(`^# ${name}=`, 'm').test(example));
    expect(missing).toEqual([]);
  });
});
