import { expect } from 'vitest';

/** A signed-in browser, as the console's tests use it: its session cookie and the page's CSRF token. */
export interface ConsoleAgent {
  /** The `Cookie` header value. */
  readonly cookie: string;
  readonly csrf: string;
}

/**
 * Signs in through the real sign-in form of the console at `base`, then reads
 * the CSRF token from the queue page, as a handler's browser does.
 */
export async function signInToConsole(base: string, username: string, password: string): Promise<ConsoleAgent> {
  const login = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  expect(login.status).toBe(303);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const page = await fetch(`${base}/console`, { headers: { cookie, accept: 'text/html' } });
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1];
  expect(csrf).toBeTruthy();
  return { cookie, csrf: csrf as string };
}
