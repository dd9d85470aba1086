import { History } from '../../../core/history.ts';
import type { HistoryWriter } from '../../../core/history.ts';
import { createRng } from '../../../core/rng.ts';
import { DEFAULT_CALL_TIMEOUT_MS } from '../../../core/system.ts';
import type { SystemContext, SystemName } from '../../../core/system.ts';
import { createLiveFetch } from './live-fetch.ts';
import { wallClock } from '../../../core/wall-clock.ts';

export interface LiveContextOptions {
  name: SystemName;
  seed: number;
  /** Base URLs of the other systems (through their Toxiproxy proxies when faults apply). */
  urls: Readonly<Record<string, string>>;
  config?: Readonly<Record<string, unknown>>;
  history: HistoryWriter;
  /** Timeout for calls that give none; 10 s unless set. */
  fetchTimeoutMs?: number;
  dataDir?: string;
  /** Keep-alive sockets per destination; 512 unless set. */
  maxSockets?: number;
}

/** A live SystemContext plus `close()`, which drops its pooled connections at the end of a run. */
export interface LiveSystemContext extends SystemContext {
  close(): void;
}

/**
 * The context a system gets in live mode: the wall clock, a seeded rng (same
 * stream as the system would get in sim mode: the run's seed forked by the
 * system's name) and a real-HTTP fetch that records every call in the history.
 */
export function createLiveContext(options: LiveContextOptions): LiveSystemContext {
  if (typeof options.name !== 'string' || options.name === '') {
    throw new TypeError('createLiveContext: name must name the system, e.g. "middleware"');
  }
  if (!Number.isInteger(options.seed)) {
    throw new TypeError(`createLiveContext: seed must be an integer, got ${String(options.seed)}`);
  }
  if (options.history === undefined || typeof options.history.append !== 'function') {
    throw new TypeError("createLiveContext: history is required; pass createWallHistory() or the run's history writer");
  }
  const live = createLiveFetch({
    from: options.name,
    urls: options.urls,
    history: options.history,
    clock: wallClock,
    defaultTimeoutMs: options.fetchTimeoutMs ?? DEFAULT_CALL_TIMEOUT_MS,
    ...(options.maxSockets !== undefined ? { maxSockets: options.maxSockets } : {}),
  });
  return {
    name: options.name,
    mode: 'live',
    clock: wallClock,
    rng: createRng(options.seed).fork(options.name),
    fetch: live.fetch,
    history: options.history,
    urls: Object.freeze({ ...options.urls }),
    config: Object.freeze({ ...(options.config ?? {}) }),
    ...(options.dataDir !== undefined ? { dataDir: options.dataDir } : {}),
    close: live.close,
  };
}

/** A history stamped with wall-clock time, for live runs. */
export function createWallHistory(): History {
  return new History(() => wallClock.now());
}
