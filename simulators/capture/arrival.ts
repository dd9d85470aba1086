/**
 * When orders arrive: the gap before order `index` (0-based), in virtual
 * milliseconds. Every model has the same mean rate, `ratePerSecond`, except
 * `ramp`, which climbs linearly from `rampFromPerSecond` to it.
 */
import type { Rng } from '../../harness/core/rng.ts';
import type { CaptureKnobs } from './knobs.ts';

export type ArrivalGaps = (index: number) => number;

export function arrivalGaps(knobs: Pick<CaptureKnobs, 'arrival' | 'ratePerSecond' | 'rampFromPerSecond' | 'burstSize' | 'orders'>, rng: Rng): ArrivalGaps {
  const meanGapMs = 1000 / knobs.ratePerSecond;
  switch (knobs.arrival) {
    case 'fixed':
      return (index) => (index === 0 ? 0 : meanGapMs);
    case 'poisson':
      return () => rng.exponential(meanGapMs);
    case 'ramp': {
      const last = Math.max(1, knobs.orders - 1);
      return (index) => {
        if (index === 0) return 0;
        const rate = knobs.rampFromPerSecond + ((knobs.ratePerSecond - knobs.rampFromPerSecond) * index) / last;
        return 1000 / rate;
      };
    }
    case 'burst': {
      const burstGapMs = meanGapMs * knobs.burstSize;
      return (index) => (index === 0 || index % knobs.burstSize !== 0 ? 0 : burstGapMs);
    }
  }
}
