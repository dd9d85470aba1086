/**
 * How Odoo's external API says no. Both transports fold into one error type so
 * callers branch on meaning (a business refusal, bad credentials, a concurrency
 * failure, a None result after commit) rather than on wire details.
 */
export type OdooTransport = 'jsonrpc' | 'xmlrpc';

export type OdooErrorKind =
  /** Odoo answered with a fault (XML-RPC) or an `error` member (JSON-RPC). */
  | 'fault'
  /** The method ran and committed but returned None (see `isNoneResult`). */
  | 'none-result'
  /** `authenticate` answered `false`. */
  | 'auth'
  /** The HTTP answer was not an RPC answer at all (status ≠ 200, unparsable body). */
  | 'protocol';

export interface OdooErrorDetails {
  kind: OdooErrorKind;
  transport: OdooTransport;
  service: string;
  method: string;
  model?: string;
  modelMethod?: string;
  /** XML-RPC faultCode: 1 (traceback), 2 (UserError), 3 (AccessDenied), 4 (AccessError); a string on the legacy route. */
  faultCode?: number | string;
  /** XML-RPC faultString, or JSON-RPC `data.message`. */
  faultString?: string;
  /** JSON-RPC `error.code` (200 for server exceptions, 100 session expired, 404). */
  jsonrpcCode?: number;
  /** JSON-RPC `data.name`, e.g. `odoo.exceptions.UserError`. */
  exceptionName?: string;
  /** HTTP status when the error is a protocol error. */
  httpStatus?: number;
}

const NONE_MARSHAL_FAULT = 'cannot marshal None unless allow_none is enabled';

export class OdooError extends Error {
  readonly kind: OdooErrorKind;
  readonly transport: OdooTransport;
  readonly service: string;
  readonly method: string;
  readonly model: string | undefined;
  readonly modelMethod: string | undefined;
  readonly faultCode: number | string | undefined;
  readonly faultString: string;
  readonly jsonrpcCode: number | undefined;
  readonly exceptionName: string | undefined;
  readonly httpStatus: number | undefined;

  constructor(details: OdooErrorDetails) {
    super(describe(details));
    this.name = 'OdooError';
    this.kind = details.kind;
    this.transport = details.transport;
    this.service = details.service;
    this.method = details.method;
    this.model = details.model;
    this.modelMethod = details.modelMethod;
    this.faultCode = details.faultCode;
    this.faultString = details.faultString ?? '';
    this.jsonrpcCode = details.jsonrpcCode;
    this.exceptionName = details.exceptionName;
    this.httpStatus = details.httpStatus;
  }

  /**
   * The call ran and committed, but its Python result was None: over XML-RPC
   * the marshaller faults with code 1 after the commit, over JSON-RPC the
   * `result` member is missing. Callers treat it as success.
   */
  get isNoneResult(): boolean {
    return this.kind === 'none-result';
  }

  /** A business refusal (UserError, ValidationError, MissingError): retrying the same call will not help. */
  get isUserError(): boolean {
    if (this.faultCode === 2) return true;
    const name = this.exceptionName ?? '';
    return /UserError|ValidationError|MissingError|RedirectWarning/.test(name);
  }

  get isAccessDenied(): boolean {
    return this.kind === 'auth' || this.faultCode === 3 || this.faultCode === 'AccessDenied' || this.exceptionName === 'odoo.exceptions.AccessDenied';
  }

  /** Serialization failure, lock not available or deadlock after Odoo's own retries: worth retrying later. */
  get isConcurrencyFailure(): boolean {
    const text = `${this.exceptionName ?? ''} ${this.faultString}`;
    return /SerializationFailure|LockNotAvailable|DeadlockDetected|could not serialize access/.test(text);
  }
}

/** True when an XML-RPC faultString is the marshaller refusing a None result. */
export function isNoneMarshalFault(faultString: string): boolean {
  return faultString.includes(NONE_MARSHAL_FAULT);
}

function describe(d: OdooErrorDetails): string {
  const target = d.model !== undefined ? `${d.model}.${d.modelMethod ?? '?'}` : `${d.service}.${d.method}`;
  switch (d.kind) {
    case 'auth':
      return `Odoo refused the login for ${target}: check the database name, login and password (the integration user is created by bootstrapOdoo)`;
    case 'none-result':
      return `${target} returned None over ${d.transport}; the call ran, treat it as success`;
    case 'protocol':
      return `Odoo answered ${target} with something that is not an RPC answer (HTTP ${d.httpStatus ?? '?'}): ${firstLine(d.faultString)}; check the Odoo URL`;
    case 'fault': {
      const code = d.faultCode !== undefined ? `fault ${String(d.faultCode)}` : `error ${String(d.jsonrpcCode)} ${d.exceptionName ?? ''}`.trim();
      return `Odoo refused ${target} (${code}): ${lastLine(d.faultString)}`;
    }
  }
}

function firstLine(text: string | undefined): string {
  return (text ?? '').split('\n')[0]!.slice(0, 200);
}

/** Tracebacks end with the exception; user errors are short. Either way the last non-empty line says what happened. */
function lastLine(text: string | undefined): string {
  const lines = (text ?? '').split('\n').filter((l) => l.trim() !== '');
  if (lines.length <= 3) return lines.join(' ').slice(0, 400);
  return lines[lines.length - 1]!.slice(0, 400);
}
