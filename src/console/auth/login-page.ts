/**
 * The console's sign-in page: the console's own look (its stylesheet and
 * icon from this server, no script, nothing from elsewhere, so it works under
 * the strict CSP and with any assistive technology), naming the force whose
 * console it is. Labels are real `<label>`s, the fields carry the
 * autocomplete hints password managers need, and an error (if any) is shown
 * as the console shows its alerts, in a `role="alert"` element that screen
 * readers announce and that both fields point to.
 */
export interface LoginPageOptions {
  /** Shown in the alert; never says whether the username exists. */
  readonly error?: string;
  /** The username to put back in the field after a failed attempt. */
  readonly username?: string;
  /** The force whose console this is ("Staffordshire Police"). */
  readonly forceName?: string;
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

/** Where the console's stylesheet and icon are served from (see `console-static.ts`). */
const STATIC = '/console/static';

/** Renders the page; everything interpolated is HTML-escaped. */
export function renderLoginPage({ error, username = '', forceName = '' }: LoginPageOptions = {}): string {
  const e = escapeHtml;
  const alert = error === undefined ? '' : `\n<p role="alert" id="sign-in-error" class="alert">${e(error)}</p>`;
  const describedBy = error === undefined ? '' : ' aria-describedby="sign-in-error"';
  const force = forceName === '' ? '' : `${e(forceName)} `;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${error === undefined ? '' : 'Error: '}Sign in – ${force}call handler console</title>
<link rel="stylesheet" href="${STATIC}/console.css">
<link rel="icon" href="${STATIC}/favicon.svg" type="image/svg+xml">
</head>
<body>
<header class="top">
<p class="brand">${forceName === '' ? '' : `<span class="force">${e(forceName)}</span> · `}Call handler console</p>
</header>
<main id="main" class="sign-in">
<h1>Sign in</h1>
<p>${forceName === '' ? 'For call handlers only.' : `For ${e(forceName)} call handlers only.`} Everything you do here is recorded in the audit log.</p>${alert}
<form method="post" action="/console/login" class="panel">
<label for="username">Username</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required maxlength="64" value="${e(username)}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="1024"${describedBy}>
<button type="submit">Sign in</button>
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
