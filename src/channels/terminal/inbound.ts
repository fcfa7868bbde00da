import { ATTACHMENT_KINDS, type AttachmentKind, type InboundPayload } from '../../core/inbound-event.js';

/** One parsed input line of `npm run chat -- --jsonl`. */
export interface JsonlInput {
  readonly user: string;
  readonly payload: InboundPayload;
  readonly locale?: string;
}

/**
 * Parses one input line: `{"user", "text"?, "choice"?, "attachment"?, "locale"?}`.
 * Returns an error message instead of throwing, so the caller can report the
 * line on stderr and carry on with the next.
 */
export function parseJsonlInput(line: string): JsonlInput | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const o = value as Record<string, unknown>;
  if (typeof o.user !== 'string' || o.user.length === 0) return { error: '"user" must be a non-empty string' };
  if (o.locale !== undefined && typeof o.locale !== 'string') return { error: '"locale" must be a string' };
  const locale = o.locale as string | undefined;
  const base = { user: o.user, ...(locale !== undefined && { locale }) };

  const given = ['text', 'choice', 'attachment'].filter((k) => o[k] !== undefined);
  if (given.length !== 1) return { error: 'give exactly one of "text", "choice" or "attachment"' };
  if (typeof o.text === 'string') return { ...base, payload: { type: 'text', text: o.text } };
  if (typeof o.choice === 'string') return { ...base, payload: { type: 'choice', choiceId: o.choice } };
  if (typeof o.attachment === 'string' && (ATTACHMENT_KINDS as readonly string[]).includes(o.attachment)) {
    return { ...base, payload: { type: 'attachment', attachment: o.attachment as AttachmentKind } };
  }
  return { error: `"${given[0]}" has the wrong type (attachment must be one of ${ATTACHMENT_KINDS.join(', ')})` };
}
