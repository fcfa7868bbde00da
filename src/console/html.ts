/**
 * Escapes text for HTML element content and double-quoted attributes. The
 * console renders only its own strings and the handler's username on the
 * server; everything a person wrote is inserted by the browser with
 * `textContent`, but escaping here too means a bad string can never become
 * markup.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/**
 * Serialises data for a `<script type="application/json">` block: `<` is
 * written as `\u003c` so no value can close the element, and the browser
 * never runs the block (CSP allows no inline script anyway).
 */
export function jsonForHtml(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c').replace(/\u2028/g, '\\u2028').replace(/\u2029/g, '\\u2029');
}
