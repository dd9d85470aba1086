/**
 * How a Faultline process ends. An error that knows what kind of mistake it
 * is carries its exit code, so the command line never classifies errors by
 * their class name (a renamed class would silently become an "internal error").
 */
export const EXIT = { pass: 0, fail: 1, usage: 2, unreachable: 3 } as const;

export type ExitCode = (typeof EXIT)[keyof typeof EXIT];

/** Implemented by errors that are ordinary mistakes (bad input, a system not there) rather than bugs. */
export interface ExitCoded {
  readonly exitCode: ExitCode;
}

const CODES: ReadonlySet<number> = new Set(Object.values(EXIT));

/** The exit code an error declares for itself, or undefined when it declares none. */
export function declaredExitCode(error: unknown): ExitCode | undefined {
  const code = (error as Partial<ExitCoded> | null | undefined)?.exitCode;
  return typeof code === 'number' && CODES.has(code) ? (code as ExitCode) : undefined;
}
