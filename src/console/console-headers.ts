/**
 * Headers on every call-handler console response. The pages show untrusted
 * text from people in crisis to police staff, so the policy is as tight as
 * the pages allow: scripts and styles only from this server (no inline code,
 * no CDN), never framed, never cached, and no referrer leaking a ticket URL.
 */
export const CONSOLE_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': "default-src 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
