import type { Clock } from '../../../harness/core/clock.ts';
import type { Rng } from '../../../harness/core/rng.ts';

/**
 * How a real Odoo's few workers shape latency under load. Off by default; the
 * conformance replay and most unit tests want instant answers.
 */
export interface CapacityOptions {
  /** Worker processes (Odoo's `--workers`). Default 2, as on the 2-core machine the defaults were calibrated on. */
  readonly workers?: number;
  /**
   * Service time in ms per call, by `model.method`, `method`, `common.<method>`,
   * `db.<method>` or `default`. The most specific key wins.
   */
  readonly serviceTimesMs?: Readonly<Record<string, number>>;
  /** Relative spread of service times (standard deviation / mean), default 0.15. */
  readonly jitter?: number;
  /** Requests allowed to wait for a worker; beyond that the server answers 503. Default: unbounded. */
  readonly queueLimit?: number;
}

/**
 * Defaults calibrated on a real Odoo 17 on 2 cores: about 60 search_read of 10
 * orders per second and about 8 create+confirm per second across 2 workers
 * (see ../shared/reference/real-odoo17-concurrency.md and the issue).
 */
export const DEFAULT_SERVICE_TIMES_MS: Readonly<Record<string, number>> = {
  default: 30,
  'common.version': 2,
  'common.authenticate': 25,
  'common.login': 25,
  'db.server_version': 2,
  'db.db_exist': 3,
  'db.list': 3,
  'db.create_database': 8000,
  search_read: 33,
  read: 20,
  search: 15,
  search_count: 12,
  name_search: 15,
  fields_get: 25,
  write: 40,
  create: 60,
  unlink: 45,
  'sale.order.create': 90,
  'sale.order.action_confirm': 160,
  'stock.picking.button_validate': 180,
  'sale.advance.payment.inv.create_invoices': 200,
  'account.move.action_post': 120,
  'account.payment.register.action_create_payments': 150,
};

export class QueueFullError extends Error {
  override readonly name = 'QueueFullError';
}

interface Waiter {
  resolve: () => void;
}

/** A pool of workers on the emulator's clock: FIFO queueing, then a service time per call. */
export class Capacity {
  readonly workers: number;
  readonly #clock: Clock;
  readonly #rng: Rng;
  readonly #times: Readonly<Record<string, number>>;
  readonly #jitter: number;
  readonly #queueLimit: number;
  #busy = 0;
  readonly #queue: Waiter[] = [];

  constructor(clock: Clock, rng: Rng, options: CapacityOptions) {
    const workers = options.workers ?? 2;
    if (!Number.isInteger(workers) || workers < 1) throw new RangeError(`capacity.workers must be a positive integer, got ${String(options.workers)}`);
    this.workers = workers;
    this.#clock = clock;
    this.#rng = rng;
    this.#times = { ...DEFAULT_SERVICE_TIMES_MS, ...(options.serviceTimesMs ?? {}) };
    this.#jitter = options.jitter ?? 0.15;
    this.#queueLimit = options.queueLimit ?? Number.POSITIVE_INFINITY;
  }

  get busy(): number {
    return this.#busy;
  }

  get queued(): number {
    return this.#queue.length;
  }

  /** Service time for one call, e.g. key `object`/`sale.order`/`action_confirm`. */
  serviceTime(service: string, model: string | undefined, method: string): number {
    const times = this.#times;
    const mean =
      (model !== undefined ? times[`${model}.${method}`] : undefined) ??
      (service === 'object' ? times[method] : times[`${service}.${method}`]) ??
      times.default ??
      30;
    if (this.#jitter <= 0) return mean;
    return Math.max(0.1 * mean, this.#rng.normal(mean, mean * this.#jitter));
  }

  /** Waits for a free worker. The returned function frees it. */
  async acquire(): Promise<() => void> {
    if (this.#busy < this.workers) {
      this.#busy++;
    } else {
      if (this.#queue.length >= this.#queueLimit) throw new QueueFullError(`all ${this.workers} workers busy and ${this.#queue.length} requests queued`);
      await new Promise<void>((resolve) => this.#queue.push({ resolve }));
    }
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next !== undefined) next.resolve();
      else this.#busy--;
    };
  }

  sleep(ms: number): Promise<void> {
    return this.#clock.sleep(ms);
  }

  /** Odoo's retrying(): random pause before try `tryNo + 1` (up to 2, 4, 8, 16 s). */
  retryPauseMs(tryNo: number): number {
    return this.#rng.next() * 2 ** tryNo * 1000;
  }
}
