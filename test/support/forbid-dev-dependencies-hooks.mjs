// Module resolution hooks for forbid-dev-dependencies.mjs.
import { readFileSync } from 'node:fs';
import { URL } from 'node:url';

const manifest = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8'));
// TypeScript is also an optional peer of i18next, left out of the image with --omit=optional.
const forbidden = new Set([...Object.keys(manifest.devDependencies ?? {}), 'typescript']);

/** The package a bare specifier names (`@scope/name` or `name`), or undefined for a relative, absolute or built-in one. */
function packageOf(specifier) {
  if (/^(?:\.|\/|node:|file:|data:)/.test(specifier)) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

export async function resolve(specifier, context, next) {
  const name = packageOf(specifier);
  if (name !== undefined && forbidden.has(name)) {
    throw new Error(`the production server imported ${name}, a devDependency (from ${context.parentURL ?? 'the command line'})`);
  }
  return next(specifier, context);
}
