import fc from 'fast-check';
import type { FaultSpec } from '../core/faults.ts';
import { weakerFaults } from './weaken.ts';

/**
 * A list of faults that is always generated exactly as given (the scenario's
 * own faults: the incident being explored), yet shrinks like everything else
 * — first by leaving one out, then by weakening one — so a minimal case keeps
 * only the faults the failure needs.
 */
class FaultListArbitrary extends fc.Arbitrary<FaultSpec[]> {
  readonly #faults: readonly FaultSpec[];

  constructor(faults: readonly FaultSpec[]) {
    super();
    this.#faults = faults;
  }

  generate(): fc.Value<FaultSpec[]> {
    return new fc.Value(structuredClone([...this.#faults]), undefined);
  }

  canShrinkWithoutContext(value: unknown): value is FaultSpec[] {
    return Array.isArray(value);
  }

  /**
   * The context is how many candidates to skip: the ones before the accepted
   * candidate all made the failure go away, and likely still do, so each run
   * they would cost is saved (the way fast-check's own shrinkers remember).
   */
  shrink(value: FaultSpec[], context: unknown): fc.Stream<fc.Value<FaultSpec[]>> {
    const skip = typeof context === 'number' ? context : 0;
    let index = skip;
    return fc
      .stream(smallerLists(value))
      .drop(skip)
      .map((list) => new fc.Value(list, index++));
  }
}

function* smallerLists(faults: FaultSpec[]): Generator<FaultSpec[]> {
  for (let i = 0; i < faults.length; i++) yield [...faults.slice(0, i), ...faults.slice(i + 1)];
  for (let i = 0; i < faults.length; i++) {
    for (const weaker of weakerFaults(faults[i]!)) yield [...faults.slice(0, i), weaker, ...faults.slice(i + 1)];
  }
}

export function keptFaults(faults: readonly FaultSpec[]): fc.Arbitrary<FaultSpec[]> {
  return new FaultListArbitrary(faults);
}

/** Always generates `value`, then shrinks it as `shrinker` would, from scratch. */
class StartAtArbitrary<T> extends fc.Arbitrary<T> {
  readonly #value: T;
  readonly #shrinker: fc.Arbitrary<T>;

  constructor(value: T, shrinker: fc.Arbitrary<T>) {
    super();
    this.#value = value;
    this.#shrinker = shrinker;
  }

  generate(): fc.Value<T> {
    return new fc.Value(structuredClone(this.#value), undefined);
  }

  canShrinkWithoutContext(value: unknown): value is T {
    return this.#shrinker.canShrinkWithoutContext(value);
  }

  shrink(value: T, context: unknown): fc.Stream<fc.Value<T>> {
    return this.#shrinker.shrink(value, context);
  }
}

/** `value`, shrinkable by `shrinker` without a context of its own: for shrinking a known case afresh. */
export function startAt<T>(value: T, shrinker: fc.Arbitrary<T>): fc.Arbitrary<T> {
  return new StartAtArbitrary(value, shrinker);
}
