import { afterEach, describe, expect, it, vi } from 'vitest';
import { EXIT } from '../core/exit-codes.ts';
import { NetworkError } from '../core/system.ts';
import { DockerUnavailableError } from '../odoo/targets/docker-availability.ts';
import { NonTestDatabaseError } from '../odoo/targets/test-database.ts';
import { ScenarioError } from '../scenario/validate.ts';
import { KnobError } from '../../simulators/shared/knobs.ts';
import { reportError } from './errors.ts';

function printed(error: unknown): { code: number; text: string } {
  const writes: string[] = [];
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    writes.push(String(chunk));
    return true;
  });
  const code = reportError(error);
  return { code, text: writes.join('') };
}

describe('reportError', () => {
  afterEach(() => vi.restoreAllMocks());

  it('ends a run with exit 2 and one line for a mistake in the input, wherever it was raised', () => {
    for (const error of [
      new KnobError('capture.rate must be a number'),
      new NonTestDatabaseError('production'),
      new ScenarioError('x', [{ path: 'orders', message: 'must be positive' }]),
    ]) {
      const { code, text } = printed(error);
      expect(code).toBe(EXIT.usage);
      expect(text).not.toMatch(/internal error|\n\s+at /);
    }
  });

  it('ends a run with exit 3 when a system is not there', () => {
    expect(printed(new DockerUnavailableError('no socket')).code).toBe(EXIT.unreachable);
    expect(printed(new NetworkError('refused', 'odoo refused the connection', false)).code).toBe(EXIT.unreachable);
  });

  it('classifies by the exit code an error declares, not by its class name', () => {
    const renamed = Object.assign(new Error('the scenario file names no scenario'), { name: 'SomethingNew', exitCode: EXIT.usage });
    expect(printed(renamed)).toEqual({ code: EXIT.usage, text: 'faultline: the scenario file names no scenario\n' });
  });

  it('prints the stack and asks for a report when the error is a bug', () => {
    const { code, text } = printed(new TypeError('cannot read properties of undefined'));
    expect(code).toBe(EXIT.unreachable);
    expect(text).toMatch(/internal error \(please report it\): TypeError: cannot read properties of undefined\n\s+at /);
  });

  it("ignores an exit code that is not one of Faultline's", () => {
    expect(printed(Object.assign(new Error('odd'), { exitCode: 42 })).text).toMatch(/internal error/);
  });
});
