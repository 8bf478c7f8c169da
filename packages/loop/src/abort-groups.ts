/**
 * What may be aborted (operations in flight, waits, watchers), grouped by
 * AbortSignal behind one 'abort' listener per signal. A listener per member
 * would pass EventTarget's limit of 10 as soon as one AbortController
 * cancels a batch, and Node would print a MaxListenersExceededWarning for a
 * pattern that leaks nothing.
 *
 * @module
 */

/** A signal's operations and the one listener that aborts them. */
interface Group<T> {
  readonly members: Set<T>;
  readonly listener: () => void;
}

/** @internal Operations grouped by the signal that may abort them. */
export class AbortGroups<T> {
  // Weak: a group lives as long as its signal (which holds its listener,
  // and so its members, as a listener per member did); a group also goes
  // when its last member is removed.
  readonly #groups = new WeakMap<AbortSignal, Group<T>>();
  readonly #abort: (member: T) => void;

  /** `abort` is called once for each member in flight when its signal fires. */
  constructor(abort: (member: T) => void) {
    this.#abort = abort;
  }

  add(signal: AbortSignal, member: T): void {
    let group = this.#groups.get(signal);
    if (group === undefined) {
      const listener = (): void => this.#fire(signal);
      group = { members: new Set(), listener };
      this.#groups.set(signal, group);
      signal.addEventListener('abort', listener, { once: true });
    }
    group.members.add(member);
  }

  /** `member` ended: its signal is let go of with its group's last member. */
  remove(signal: AbortSignal, member: T): void {
    const group = this.#groups.get(signal);
    if (group === undefined || !group.members.delete(member) || group.members.size > 0) return;
    this.#groups.delete(signal);
    signal.removeEventListener('abort', group.listener);
  }

  #fire(signal: AbortSignal): void {
    const group = this.#groups.get(signal);
    if (group === undefined) return;
    this.#groups.delete(signal);
    for (const member of group.members) this.#abort(member);
  }
}
