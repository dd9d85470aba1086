/**
 * Minimal case found by `npx faultline check happy-path --middleware resilient --seed 1 --fault-kinds clock-skew --path 17:2:1:1:3:2:2:7:3:2:3:3:2:2:2:2:2:9:4:7:4:4:5:7:4:4:7:10:6:7:7:6:9:7:6:6:7:8:11`:
 * 2 orders; middleware's clock runs 14.5 min behind from 64 min to 85.5 min; system settings: capture priceDigits=3, capture maxQuantity=3
 * It fails converges with the resilient middleware until the middleware is fixed:
 *   npx faultline run scenarios/regressions/happy-path-07565055.ts --middleware resilient
 * and from then on guards the fix. See scenarios/regressions/README.md.
 */
import { defineScenario } from '../../harness/scenario/define.ts';

export default defineScenario({
  name: 'happy-path-07565055',
  description: 'Regression: converges failed with the resilient middleware in a case generated from happy-path',
  seed: 1919569821,
  orders: { count: 2, ratePerSecond: 2, arrival: 'poisson', maxLines: 1, skus: ['FL-STOCK-01', 'FL-STOCK-02', 'FL-STOCK-03', 'FL-SERV-01'] },
  systems: { capture: { priceDigits: 3, maxQuantity: 3 } },
  faults: [{ system: 'middleware', kind: 'clock-skew', offsetMs: -870001, schedule: { kind: 'window', fromMs: 3842031, toMs: 5132031 } }],
});
