import { createHash } from 'node:crypto';
import type { Scenario } from '../scenario/scenario.ts';
import { tsLiteral } from './ts-literal.ts';

const CALL = 'export default defineScenario(';

export interface RegressionModule {
  /** The scenario's name in the file: the base's name and a hash of the case. */
  name: string;
  fileName: string;
  text: string;
}

export interface RegressionOrigin {
  middlewareArg: string;
  /** The failing invariants, for the comment and the run line. */
  invariants: readonly string[];
  /** The minimal case in words. */
  words: string;
  /** The check command that found it. */
  foundBy: string;
  /** How the module imports defineScenario: a relative path inside Faultline's repository, `faultline` elsewhere. */
  importFrom: string;
}

/** Same case, same hash: saving a regression twice writes one file. */
export function caseHash(scenario: Scenario, middlewareArg: string): string {
  return createHash('sha256').update(JSON.stringify({ scenario, middlewareArg })).digest('hex').slice(0, 8);
}

function commentLines(text: string): string {
  // A "*/" inside the words would end the comment early.
  return text
    .replaceAll('*/', '* /')
    .split('\n')
    .map((line) => ` * ${line}`.trimEnd())
    .join('\n');
}

/**
 * A minimal failing case as a scenario module: it fails the same way until
 * the middleware is fixed, and from then on guards the fix. The run seed is
 * in the scenario, so `faultline run FILE` replays it without flags.
 */
export function regressionModule(scenario: Scenario, origin: RegressionOrigin): RegressionModule {
  const hash = caseHash(scenario, origin.middlewareArg);
  const name = `${scenario.name}-${hash}`;
  const fileName = `${name}.ts`;
  const value = {
    ...scenario,
    name,
    description: `Regression: ${origin.invariants.join(', ')} failed with the ${origin.middlewareArg} middleware in a case generated from ${scenario.name}`,
  };
  const text = `/**
${commentLines(`Minimal case found by \`${origin.foundBy}\`:
${origin.words}
It fails ${origin.invariants.join(', ')} with the ${origin.middlewareArg} middleware until the middleware is fixed:
  npx faultline run scenarios/regressions/${fileName} --middleware ${origin.middlewareArg}
and from then on guards the fix. See scenarios/regressions/README.md.`)}
 */
import { defineScenario } from '${origin.importFrom}';

${CALL}${tsLiteral(value, '', CALL.length, ');'.length)});
`;
  return { name, fileName, text };
}
