import fastifyHelmet from '@fastify/helmet';
import type { FastifyInstance } from 'fastify';

/** Options of {@link registerConsoleHeaders}. */
export interface ConsoleHeadersOptions {
  /** The console is reached over HTTPS (the default): browsers are told to use nothing else for a year (HSTS). */
  readonly secure?: boolean;
}

/**
 * The one definition of the headers on every call-handler console response,
 * added to a console scope (the sign-in routes, the console routes) with
 * @fastify/helmet, which sets them on the raw response before any handler
 * runs, so live streams carry them too. The pages show untrusted text from
 * people in crisis to police staff, so the policy is as tight as the pages
 * allow: scripts, styles and fetches only from this server (no inline code,
 * no CDN), forms posted only here, no `<base>` that could redirect relative
 * URLs, never framed; no MIME sniffing, no referrer leaking a ticket URL, no
 * caching of anything a handler saw; HSTS when served over HTTPS. Helmet's
 * other defaults (cross-origin opener and resource policies, and the like)
 * come with it.
 */
export async function registerConsoleHeaders(scope: FastifyInstance, { secure = true }: ConsoleHeadersOptions = {}): Promise<void> {
  await scope.register(fastifyHelmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: { defaultSrc: ["'self'"], formAction: ["'self'"], baseUri: ["'none'"], frameAncestors: ["'none'"] },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: secure ? { maxAge: 31_536_000, includeSubDomains: false } : false,
    xFrameOptions: { action: 'deny' },
  });
  scope.addHook('onRequest', async (_request, reply) => {
    reply.raw.setHeader('cache-control', 'no-store');
  });
}
