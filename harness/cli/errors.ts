import { declaredExitCode, EXIT } from '../core/exit-codes.ts';

/** Socket errors that mean "nothing answered there", wherever they surface. */
const UNREACHABLE_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ECONNRESET',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
]);

function codeOf(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** The one line an ordinary mistake deserves; `undefined` for a real bug. */
function ordinary(error: Error): { code: number; line: string } | undefined {
  const declared = declaredExitCode(error);
  if (declared !== undefined) return { code: declared, line: error.message };
  const code = codeOf(error);
  if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    const where = error as { address?: string; port?: number };
    const place = where.port !== undefined ? `${where.address ?? 'localhost'}:${where.port}` : 'the address';
    const why = code === 'EADDRINUSE' ? 'is already in use' : code === 'EACCES' ? 'needs privileges' : 'is not an address of this machine';
    return { code: EXIT.usage, line: `${place} ${why}; pick another with --port (or --host)` };
  }
  const cause = codeOf(error.cause);
  if ((code !== undefined && UNREACHABLE_CODES.has(code)) || (cause !== undefined && UNREACHABLE_CODES.has(cause))) {
    return {
      code: EXIT.unreachable,
      line: `could not reach a system: ${error.message}${cause !== undefined ? ` (${cause})` : ''}; is it running, and is the URL right?`,
    };
  }
  return undefined;
}

/** Prints what went wrong and returns the exit code: one line for an ordinary mistake, the stack only for a bug. */
export function reportError(error: unknown): number {
  if (!(error instanceof Error)) {
    process.stderr.write(`faultline: internal error: ${String(error)}\n`);
    return EXIT.unreachable;
  }
  const known = ordinary(error);
  if (known !== undefined) {
    process.stderr.write(`faultline: ${known.line}\n`);
    return known.code;
  }
  process.stderr.write(`faultline: internal error (please report it): ${error.stack ?? error.message}\n`);
  return EXIT.unreachable;
}
