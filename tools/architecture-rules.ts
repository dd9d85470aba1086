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

/** Folders whose code may only reach the harness's core kit, never the engine. */
const INWARD_ONLY: Record<string, readonly string[]> = {
  'harness/core/': ['harness/core/'],
  'simulators/': ['simulators/', 'harness/core/', 'harness/world/'],
  'middleware/': ['middleware/', 'harness/core/', 'harness/world/', 'harness/odoo/'],
};

/** Who may import the outermost layers (scenarios and report renderers). */
const OUTER_LAYERS = ['scenarios/', 'reports/'];
const OUTER_IMPORTERS = ['harness/cli/', 'bench/', 'scenarios/', 'reports/', 'bin/', 'test/', 'tools/'];

/** Code that must be deterministic: no hidden clocks, timers or randomness. */
const DETERMINISTIC = ['harness/core/', 'harness/sim/', 'harness/scenario/', 'harness/invariants/', 'simulators/', 'middleware/'];
/** The clock modules: the only places allowed to touch real timers. */
const CLOCK_MODULES = ['harness/core/scheduler.ts', 'harness/core/clock.ts'];

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
        for (const [folder, allowed] of Object.entries(INWARD_ONLY)) {
          if (file.startsWith(folder) && !allowed.some((a) => target.startsWith(a) || `${target}/`.startsWith(a))) {
            violations.push({ file, line, rule: 'import-direction', message: `${folder} may import only ${allowed.join(', ')}; this imports ${target}` });
          }
        }
      }
      if (OUTER_LAYERS.some((layer) => target.startsWith(layer)) && !OUTER_IMPORTERS.some((p) => file.startsWith(p)) && !test) {
        violations.push({ file, line, rule: 'import-direction', message: `nothing but the CLI, benchmarks and tests imports ${target}` });
      }
    }
    if (test || !DETERMINISTIC.some((d) => file.startsWith(d)) || CLOCK_MODULES.includes(file)) return;
    const code = lineText.replace(/\/\/.*$/, '');
    for (const { pattern, what } of ENTROPY) {
      if (what === 'cryptographic randomness' && SECURITY_RANDOMNESS.includes(file)) continue;
      if (pattern.test(code)) {
        violations.push({ file, line, rule: 'determinism', message: `${what} in deterministic code: take time and randomness from the context's clock and rng` });
      }
    }
  });
  return violations;
}
