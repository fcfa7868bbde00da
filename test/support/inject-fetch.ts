import type { FastifyInstance, HTTPMethods } from 'fastify';

/** What {@link injectFetch} answers: the parts of a fetch Response the tests read. */
export interface InjectedResponse {
  readonly status: number;
  readonly headers: Headers;
  text(): Promise<string>;
  json(): Promise<unknown>;
}

/**
 * A fetch-shaped call that goes to the Fastify app in-process (`inject`), with
 * no socket or port: for tests that only need the HTTP app. Requests come from
 * 127.0.0.1, as Fastify's inject says. Keep real servers for what needs a
 * socket (timeouts, proxies, TLS, other processes).
 */
export function injectFetch(app: FastifyInstance) {
  return async (path: string, init: { method?: HTTPMethods; headers?: Record<string, string>; body?: string } = {}): Promise<InjectedResponse> => {
    const response = await app.inject({
      method: init.method ?? 'GET',
      url: path,
      ...(init.headers && { headers: init.headers }),
      ...(init.body !== undefined && { payload: init.body }),
    });
    const headers = new Headers();
    for (const [name, value] of Object.entries(response.headers)) {
      if (value === undefined) continue;
      for (const one of Array.isArray(value) ? value : [value]) headers.append(name, String(one));
    }
    return {
      status: response.statusCode,
      headers,
      text: async () => response.body,
      json: async () => JSON.parse(response.body) as unknown,
    };
  };
}
