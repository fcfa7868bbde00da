import type { FastifyReply } from 'fastify';

/**
 * The response object `CloudAdapter.process` writes to, held back instead of
 * written through: Fastify's reply has no `end()`, and the route may still
 * need to replace botbuilder's 200 with 503 when dispatching failed.
 */
export class CapturedResponse {
  statusCode = 200;
  body: unknown = undefined;
  ended = false;
  /** Required by botbuilder's `Response` type; only its web-socket path uses it. */
  readonly socket: unknown = undefined;
  private readonly headers = new Map<string, string>();

  status(code: number): this {
    this.statusCode = code;
    return this;
  }

  header(name: string, value: unknown): this {
    this.headers.set(name, String(value));
    return this;
  }

  send(body: unknown): this {
    this.body = body;
    return this;
  }

  end(): this {
    this.ended = true;
    return this;
  }

  /**
   * Writes what botbuilder answered to Fastify. Error bodies are dropped:
   * botbuilder puts the raw error message there, which is nobody's business.
   */
  async writeTo(reply: FastifyReply): Promise<FastifyReply> {
    for (const [name, value] of this.headers) reply.header(name, value);
    reply.code(this.statusCode);
    return this.statusCode < 400 && this.body !== undefined ? reply.send(this.body) : reply.send();
  }
}
