/**
 * Work on one key runs one piece at a time, in the order it was asked for;
 * work on different keys runs side by side. Only within one incarnation: what
 * must hold across a crash is logged in the store.
 */
export class OneAtATime {
  readonly #tails = new Map<string, Promise<void>>();

  run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.#tails.get(key) ?? Promise.resolve();
    const result = before.then(work);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.#tails.set(key, tail);
    // The last piece for a key forgets it, so a long run does not keep one entry per customer it ever saw.
    void tail.then(() => {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    });
    return result;
  }
}
