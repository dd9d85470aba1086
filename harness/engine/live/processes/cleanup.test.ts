import { describe, expect, it } from 'vitest';
import { CleanupRegistry, withCleanup } from './cleanup.ts';

describe('CleanupRegistry', () => {
  it('runs cleanups newest first, each once', async () => {
    const registry = new CleanupRegistry();
    const order: string[] = [];
    registry.add('proxy', () => order.push('proxy'));
    registry.add('server', async () => {
      order.push('server');
    });
    expect(registry.pending).toBe(2);
    expect(await registry.runAll()).toEqual([]);
    expect(await registry.runAll()).toEqual([]);
    expect(order).toEqual(['server', 'proxy']);
  });

  it('keeps going when one cleanup fails, and reports it by name', async () => {
    const registry = new CleanupRegistry();
    const order: string[] = [];
    registry.add('first', () => order.push('first'));
    registry.add('broken', () => {
      throw new Error('port already closed');
    });
    const failures = await registry.runAll();
    expect(order).toEqual(['first']);
    expect(failures.map((f) => `${f.name}: ${f.error.message}`)).toEqual(['broken: port already closed']);
  });

  it('abandons a cleanup that hangs after its timeout and runs its hard fallback', async () => {
    const registry = new CleanupRegistry();
    let killed = false;
    registry.add('stuck process', () => new Promise(() => {}), { timeoutMs: 50, onExit: () => (killed = true) });
    const failures = await registry.runAll();
    expect(failures[0]?.error.message).toMatch(/did not finish within 50 ms/);
    expect(killed).toBe(true);
  });

  it('lets one cleanup run early, and then not again', async () => {
    const registry = new CleanupRegistry();
    let runs = 0;
    const runNow = registry.add('server', () => runs++);
    await runNow();
    await registry.runAll();
    expect(runs).toBe(1);
  });

  it('runs the synchronous fallbacks of what is left on exit', () => {
    const registry = new CleanupRegistry();
    const killed: string[] = [];
    registry.add('a', () => {}, { onExit: () => killed.push('a') });
    registry.add('b', () => {}, { onExit: () => killed.push('b') });
    registry.runExitFallbacks();
    expect(killed).toEqual(['b', 'a']);
    expect(registry.pending).toBe(0);
  });

  it('cleans up and exits with 130 on SIGINT, through the given exit function', async () => {
    const registry = new CleanupRegistry();
    let cleaned = false;
    registry.add('server', () => {
      cleaned = true;
    });
    const code = await new Promise<number>((resolve) => {
      const remove = registry.installSignalHandlers({
        exit: (c) => {
          remove();
          resolve(c);
        },
      });
      process.emit('SIGINT', 'SIGINT');
    });
    expect(code).toBe(130);
    expect(cleaned).toBe(true);
  });
});

describe('withCleanup', () => {
  it('cleans up after the body succeeds and returns its value', async () => {
    let cleaned = false;
    const value = await withCleanup(async (cleanup) => {
      cleanup.add('x', () => (cleaned = true));
      return 42;
    });
    expect(value).toBe(42);
    expect(cleaned).toBe(true);
  });

  it('cleans up when the body fails and rethrows its error', async () => {
    let cleaned = false;
    await expect(
      withCleanup(async (cleanup) => {
        cleanup.add('x', () => (cleaned = true));
        throw new Error('invariant checker crashed');
      }),
    ).rejects.toThrow('invariant checker crashed');
    expect(cleaned).toBe(true);
  });
});
