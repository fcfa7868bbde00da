import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The README's "What is where" table against the tree: every folder a
 * newcomer meets (the top level, each layer of src/, each channel) has a row,
 * and every path a row names exists.
 */

const ROOT = join(import.meta.dirname, '..');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const table = readme.slice(readme.indexOf('\n## What is where\n'), readme.indexOf('\nEverything flows one way'));
const rows = table.split('\n').filter((line) => line.startsWith('| `'));
/** The backticked paths in the first cell of each row. */
const named = rows.flatMap((row) => [...(row.split('|')[1] ?? '').matchAll(/`([^`]+)`/g)].map((m) => m[1] as string));
const folders = (dir: string) => readdirSync(join(ROOT, dir)).filter((name) => !name.startsWith('.') && name !== 'node_modules' && statSync(join(ROOT, dir, name)).isDirectory());

describe("the README's layout table", () => {
  it('has a row for every top-level folder and every folder of src/', () => {
    const expected = [...folders('.').map((f) => `${f}/`), ...folders('src').map((f) => `src/${f}/`)];
    const missing = expected.filter((folder) => !named.some((path) => path === folder || path.startsWith(folder)));
    expect(missing).toEqual([]);
  });

  it('names every channel in the channels row', () => {
    const channelsRow = rows.find((row) => row.startsWith('| `src/channels/<platform>/`')) ?? '';
    expect(folders('src/channels').filter((channel) => !channelsRow.includes(`\`${channel}\``))).toEqual([]);
  });

  it('names only paths that exist', () => {
    const concrete = named.filter((path) => !path.includes('<'));
    expect(concrete.filter((path) => !existsSync(join(ROOT, path)))).toEqual([]);
  });
});
