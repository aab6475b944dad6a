// A first-come-first-served async mutex. better-sqlite3 has one connection and no notion of
// concurrent transactions, so every write transaction queues here instead of interleaving on it.

export class Mutex {
  #tail: Promise<void> = Promise.resolve();

  /** Run `fn` once every earlier caller has finished; a failure does not poison the queue. */
  run<T>(fn: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(fn);
    this.#tail = result.then(
      () => undefined,
      () => undefined,
    );
    return result;
  }

  /** Resolves when everything queued so far has finished. */
  idle(): Promise<void> {
    return this.#tail;
  }
}
