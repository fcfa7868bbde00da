import { expect } from 'vitest';

/** A response's headers, however the client exposes them. */
type HeadersLike = Headers | Record<string, string | string[] | undefined>;

function header(headers: HeadersLike, name: string): string | undefined {
  if (headers instanceof Headers) return headers.get(name) ?? undefined;
  const value = headers[name];
  return Array.isArray(value) ? value.join(', ') : value;
}

/** A Content-Security-Policy as directive name → its sources, in order. */
export function cspDirectives(policy: string | undefined): Record<string, string> {
  const directives: Record<string, string> = {};
  for (const part of (policy ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives[name] = sources.join(' ');
  }
  return directives;
}

/**
 * Asserts the console's security headers on one response: the strict CSP
 * (nothing from elsewhere, forms only to this server, no <base>, never
 * framed), nosniff, no referrer, no caching, and HSTS exactly when the
 * console is served over HTTPS.
 */
export function expectConsoleSecurityHeaders(headers: HeadersLike, { hsts = true, what = '' }: { hsts?: boolean; what?: string } = {}): void {
  expect(cspDirectives(header(headers, 'content-security-policy')), what).toEqual({
    'default-src': "'self'",
    'form-action': "'self'",
    'base-uri': "'none'",
    'frame-ancestors': "'none'",
  });
  expect(header(headers, 'x-content-type-options'), what).toBe('nosniff');
  expect(header(headers, 'referrer-policy'), what).toBe('no-referrer');
  expect(header(headers, 'cache-control'), what).toBe('no-store');
  expect(header(headers, 'strict-transport-security'), what).toBe(hsts ? 'max-age=31536000' : undefined);
}
