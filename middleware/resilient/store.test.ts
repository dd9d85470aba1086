import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { afterEach, describe, expect, it } from 'vitest';
import { ResilientStore } from './store.ts';

const dirs: string[] = [];
const stores: ResilientStore[] = [];
const readers: DatabaseSync[] = [];
afterEach(() => {
  for (const reader of readers.splice(0)) reader.close();
  for (const store of stores.splice(0)) store.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** Resolves once the continuations of the current turn have all run, as the store's own commit waits for. */
const endOfTurn = () => new Promise<void>((resolve) => process.nextTick(resolve));

function open(): { store: ResilientStore; leases: () => unknown[] } {
  const dir = mkdtempSync(join(tmpdir(), 'faultline-store-'));
  dirs.push(dir);
  const store = new ResilientStore(dir);
  stores.push(store);
  // A second connection, as another process reading the file would have.
  const reader = new DatabaseSync(join(dir, 'resilient-middleware.sqlite'), { readOnly: true });
  readers.push(reader);
  return {
    store,
    leases: () =>
      reader
        .prepare('SELECT ref, until FROM leases ORDER BY ref')
        .all()
        .map((row) => ({ ...row })),
  };
}

describe('the resilient store grouping the writes of one turn', () => {
  it('commits the writes of a turn together once the turn ends', async () => {
    const { store, leases } = open();
    store.takeLease('CAP-1', 0, 30_000);
    store.takeLease('CAP-2', 0, 30_000);
    expect(leases()).toEqual([]);
    await endOfTurn();
    expect(leases()).toEqual([
      { ref: 'CAP-1', until: 30_000 },
      { ref: 'CAP-2', until: 30_000 },
    ]);
  });

  it('makes a renewed lease and the writes before it durable before the call it precedes goes out', () => {
    const { store, leases } = open();
    store.takeLease('CAP-1', 0, 30_000);
    store.renewLease('CAP-2', 0, 40_000);
    expect(leases()).toEqual([
      { ref: 'CAP-1', until: 30_000 },
      { ref: 'CAP-2', until: 40_000 },
    ]);
  });

  it('makes what atomically recorded durable before it returns, with the writes of the turn before it', () => {
    const { store, leases } = open();
    store.takeLease('CAP-1', 0, 30_000);
    store.atomically(() => store.enqueue('CAP-1', 0));
    expect(leases()).toEqual([{ ref: 'CAP-1', until: 30_000 }]);
    expect(store.job('CAP-1')?.state).toBe('pending');
  });

  it('undoes only its own writes when atomically fails inside a turn that already wrote', async () => {
    const { store, leases } = open();
    store.takeLease('CAP-1', 0, 30_000);
    expect(() =>
      store.atomically(() => {
        store.enqueue('CAP-2', 0);
        throw new Error('refused');
      }),
    ).toThrow('refused');
    await endOfTurn();
    expect(leases()).toEqual([{ ref: 'CAP-1', until: 30_000 }]);
    expect(store.job('CAP-2')).toBeUndefined();
  });
});

describe('the resilient store finding orders to reconcile', () => {
  it('finds an order stamped later than any check is put off to, as a clock that stepped back leaves it', () => {
    const { store } = open();
    const accept = (ref: string, at: number) =>
      store.updateView(ref, at, (view) => {
        view.order = { ref } as never;
      });
    accept('CAP-QUIET', 1_000);
    accept('CAP-BUSY', 9_000);
    accept('CAP-AHEAD', 3_600_000);
    // Now is 10 s, quiet means untouched for 5 s, and no check is put off by more than 5 min.
    expect(store.staleOrders(5_000, 10_000 + 300_000, 10)).toEqual(['CAP-QUIET', 'CAP-AHEAD']);
  });
});
