import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FORCE_PROFILE_FIELDS } from '../../src/config/force-profile.js';

const read = (path: string) => readFileSync(new URL(`../../${path}`, import.meta.url), 'utf8');

const sorted = (names: Iterable<string>) => [...new Set(names)].sort();

/** Every variable name the configuration reader looks up, read from its source: `get('NAME')` and the like, and lists `…Names = ['NAME', …]`. */
function variablesRead(): string[] {
  const source = read('src/config/environment.ts');
  const called = [...source.matchAll(/\b[a-z]\w*\(\s*'([A-Z][A-Za-z_]+)'/g)].map((m) => m[1] as string);
  const listed = [...source.matchAll(/\w+Names = \[([^\]]*)\]/g)].flatMap((m) => [...(m[1] as string).matchAll(/'([A-Z][A-Za-z_]+)'/g)].map((n) => n[1] as string));
  return sorted([...called, ...listed]);
}

/** The variables the configuration reference's table documents (docs/configuration.md, before its first subsection): every `NAME` in the first cell of its rows. */
function variablesDocumented(): string[] {
  const reference = read('docs/configuration.md');
  const section = reference.slice(0, reference.indexOf('\n## '));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  return sorted(rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([A-Za-z_]+)`/g)].map((m) => m[1] as string)));
}

/** The variables `.env.example` lists, each on a line of its own as `# NAME=…`. */
function variablesInExample(): string[] {
  return sorted([...read('.env.example').matchAll(/^# ([A-Za-z_]+)=/gm)].map((m) => m[1] as string));
}

describe('configuration reference', () => {
  it('finds the variables the configuration reader looks up, the configuration reference documents and .env.example lists', () => {
    const expected = expect.arrayContaining(['PORT', 'REDIS_URL', 'TELEGRAM_BOT_TOKEN', 'MicrosoftAppId', 'METRICS_TOKEN']);
    expect(variablesRead()).toEqual(expected);
    expect(variablesDocumented()).toEqual(expected);
    expect(variablesInExample()).toEqual(expected);
  });

  it('documents in the configuration reference exactly the variables the server reads', () => {
    expect(variablesDocumented()).toEqual(variablesRead());
  });

  it('lists in .env.example exactly the variables the configuration reference documents, so a force can copy it and fill it in', () => {
    expect(variablesInExample()).toEqual(variablesDocumented());
  });

  it("documents in the configuration reference's force profile section exactly the fields a profile may have, in its example and its text", () => {
    const reference = read('docs/configuration.md');
    const start = reference.indexOf('\n## The force profile\n');
    const section = reference.slice(start, reference.indexOf('\n## ', start + 1));
    const example = JSON.parse(/```json\n([\s\S]*?)```/.exec(section)?.[1] ?? '{}') as Record<string, unknown>;
    expect(sorted(Object.keys(example))).toEqual(sorted(FORCE_PROFILE_FIELDS));
    const prose = section.slice(section.lastIndexOf('```'));
    const explained = FORCE_PROFILE_FIELDS.filter((field) => !['id', 'name', 'website', 'reportUrl', 'timeZone'].includes(field));
    for (const field of explained) expect(prose, field).toContain(`\`${field}\``);
    expect(FORCE_PROFILE_FIELDS).toContain('discreet');
  });

  it('keeps .env out of git and out of the container image', () => {
    expect(read('.gitignore').split('\n')).toContain('.env');
    expect(read('.dockerignore').split('\n')).toContain('.env');
  });
});
