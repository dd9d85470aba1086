/**
 * Replaying a scenario's recorded script inside a simulator: which recorded
 * entry answers the next thing the simulator does, and when, from now, each
 * recorded moment falls.
 */

/**
 * Hands out an order's scripted events of one type in script order, one per event the simulator emits,
 * each once; `undefined` once they run out (what follows is the simulator's own behaviour).
 */
export function scriptQueue<T>(entries: readonly T[], keyOf: (entry: T) => string): (key: string) => T | undefined {
  const queues = new Map<string, T[]>();
  for (const entry of entries) {
    const list = queues.get(keyOf(entry));
    if (list === undefined) queues.set(keyOf(entry), [entry]);
    else list.push(entry);
  }
  return (key) => queues.get(key)?.shift();
}

/**
 * How long from now each recorded time is, for a script whose times count from `startedAt`: when the
 * simulation reaches the event later than the record (the middleware was slower), every time is shifted
 * by that lateness, so the gaps and the order between them stay as recorded.
 */
export function holdsFrom(now: number, startedAt: number, eventAtMs: number, timesMs: readonly number[]): number[] {
  const lateness = Math.max(0, now - (startedAt + eventAtMs));
  return timesMs.map((t) => Math.max(0, startedAt + t + lateness - now));
}
