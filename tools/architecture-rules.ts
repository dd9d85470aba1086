/**
 * The import direction and determinism rules (dependencies point inward; no hidden clocks or randomness), as data and one
 * pure checker, so the rules are testable and the lint command stays thin.
 */
export interface Violation {
  file: string;
  line: number;
  rule: string;
  message: string;
}

/**
 * What each layer may import (every other relative import is refused). The
 * systems reach only the core kit; inside the harness, the transports, the
 * scenario model and the judges never reach up to the commands built on them.
 */
const ENGINE_FRONT = ['harness/engine/run-scenario.ts', 'harness/engine/resolve-middleware.ts'];

const INWARD_ONLY: Record<string, readonly string[]> = {
  'harness/core/': ['harness/core/'],
  // What goes on the wire between the systems, typed once: both ends of every message import it, so it rests on the core kit alone.
  'harness/contracts/': ['harness/contracts/', 'harness/core/'],
  // The XML-RPC wire format and the Python values it carries: both ends of the wire (the Odoo client, the emulator) import it, so it imports nothing.
  'harness/wire/': ['harness/wire/'],
  'simulators/': ['simulators/', 'harness/contracts/', 'harness/core/', 'harness/world/', 'harness/wire/'],
  'middleware/': ['middleware/', 'harness/contracts/', 'harness/core/', 'harness/world/', 'harness/odoo/'],
  // The sim transport (world, network) rests on the core kit alone; its run of a scenario uses the shared phases.
  'harness/engine/sim/': ['harness/engine/sim/', 'harness/core/'],
  'harness/engine/sim/run-sim.ts': [
    'harness/engine/sim/',
    'harness/contracts/',
    'harness/core/',
    'harness/invariants/',
    'harness/odoo/',
    'harness/run/',
    'harness/scenario/',
    'harness/world/',
  ],
  'harness/scenario/': ['harness/scenario/', 'harness/contracts/', 'harness/core/', 'harness/world/', 'simulators/'],
  'harness/invariants/': ['harness/invariants/', 'harness/contracts/', 'harness/core/', 'harness/odoo/', 'harness/world/'],
  'harness/odoo/': ['harness/odoo/', 'harness/contracts/', 'harness/core/', 'harness/world/', 'harness/wire/'],
  // The emulated target serves the emulator; the client never sees it.
  'harness/odoo/targets/': ['harness/odoo/', 'harness/contracts/', 'harness/core/', 'harness/world/', 'harness/wire/', 'simulators/odoo/index.ts'],
  // What both transports share: never a transport itself.
  'harness/run/': [
    'harness/run/',
    'harness/contracts/',
    'harness/core/',
    'harness/invariants/',
    'harness/odoo/',
    'harness/scenario/',
    'harness/world/',
    'simulators/',
  ],
  'harness/engine/live/': [
    'harness/engine/live/',
    'harness/contracts/',
    'harness/core/',
    'harness/invariants/',
    'harness/odoo/',
    'harness/run/',
    'harness/scenario/',
    'harness/wire/',
    'harness/world/',
    'simulators/',
  ],
  // Above the transports: it runs scenarios in either mode and resolves the designs by name.
  'harness/engine/': ['harness/engine/', 'harness/core/', 'harness/run/', 'harness/scenario/', 'middleware/naive/index.ts', 'middleware/resilient/index.ts'],
  // Search and reproduction run scenarios through the engine's front door only, never a transport directly.
  'harness/check/': [
    'harness/check/',
    'harness/contracts/',
    'harness/core/',
    ...ENGINE_FRONT,
    'harness/invariants/',
    'harness/run/',
    'harness/scenario/',
    'harness/world/',
    'simulators/',
  ],
  // The test kit: worlds on the sim engine with the emulator and the simulators; a design under test is handed in, never imported.
  'testing/': [
    'testing/',
    'harness/contracts/',
    'harness/core/',
    'harness/world/',
    'harness/engine/sim/world.ts',
    'harness/engine/sim/network.ts',
    'harness/odoo/',
    'simulators/',
  ],
  'harness/reproduce/': [
    'harness/reproduce/',
    'harness/contracts/',
    'harness/core/',
    ...ENGINE_FRONT,
    'harness/invariants/',
    'harness/odoo/',
    'harness/run/',
    'harness/scenario/',
    'harness/world/',
    'simulators/',
  ],
};

/**
 * Imports that break a rule above and are known debts (issue #19), by file:
 * listed so that they stay the only ones, and deleted as each is paid.
 */
const KNOWN_DEBTS: Record<string, readonly string[]> = {};

/** Who may import the outermost layers (scenarios and report renderers). */
const OUTER_LAYERS = ['scenarios/', 'reports/'];
const OUTER_IMPORTERS = ['harness/cli/', 'bench/', 'scenarios/', 'reports/', 'bin/', 'test/', 'tools/'];

