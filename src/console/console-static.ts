import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import { packageRoot } from '../config/package-root.js';
import { STATIC_PREFIX } from './console-pages.js';

/** Where the console's static files live. */
export interface ConsoleStaticOptions {
  /** Defaults to `src/console/public` under the package root (the same folder under tsx and for a compiled build). */
  readonly dir?: string;
}

/** The only files served, with their types: nothing else in the folder can be fetched. */
const FILES: Readonly<Record<string, string>> = {
  'console.css': 'text/css; charset=utf-8',
  'common.js': 'text/javascript; charset=utf-8',
  'queue.js': 'text/javascript; charset=utf-8',
  'ticket.js': 'text/javascript; charset=utf-8',
  'audit.js': 'text/javascript; charset=utf-8',
  'arrivals.js': 'text/javascript; charset=utf-8',
  'summary.js': 'text/javascript; charset=utf-8',
  'favicon.svg': 'image/svg+xml',
};

/**
 * Serves the console's CSS and scripts from this server (no build step, no
 * CDN, nothing fetched at run time). They are read once at start-up and hold
 * no data, so they need no session; the security headers come from the
 * console scope this is registered in.
 */
export function registerConsoleStatic(app: FastifyInstance, { dir = join(packageRoot(), 'src', 'console', 'public') }: ConsoleStaticOptions = {}): void {
  const files = new Map(Object.entries(FILES).map(([name, type]) => [name, { type, body: readFileSync(join(dir, name)) }]));
  app.get(`${STATIC_PREFIX}/:name`, async (request, reply) => {
    const file = files.get((request.params as { name: string }).name);
    if (!file) return reply.status(404).send({ error: 'not found' });
    return reply.type(file.type).send(file.body);
  });
}
