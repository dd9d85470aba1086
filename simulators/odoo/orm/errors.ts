/**
 * Odoo's exceptions as they reach an external client. Each error knows how it
 * goes on the wire: the XML-RPC fault code (rpc.py xmlrpc_handle_exception_int)
 * and the JSON-RPC `data.name` (http.py serialize_exception). Model code throws
 * these; the transports turn them into faults, so a method never builds a fault
 * by hand.
 */
import { pythonFloatRepr } from '../../../harness/wire/python-float.ts';

export abstract class OdooError extends Error {
  /** Qualified Python class name, as JSON-RPC's `data.name` shows it. */
  abstract readonly pythonName: string;
  /** XML-RPC faultCode on `/xmlrpc/2/*`. */
  abstract readonly faultCode: 1 | 2 | 3 | 4;
  /** Python's `exc.args`, JSON-RPC's `data.arguments`. */
  readonly pythonArgs: unknown[];

  constructor(message: string, pythonArgs?: unknown[]) {
    super(message);
    this.pythonArgs = pythonArgs ?? [message];
  }

  /** The XML-RPC faultString: the message for Odoo's own errors, a traceback for the rest. */
  faultString(): string {
    return this.message;
  }
}

/** odoo.exceptions.UserError: a business rule refused the call (fault code 2). */
export class UserError extends OdooError {
  readonly pythonName: string = 'odoo.exceptions.UserError';
  readonly faultCode: 1 | 2 | 3 | 4 = 2;
  override readonly name: string = 'UserError';
}

/** odoo.exceptions.ValidationError: a constraint failed (fault code 2). */
export class ValidationError extends UserError {
  override readonly pythonName: string = 'odoo.exceptions.ValidationError';
  override readonly name: string = 'ValidationError';
}

/** odoo.exceptions.MissingError: the record does not exist (fault code 2). */
export class MissingError extends UserError {
  override readonly pythonName: string = 'odoo.exceptions.MissingError';
  override readonly name: string = 'MissingError';
}

/** odoo.exceptions.AccessError: not allowed, e.g. a private method (fault code 4). */
export class AccessError extends UserError {
  override readonly pythonName: string = 'odoo.exceptions.AccessError';
  override readonly faultCode: 1 | 2 | 3 | 4 = 4;
  override readonly name: string = 'AccessError';
}

/** odoo.exceptions.AccessDenied: bad credentials (fault code 3, "Access Denied"). */
export class AccessDenied extends UserError {
  override readonly pythonName: string = 'odoo.exceptions.AccessDenied';
  override readonly faultCode: 1 | 2 | 3 | 4 = 3;
  override readonly name: string = 'AccessDenied';
  constructor(message = 'Access Denied') {
    super(message);
  }
}

/**
 * odoo.exceptions.RedirectWarning: not a UserError, so XML-RPC shows the tuple
 * repr of its four args (fault code 2).
 */
export class RedirectWarning extends OdooError {
  readonly pythonName = 'odoo.exceptions.RedirectWarning';
  readonly faultCode: 1 | 2 | 3 | 4 = 2;
  override readonly name: string = 'RedirectWarning';
  constructor(message: string, action: unknown, buttonText: string, additionalContext: unknown = null) {
    super(message, [message, action, buttonText, additionalContext]);
  }
  override faultString(): string {
    return `(${this.pythonArgs.map(pythonRepr).join(', ')})`;
  }
}

/**
 * Any other Python exception (ValueError, TypeError, AttributeError, KeyError,
 * psycopg2 errors...): fault code 1 with the whole traceback as faultString.
 * `pythonType` is the name as Python prints it on the traceback's last line:
 * `ValueError`, or `psycopg2.errors.SerializationFailure` for non-builtins.
 */
export class PythonError extends OdooError {
  readonly pythonName: string;
  readonly faultCode: 1 | 2 | 3 | 4 = 1;
  readonly pythonType: string;
  /** Where the traceback pretends the error was raised (kept short; never compared). */
  readonly where: string;

  constructor(pythonType: string, message: string, where = 'odoo/service/model.py', pythonArgs?: unknown[]) {
    super(message, pythonArgs);
    this.pythonType = pythonType;
    this.pythonName = pythonType.includes('.') ? pythonType : `builtins.${pythonType}`;
    this.where = where;
    this.name = pythonType;
  }

  /** Last line of the traceback, e.g. `ValueError: Invalid field 'x' on model 'y'` (a message's closing newline left out). */
  lastLine(): string {
    const message = this.message.replace(/\n+$/, '');
    return message === '' ? this.pythonType : `${this.pythonType}: ${message}`;
  }

  /** As traceback.format_exception ends it: `Type: str(exc)` and a newline, even after a message that ends in one. */
  override faultString(): string {
    const last = this.message === '' ? this.pythonType : `${this.pythonType}: ${this.message}`;
    return `Traceback (most recent call last):\n  File "${this.where}", line 1, in <faultline-emulator>\n${last}\n`;
  }
}

/**
 * What a client gets when Odoo's retrying() gives up on a concurrent update
 * (odoo/service/model.py re-raises psycopg2's error after its last try).
 * psycopg2 keeps PostgreSQL's closing newline in the message: `str(exc)` and
 * `exc.args[0]` end in "\n", so the traceback ends in a blank line
 * (checked against PostgreSQL 15 with psycopg2 2.9.5).
 */
export function serializationFailure(): PythonError {
  return new PythonError('psycopg2.errors.SerializationFailure', 'could not serialize access due to concurrent update\n', 'odoo/service/model.py');
}

export const valueError = (message: string): PythonError => new PythonError('ValueError', message);
export const typeError = (message: string): PythonError => new PythonError('TypeError', message);
export const keyError = (key: string): PythonError => new PythonError('KeyError', pythonRepr(key), 'odoo/models.py', [key]);

/** The MissingError Odoo raises when a call touches ids that do not exist. */
export function missingRecords(model: string, ids: readonly number[], uid: number): MissingError {
  return new MissingError(`Record does not exist or has been deleted.\n(Record: ${recordsRepr(model, ids)}, User: ${uid})`);
}

/** `res.partner(7,)` / `res.partner(7, 8)`: Python's repr of a recordset. */
export function recordsRepr(model: string, ids: readonly number[]): string {
  return ids.length === 1 ? `${model}(${ids[0]},)` : `${model}(${ids.join(', ')})`;
}

/** Python's repr of a JSON-like value, for messages that quote values (leaves, tuples). */
export function pythonRepr(value: unknown): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number') return Number.isInteger(value) && !Object.is(value, -0) ? String(value) : pythonFloatRepr(value);
  if (typeof value === 'string') return pythonStrRepr(value);
  if (Array.isArray(value)) return `[${value.map(pythonRepr).join(', ')}]`;
  if (typeof value === 'object') {
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${pythonStrRepr(k)}: ${pythonRepr(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}

function pythonStrRepr(text: string): string {
  const quote = text.includes("'") && !text.includes('"') ? '"' : "'";
  let out = quote;
  for (const ch of text) {
    if (ch === quote || ch === '\\') out += `\\${ch}`;
    else if (ch === '\n') out += '\\n';
    else if (ch === '\r') out += '\\r';
    else if (ch === '\t') out += '\\t';
    else out += ch;
  }
  return out + quote;
}
