import { createHash } from 'node:crypto';

/** Crockford's base32: no I, L, O or U, so a reference read aloud or copied by hand is not mistaken. */
const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ticket's short reference ("K7Q4-M2XD"), for the force's own incident
 * log: eight characters, 40 bits, worked out from the ticket's random id, so
 * it needs no storage and reads the same on every instance and in every
 * export. It carries nothing about the person.
 */
export function referenceOf(ticketId: string): string {
  const digest = createHash('sha256').update(ticketId).digest();
  let bits = 0n;
  for (let i = 0; i < 5; i++) bits = (bits << 8n) | BigInt(digest[i] as number);
  let out = '';
  for (let i = 7; i >= 0; i--) out += ALPHABET[Number((bits >> BigInt(i * 5)) & 31n)];
  return `${out.slice(0, 4)}-${out.slice(4)}`;
}