/** The test kit: for tests and benchmarks only, never for what they test. */
const TEST_KIT = 'testing/';

/** Code that must be deterministic: no hidden clocks, timers or randomness. */
const DETERMINISTIC = [
  'harness/core/',
  'harness/contracts/',
  'harness/engine/sim/',
  'harness/scenario/',
  'harness/invariants/',
  'simulators/',
  'middleware/',
  TEST_KIT,
];
/** The clock modules: the only places allowed to touch real timers. */
const CLOCK_MODULES = ['harness/core/scheduler.ts', 'harness/core/clock.ts', 'harness/core/wall-clock.ts'];

const ENTROPY: Array<{ pattern: RegExp; what: string }> = [
  { pattern: /\bMath\.random\s*\(/, what: 'Math.random()' },
  { pattern: /\bDate\.now\s*\(/, what: 'Date.now()' },
  { pattern: /\bnew Date\s*\(\s*\)/, what: 'new Date()' },
  { pattern: /(^|[^.\w])(setTimeout|setInterval|setImmediate)\s*\(/, what: 'a bare timer' },
  { pattern: /\bperformance\.now\s*\(/, what: 'performance.now()' },
  { pattern: /\b(randomBytes|randomUUID|randomInt|randomFillSync|getRandomValues)\s*\(/, what: 'cryptographic randomness' },
];

/**
 * Deterministic code that needs real secrets (security, not simulation): the
 * only places allowed cryptographic randomness, each saying why in a comment.
 */
const SECURITY_RANDOMNESS = ['simulators/odoo/transport/session-id.ts'];

const IMPORT = /(?:^|\s)(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/g;

function resolveRelative(file: string, specifier: string): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const parts = file.split('/').slice(0, -1);
  for (const segment of specifier.split('/')) {
    if (segment === '.' || segment === '') continue;
    if (segment === '..') parts.pop();
    else parts.push(segment);
  }
  return parts.join('/');
}

function isTest(file: string): boolean {
  return /\.test\.ts$/.test(file) || file.includes('/test/') || file.startsWith('test/') || file.includes('/bench/');
}

/** The most specific layer a file belongs to (`harness/odoo/targets/` before `harness/odoo/`). */
function layerOf(file: string): string | undefined {
  return Object.keys(INWARD_ONLY)
    .filter((folder) => file.startsWith(folder))
    .sort((a, b) => b.length - a.length)[0];
}

function isKnownDebt(file: string, target: string): boolean {
  return KNOWN_DEBTS[file]?.some((allowed) => target === allowed || `${target}.ts` === allowed) ?? false;
}

/** Checks one file's text; `file` is relative to the repository root, with `/`. */
export function checkFile(file: string, text: string): Violation[] {
  const violations: Violation[] = [];
  const lines = text.split('\n');
  const test = isTest(file);
  lines.forEach((lineText, index) => {
    const line = index + 1;
    IMPORT.lastIndex = 0;
    for (let m = IMPORT.exec(lineText); m !== null; m = IMPORT.exec(lineText)) {
      const target = resolveRelative(file, m[1] ?? m[2] ?? m[3] ?? '');
      if (target === undefined) continue;
      if (!test) {
        const folder = layerOf(file);
        const allowed = folder === undefined ? undefined : INWARD_ONLY[folder]!;
        if (
          folder !== undefined &&
          allowed !== undefined &&
          !allowed.some((a) => target.startsWith(a) || `${target}/`.startsWith(a)) &&
          !isKnownDebt(file, target)
        ) {
          violations.push({ file, line, rule: 'import-direction', message: `${folder} may import only ${allowed.join(', ')}; this imports ${target}` });
        }
      }
      if (OUTER_LAYERS.some((layer) => target.startsWith(layer)) && !OUTER_IMPORTERS.some((p) => file.startsWith(p)) && !test) {
        violations.push({ file, line, rule: 'import-direction', message: `nothing but the CLI, benchmarks and tests imports ${target}` });
      }
      if (target.startsWith(TEST_KIT) && !test && !file.startsWith(TEST_KIT) && !file.startsWith('bench/')) {
        violations.push({ file, line, rule: 'import-direction', message: `only tests and benchmarks use the test kit; this imports ${target}` });
      }
    }
    if (test || !DETERMINISTIC.some((d) => file.startsWith(d)) || CLOCK_MODULES.includes(file)) return;
    const code = lineText.replace(/\/\/.*$/, '');
    for (const { pattern, what } of ENTROPY) {
      if (what === 'cryptographic randomness' && SECURITY_RANDOMNESS.includes(file)) continue;
      if (pattern.test(code)) {
        violations.push({
          file,
          line,
          rule: 'determinism',
          message: `${what} in deterministic code: take time and randomness from the context's clock and rng`,
        });
      }
    }
  });
  return violations;
}
