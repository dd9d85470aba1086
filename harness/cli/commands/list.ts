import { builtInScenarios } from '../../../scenarios/index.ts';

export async function listCommand(): Promise<number> {
  const width = Math.max(...builtInScenarios.map((s) => s.name.length));
  for (const scenario of builtInScenarios) {
    process.stdout.write(`${scenario.name.padEnd(width)}  ${scenario.description}\n`);
  }
  return 0;
}
