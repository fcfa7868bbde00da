/**
 * A set that holds at most `maxEntries` members and forgets the oldest first
 * (adding a member again makes it the newest), so that what a process
 * remembers about chats or entries cannot grow without end, whatever arrives.
 */
export class BoundedSet<T> {
  readonly #members = new Set<T>();

  constructor(readonly maxEntries: number) {
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive whole number');
  }

  has(member: T): boolean {
    return this.#members.has(member);
  }

  /** Adds the member as the newest, then forgets the oldest while there are too many. */
  add(member: T): void {
    this.#members.delete(member);
    this.#members.add(member);
    for (const oldest of this.#members) {
      if (this.#members.size <= this.maxEntries) break;
      this.#members.delete(oldest);
    }
  }

  /** Resolves to whether the member was there. */
  delete(member: T): boolean {
    return this.#members.delete(member);
  }

  get size(): number {
    return this.#members.size;
  }
}
