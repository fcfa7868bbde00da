/**
 * A call handler's browser reduced to HTTP, for tests of the console against
 * a real server: signs in through the real sign-in form, keeps the session
 * cookie and the page's CSRF token, and calls the JSON API with them.
 */

/** A signed-in browser: its cookie and the page's CSRF token. */
export interface Agent {
  readonly cookie: string;
  readonly csrf: string;
}

/** Signs in with the sign-in form and reads the CSRF token from the console page; throws if either fails. */
export async function signInOverHttp(base: string, username: string, password: string): Promise<Agent> {
  const login = await fetch(`${base}/console/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ username, password }).toString(),
  });
  if (login.status !== 303) throw new Error(`sign-in as ${username} answered ${login.status}`);
  const cookie = (login.headers.get('set-cookie') ?? '').split(';')[0] as string;
  const page = await fetch(`${base}/console`, { headers: { cookie, accept: 'text/html' } });
  const csrf = /<meta name="csrf-token" content="([^"]+)">/.exec(await page.text())?.[1];
  if (!csrf) throw new Error(`no CSRF token on the console page for ${username}`);
  return { cookie, csrf };
}

/** A GET with the agent's cookie (if any), asking for JSON unless told otherwise. */
export function getAs(base: string, path: string, agent?: Agent, accept = 'application/json'): Promise<Response> {
  return fetch(`${base}${path}`, { redirect: 'manual', headers: { accept, ...(agent && { cookie: agent.cookie }) } });
}

/** A POST with the agent's cookie and (unless `csrf: false`) its CSRF header, and a JSON body if given. */
export function postAs(base: string, path: string, agent: Agent | undefined, body?: unknown, { csrf = true } = {}): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      accept: 'application/json',
      ...(agent && { cookie: agent.cookie }),
      ...(agent && csrf && { 'x-csrf-token': agent.csrf }),
      ...(body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(body !== undefined && { body: JSON.stringify(body) }),
  });
}
