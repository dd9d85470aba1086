import { describe, expect, it } from 'vitest';
import { checkFile } from './architecture-rules.ts';

describe('the architecture rules', () => {
  it('reject a simulator importing the engine', () => {
    const found = checkFile('simulators/payment/gateway.ts', "import { SimWorld } from '../../harness/engine/sim/world.ts';");
    expect(found).toMatchObject([{ rule: 'import-direction', line: 1 }]);
  });

  it('allow a simulator to import the core kit', () => {
    expect(checkFile('simulators/payment/gateway.ts', "import type { System } from '../../harness/core/system.ts';")).toEqual([]);
  });

  it('reject the engine importing a scenario', () => {
    const found = checkFile('harness/engine/sim/world.ts', "import happy from '../../../scenarios/happy-path.ts';");
    expect(found[0]?.message).toContain('scenarios/happy-path');
  });

  it('reject hidden entropy in deterministic code and name the fix', () => {
    const found = checkFile('middleware/naive/app.ts', 'const id = Math.random();\nconst t = Date.now();\nsetTimeout(f, 10);');
    expect(found.map((v) => v.line)).toEqual([1, 2, 3]);
    expect(found[0]?.message).toContain("context's clock and rng");
  });

  it('allow timers in tests and in the clock modules', () => {
    expect(checkFile('middleware/naive/app.test.ts', 'setTimeout(f, 10);')).toEqual([]);
    expect(checkFile('harness/core/scheduler.ts', 'setImmediate(resolve);')).toEqual([]);
  });

  it('reject cryptographic randomness in deterministic code except the session-id module', () => {
    expect(checkFile('simulators/odoo/transport/web-session.ts', "const id = randomBytes(20).toString('hex');")).toMatchObject([
      { rule: 'determinism', line: 1 },
    ]);
    expect(checkFile('middleware/resilient/store.ts', 'const key = crypto.randomUUID();')).toMatchObject([{ rule: 'determinism' }]);
    expect(checkFile('simulators/odoo/transport/session-id.ts', "return randomBytes(20).toString('hex');")).toEqual([]);
  });

  it('reject a transport or a judge reaching up to what is built on it', () => {
    expect(checkFile('harness/engine/sim/network.ts', "import type { RunResult } from '../../run/result.ts';")).toMatchObject([{ rule: 'import-direction' }]);
    expect(checkFile('harness/scenario/validate.ts', "import { runSim } from '../engine/sim/run-sim.ts';")).toMatchObject([{ rule: 'import-direction' }]);
    expect(checkFile('harness/invariants/settles.ts', "import { search } from '../check/search.ts';")).toMatchObject([{ rule: 'import-direction' }]);
    expect(checkFile('harness/check/search.ts', "import { runLive } from '../engine/live/run-live.ts';")).toMatchObject([{ rule: 'import-direction' }]);
  });

  it('keep the wire format a leaf that both ends of the wire import, and the client off the emulator', () => {
    expect(checkFile('harness/odoo/xmlrpc-codec.ts', "import { decodeMethodResponse } from '../wire/xmlrpc.ts';")).toEqual([]);
    expect(checkFile('simulators/odoo/transport/xmlrpc.ts', "import { encodeFault } from '../../../harness/wire/xmlrpc.ts';")).toEqual([]);
    expect(checkFile('harness/wire/xmlrpc.ts', "import { PyFloat } from './python-float.ts';")).toEqual([]);
    expect(checkFile('harness/wire/xmlrpc.ts', "import { pythonRepr } from '../../simulators/odoo/orm/errors.ts';")).toMatchObject([
      { rule: 'import-direction', message: expect.stringContaining('harness/wire/ may import only harness/wire/') },
    ]);
    expect(checkFile('harness/wire/xmlrpc.ts', "import type { SystemFetch } from '../core/system.ts';")).toMatchObject([{ rule: 'import-direction' }]);
    expect(checkFile('harness/odoo/xmlrpc-codec.ts', "import { PyFloat } from '../../simulators/odoo/orm/values.ts';")).toMatchObject([
      { rule: 'import-direction' },
    ]);
    expect(checkFile('middleware/naive/app.ts', "import { encodeMethodCall } from '../../harness/wire/xmlrpc.ts';")).toMatchObject([
      { rule: 'import-direction' },
    ]);
  });

  it('keep the wire contract below both ends of the wire: it imports neither a simulator nor a middleware', () => {
    expect(checkFile('harness/contracts/webhook-signature.ts', "import { HEADERS } from '../core/system.ts';")).toEqual([]);
    expect(checkFile('harness/contracts/capture.ts', "import { BadInput } from '../../simulators/shared/http.ts';")).toMatchObject([
      { rule: 'import-direction', message: expect.stringContaining('harness/contracts/ may import only harness/contracts/, harness/core/') },
    ]);
    const middleware = "import type { Parsed } from '../../middleware/shared/http.ts';";
    expect(checkFile('harness/contracts/payment.ts', middleware)).toMatchObject([{ rule: 'import-direction' }]);
    expect(checkFile('harness/contracts/ledgers.ts', "import type { Verdict } from '../invariants/types.ts';")).toMatchObject([{ rule: 'import-direction' }]);
    expect(checkFile('simulators/payment/gateway.ts', "import type { PaymentWebhook } from '../../harness/contracts/payment.ts';")).toEqual([]);
    expect(checkFile('middleware/naive/index.ts', "import { parsePaymentEvent } from '../../harness/contracts/payment.ts';")).toEqual([]);
    expect(checkFile('harness/invariants/types.ts', "import type { CaptureLedger } from '../contracts/ledgers.ts';")).toEqual([]);
  });

  it('let only the engine above the transports resolve the built-in designs', () => {
    expect(checkFile('harness/engine/resolve-middleware.ts', "const m = await import('../../middleware/naive/index.ts');")).toEqual([]);
    expect(checkFile('harness/engine/sim/run-sim.ts', "const m = await import('../../../middleware/naive/index.ts');")).toMatchObject([
      { rule: 'import-direction' },
    ]);
    expect(checkFile('harness/run/systems.ts', "import { SimWorld } from '../engine/sim/world.ts';")).toMatchObject([{ rule: 'import-direction' }]);
  });

  it('keep the test kit for tests and benchmarks, and the designs under test out of it', () => {
    expect(checkFile('middleware/test/naive.test.ts', "import { MiddlewareWorld } from '../../testing/middleware-world.ts';")).toEqual([]);
    expect(checkFile('bench/simulators.bench.ts', "import { TestWorld } from '../testing/sim-world.ts';")).toEqual([]);
    expect(checkFile('harness/cli/run.ts', "import { TestWorld } from '../../testing/sim-world.ts';")).toMatchObject([
      { rule: 'import-direction', message: expect.stringContaining('only tests and benchmarks') },
    ]);
    expect(checkFile('testing/sim-world.ts', "import { SimWorld } from '../harness/engine/sim/world.ts';")).toEqual([]);
    expect(checkFile('testing/sim-world.ts', "import { createNaiveMiddleware } from '../middleware/naive/index.ts';")).toMatchObject([
      { rule: 'import-direction' },
    ]);
  });
});
