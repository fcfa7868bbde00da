/**
 * The console's sign-in page: plain HTML with no script, style or external
 * asset, so it works under the strict CSP, without a network and with any
 * assistive technology. Labels are real `<label>`s, the fields carry the
 * autocomplete hints password managers need, and an error (if any) is in a
 * `role="alert"` element that screen readers announce.
 */
export interface LoginPageOptions {
  /** Shown in the alert; never says whether the username exists. */
  readonly error?: string;
  /** The username to put back in the field after a failed attempt. */
  readonly username?: string;
}

/** The message after any failed sign-in, the same whether or not the username exists. */
export const SIGN_IN_FAILED = 'The username or password is not right. Check them and try again.';

/** The message when too many sign-ins are being checked at once. */
export const SIGN_IN_BUSY = 'The console is busy signing other people in. Wait a few seconds and try again.';

/** The message while sign-in is slowed down after failures: how long to wait, in seconds under a minute, else minutes. */
export function tooManyAttempts(retryAfterMs: number): string {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  const [amount, unit] = seconds < 60 ? [seconds, 'second'] : [Math.ceil(seconds / 60), 'minute'];
  return `Too many failed attempts. Wait ${amount} ${unit}${amount === 1 ? '' : 's'} and try again.`;
}

/** Renders the page; everything interpolated is HTML-escaped. */
export function renderLoginPage({ error, username = '' }: LoginPageOptions = {}): string {
  const alert = error === undefined ? '' : `\n      <p role="alert" id="sign-in-error">${escapeHtml(error)}</p>`;
  const describedBy = error === undefined ? '' : ' aria-describedby="sign-in-error"';
  return `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>${error === undefined ? '' : 'Error: '}Sign in - call handler console</title>
  </head>
  <body>
    <main>
      <h1>Sign in to the call handler console</h1>${alert}
      <form method="post" action="/console/login">
        <p>
          <label for="username">Username</label><br>
          <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${escapeHtml(username)}"${describedBy}>
        </p>
        <p>
          <label for="password">Password</label><br>
          <input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${describedBy}>
        </p>
        <p><button type="submit">Sign in</button></p>
      </form>
    </main>
  </body>
</html>
`;
}

/** Escapes the five HTML-significant characters. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}
