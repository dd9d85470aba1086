import type { System } from '../core/system.ts';

/** A stand-in System to serve before the real one exists, then attach it. */
export interface SystemSlot {
  /** Serve this: it forwards to the attached system, or answers 503 until one is attached. */
  readonly system: System;
  attach(system: System): void;
  readonly attached: boolean;
}

/**
 * Breaks the wiring cycle of a live run: a system's context needs the other
 * systems' (proxy) URLs, the proxies need the systems' ports, and the ports
 * exist only once something is served. Serve slots first, create the proxies,
 * build the contexts and systems, then attach them.
 */
export function createSystemSlot(name: string): SystemSlot {
  let target: System | undefined;
  return {
    system: {
      handle(request) {
        if (target !== undefined) return target.handle(request);
        return Promise.resolve(
          Response.json({ error: `${name} is not wired yet; the run attaches it before load starts (retry shortly)` }, { status: 503, headers: { 'retry-after': '1' } }),
        );
      },
    },
    attach(system) {
      if (system === null || typeof system !== 'object' || typeof system.handle !== 'function') {
        throw new TypeError(`slot ${name}: attach needs a System with a handle(request) method`);
      }
      if (target !== undefined) throw new Error(`slot ${name} already has a system attached`);
      target = system;
    },
    get attached() {
      return target !== undefined;
    },
  };
}
