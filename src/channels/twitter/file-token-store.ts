import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { packageRoot } from '../../config/package-root.js';
import { writeFileAtomically } from '../../storage/atomic-file.js';
import type { XTokenStore, XUserToken } from './user-token.js';

/** Where the token file lives unless `TWITTER_TOKEN_FILE` says otherwise: `.data/x-oauth2-token.json` in the package root. */
export function defaultXTokenFile(root: string = packageRoot()): string {
  return join(root, '.data', 'x-oauth2-token.json');
}

const tokenSchema = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresAt: z.number(),
  origin: z.string(),
});

/**
 * The X account's OAuth 2.0 tokens in a file, for a server without Redis: X
 * replaces the refresh token at every refresh, so the newest must outlive the
 * process, and `npm run x:setup` must find the one the running bot uses.
 * Read on every call (so each process sees the other's refresh) and written
 * atomically with mode 0600, like the call-handler accounts file.
 */
export class FileXTokenStore implements XTokenStore {
  constructor(readonly path: string = defaultXTokenFile()) {}

  async read(): Promise<XUserToken | undefined> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    const parsed = tokenSchema.safeParse(JSON.parse(text));
    // A damaged file is as good as none: the environment's token is tried, and a refusal names the cure.
    return parsed.success ? parsed.data : undefined;
  }

  async write(token: XUserToken): Promise<void> {
    await writeFileAtomically(this.path, `${JSON.stringify(token)}\n`);
  }
}
