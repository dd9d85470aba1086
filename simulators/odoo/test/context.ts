import { DEFAULT_SIM_EPOCH_MS } from '../../../harness/core/clock.ts';
import { History } from '../../../harness/core/history.ts';
import { createRng } from '../../../harness/core/rng.ts';
import { VirtualScheduler } from '../../../harness/core/scheduler.ts';
import type { SystemContext } from '../../../harness/core/system.ts';

/** A SystemContext on virtual time for tests that drive the emulator in-process. */
export function testContext(
  options: { seed?: number; epochMs?: number; config?: Record<string, unknown> } = {},
): SystemContext & { scheduler: VirtualScheduler; historyLog: History } {
  const scheduler = new VirtualScheduler(options.epochMs ?? DEFAULT_SIM_EPOCH_MS);
  const history = new History(() => scheduler.now());
  return {
    name: 'odoo',
    mode: 'sim',
    clock: scheduler,
    rng: createRng(options.seed ?? 1),
    fetch: () => Promise.reject(new Error('the Odoo emulator makes no outbound calls')),
    history,
    urls: {},
    config: options.config ?? {},
    scheduler,
    historyLog: history,
  };
}
