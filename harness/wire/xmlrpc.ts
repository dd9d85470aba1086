/**
 * A small XML-RPC codec for the hot path, both sides of the wire: the Odoo
 * client (`harness/odoo/`) writes calls and reads answers with it, the emulator
 * (`simulators/odoo/`) reads calls and writes answers and faults, so it imports
 * neither. It writes exactly what Python's xmlrpc.client writes (Odoo answers
 * with it), and reads what Python reads. The `xmlrpc` npm package stays the reference: the tests
 * prove both decode to identical values on a corpus and under fuzzing.
 *
 * Safety: no DTDs, no entity declarations (refused, never expanded), bounded
 * nesting, and every malformed input is a thrown XmlRpcParseError, never a hang.
 *
 * Where the `xmlrpc` package and Python disagree, this follows Python (what
 * Odoo runs): `<i8>` reads as a number (the package gives a string), integer
 * text must be a whole number (the package's parseInt accepts "12abc"), and a
 * dateTime without a zone is UTC (the package assumes local time).
 */
import { PyFloat, pythonFloatRepr } from './python-float.ts';

export class XmlRpcParseError extends Error {
  override readonly name = 'XmlRpcParseError';
}

/** A value Python's marshaller refuses; `pythonType` is the exception Odoo's traceback ends with. */
export class XmlRpcMarshalError extends Error {
  override readonly name = 'XmlRpcMarshalError';
  readonly pythonType: 'TypeError' | 'OverflowError';
  constructor(pythonType: 'TypeError' | 'OverflowError', message: string) {
    super(message);
    this.pythonType = pythonType;
  }
}

export interface DecodeOptions {
  /**
   * `'number'` (default): doubles become JS numbers, as the `xmlrpc` package gives them.
   * `'pyfloat'`: integral doubles become PyFloat, so `100.0` stays distinguishable from `100`.
   */
  readonly doubles?: 'number' | 'pyfloat';
  /** Deepest array/struct nesting accepted (default 64). */
  readonly maxDepth?: number;
}

export interface MethodCall {
  readonly methodName: string;
  readonly params: unknown[];
}

export type MethodResponse =
  | { readonly kind: 'value'; readonly value: unknown }
  | { readonly kind: 'fault'; readonly faultCode: unknown; readonly faultString: unknown };

const MAXINT = 2 ** 31 - 1;
const MININT = -(2 ** 31);

// ---------------------------------------------------------------- encoding

/** Odoo strips these from strings before marshalling (rpc.py CONTROL_CHARACTERS). */
const CONTROL = /[\x00-\x08\x0b\x0c\x0e-\x1f]/g;
const NEEDS_ESCAPE = /[&<>\x00-\x08\x0b\x0c\x0e-\x1f]/;

function escapeText(text: string): string {
  if (!NEEDS_ESCAPE.test(text)) return text;
  return text.replace(CONTROL, '').replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}

export interface EncodeOptions {
  /** Python's allow_none: write `<nil/>` for null/undefined instead of refusing. */
  readonly allowNone?: boolean;
}

/** Appends one value as Python's Marshaller.dump does (same bytes). */
function dump(value: unknown, out: string[], allowNone: boolean, depth: number): void {
  if (depth > 256) throw new XmlRpcMarshalError('TypeError', 'cannot marshal recursive structures');
  switch (typeof value) {
    case 'string':
      out.push('<value><string>', escapeText(value), '</string></value>\n');
      return;
    case 'number':
      if (Number.isInteger(value)) {
        if (value > MAXINT || value < MININT) throw new XmlRpcMarshalError('OverflowError', 'int exceeds XML-RPC limits');
        out.push('<value><int>', String(value), '</int></value>\n');
      } else {
        out.push('<value><double>', pythonFloatRepr(value), '</double></value>\n');
      }
      return;
    case 'boolean':
      out.push(value ? '<value><boolean>1</boolean></value>\n' : '<value><boolean>0</boolean></value>\n');
      return;
    case 'bigint':
      if (value > BigInt(MAXINT) || value < BigInt(MININT)) throw new XmlRpcMarshalError('OverflowError', 'int exceeds XML-RPC limits');
      out.push('<value><int>', value.toString(), '</int></value>\n');
      return;
    case 'undefined':
      if (!allowNone) throw new XmlRpcMarshalError('TypeError', 'cannot marshal None unless allow_none is enabled');
      out.push('<value><nil/></value>');
      return;
    case 'object': {
      if (value === null) {
        if (!allowNone) throw new XmlRpcMarshalError('TypeError', 'cannot marshal None unless allow_none is enabled');
        out.push('<value><nil/></value>');
        return;
      }
      if (Array.isArray(value)) {
        out.push('<value><array><data>\n');
        for (const item of value) dump(item, out, allowNone, depth + 1);
        out.push('</data></array></value>\n');
        return;
      }
      if (value instanceof PyFloat) {
        out.push('<value><double>', pythonFloatRepr(value.value), '</double></value>\n');
        return;
      }
      if (value instanceof Date) {
        out.push('<value><dateTime.iso8601>', isoBasic(value), '</dateTime.iso8601></value>\n');
        return;
      }
      if (value instanceof Uint8Array) {
        out.push('<value><base64>\n', Buffer.from(value).toString('base64'), '\n</base64></value>\n');
        return;
      }
      out.push('<value><struct>\n');
      for (const key of Object.keys(value)) {
        const item = (value as Record<string, unknown>)[key];
        if (item === undefined && !allowNone) throw new XmlRpcMarshalError('TypeError', 'cannot marshal None unless allow_none is enabled');
        out.push('<member>\n<name>', escapeText(key), '</name>\n');
        dump(item, out, allowNone, depth + 1);
        out.push('</member>\n');
      }
      out.push('</struct></value>\n');
      return;
    }
    default:
      throw new XmlRpcMarshalError('TypeError', `cannot marshal ${typeof value} objects`);
  }
}

/** `YYYYMMDDTHH:MM:SS`, the form Python writes for datetimes (UTC here). */
function isoBasic(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 4)}${iso.slice(5, 7)}${iso.slice(8, 10)}T${iso.slice(11, 19)}`;
}

/** A methodResponse carrying one value, byte-identical to Python's `dumps((value,), methodresponse=True)`. */
export function encodeMethodResponse(value: unknown, options: EncodeOptions = {}): string {
  const out: string[] = ["<?xml version='1.0'?>\n<methodResponse>\n<params>\n<param>\n"];
  dump(value, out, options.allowNone === true, 0);
  out.push('</param>\n</params>\n</methodResponse>\n');
  return out.join('');
}

/** A fault response, byte-identical to Python's `dumps(Fault(code, string))`. */
export function encodeFault(faultCode: number | string, faultString: string): string {
  const out: string[] = ["<?xml version='1.0'?>\n<methodResponse>\n<fault>\n"];
  dump({ faultCode, faultString }, out, false, 0);
  out.push('</fault>\n</methodResponse>\n');
  return out.join('');
}

/** A methodCall, as Python's `dumps(params, methodname)` writes it. */
export function encodeMethodCall(methodName: string, params: readonly unknown[], options: EncodeOptions = {}): string {
  const out: string[] = ["<?xml version='1.0'?>\n<methodCall>\n<methodName>", escapeText(methodName), '</methodName>\n<params>\n'];
  for (const param of params) {
    out.push('<param>\n');
    dump(param, out, options.allowNone === true, 0);
    out.push('</param>\n');
  }
  out.push('</params>\n</methodCall>\n');
  return out.join('');
}

// ---------------------------------------------------------------- decoding

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

class Reader {
  readonly text: string;
  pos = 0;
  readonly doubles: 'number' | 'pyfloat';
  readonly maxDepth: number;

  constructor(text: string, options: DecodeOptions) {
    this.text = text;
    this.doubles = options.doubles ?? 'number';
    this.maxDepth = options.maxDepth ?? 64;
  }

  fail(message: string): never {
    const before = this.text.slice(0, this.pos);
    const line = before.split('\n').length;
    const column = this.pos - (before.lastIndexOf('\n') + 1);
    throw new XmlRpcParseError(`${message}: line ${line}, column ${column}`);
  }

  /** Skips whitespace, comments and processing instructions between tags. */
  skip(): void {
    const text = this.text;
    for (;;) {
      let c = text.charCodeAt(this.pos);
      while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++this.pos);
      if (c !== 60) return;
      if (text.startsWith('<!--', this.pos)) {
        const end = text.indexOf('-->', this.pos + 4);
        if (end < 0) this.fail('unclosed comment');
        this.pos = end + 3;
      } else if (text.startsWith('<?', this.pos)) {
        const end = text.indexOf('?>', this.pos + 2);
        if (end < 0) this.fail('unclosed processing instruction');
        this.pos = end + 2;
      } else if (text.startsWith('<!', this.pos)) {
        this.fail('DOCTYPE and entity declarations are not accepted');
      } else {
        return;
      }
    }
  }

  /** Name of the tag openTag() just read, and whether it was self-closing (`<nil/>`). */
  tagName = '';
  tagEmpty = false;

  /** Reads `<name>` or `<name/>` into tagName / tagEmpty. */
  openTag(): void {
    this.skip();
    const text = this.text;
    const pos = this.pos;
    if (text.charCodeAt(pos) !== 60 || text.charCodeAt(pos + 1) === 47) this.fail('expected an opening tag');
    const end = text.indexOf('>', pos + 1);
    if (end < 0) this.fail('unclosed tag');
    let nameEnd = end;
    this.tagEmpty = false;
    if (text.charCodeAt(end - 1) === 47) {
      this.tagEmpty = true;
      nameEnd = end - 1;
    }
    // Trailing whitespace is legal (`<value >`); attributes are not part of XML-RPC.
    while (nameEnd > pos + 1 && isSpace(text.charCodeAt(nameEnd - 1))) nameEnd--;
    for (let i = pos + 1; i < nameEnd; i++) {
      if (!isNameChar(text.charCodeAt(i))) {
        this.pos = i;
        this.fail('not well-formed (invalid token)');
      }
    }
    if (nameEnd === pos + 1) this.fail('not well-formed (invalid token)');
    this.tagName = text.slice(pos + 1, nameEnd);
    this.pos = end + 1;
  }

  /** Reads the opening tag `name`; returns whether it was self-closing. */
  expectOpen(name: string): boolean {
    this.openTag();
    if (this.tagName !== name) this.fail(`expected <${name}>, found <${this.tagName}>`);
    return this.tagEmpty;
  }

  peekClose(name: string): boolean {
    this.skip();
    const text = this.text;
    return text.charCodeAt(this.pos) === 60 && text.charCodeAt(this.pos + 1) === 47 && text.startsWith(name, this.pos + 2);
  }

  expectClose(name: string): void {
    if (!this.peekClose(name)) this.fail(`expected </${name}>`);
    const text = this.text;
    let p = this.pos + 2 + name.length;
    while (text.charCodeAt(p) === 32 || text.charCodeAt(p) === 10 || text.charCodeAt(p) === 13 || text.charCodeAt(p) === 9) p++;
    if (text.charCodeAt(p) !== 62) this.fail('mismatched tag');
    this.pos = p + 1;
  }

  /** Character data up to `</name>` (entities and CDATA resolved); consumes the closing tag. */
  textUntilClose(name: string): string {
    const text = this.text;
    const close = `</${name}>`;
    let result = '';
    for (;;) {
      const lt = text.indexOf('<', this.pos);
      if (lt < 0) this.fail(`expected </${name}>`);
      result += decodeEntities(text.slice(this.pos, lt), this);
      if (text.startsWith(close, lt)) {
        this.pos = lt + close.length;
        return result;
      }
      if (text.startsWith('<![CDATA[', lt)) {
        const end = text.indexOf(']]>', lt + 9);
        if (end < 0) this.fail('unclosed CDATA section');
        result += text.slice(lt + 9, end);
        this.pos = end + 3;
        continue;
      }
      if (text.startsWith('<!--', lt)) {
        const end = text.indexOf('-->', lt + 4);
        if (end < 0) this.fail('unclosed comment');
        this.pos = end + 3;
        continue;
      }
      this.pos = lt;
      this.fail(`expected </${name}>`);
    }
  }

  value(depth: number): unknown {
    if (depth > this.maxDepth) this.fail(`nesting deeper than ${this.maxDepth} levels`);
    // The <value> tag was consumed. Untyped content is a string.
    const text = this.text;
    const start = this.pos;
    let p = start;
    let c = text.charCodeAt(p);
    while (c === 32 || c === 10 || c === 13 || c === 9) c = text.charCodeAt(++p);
    if (c !== 60 || text.startsWith('</value', p) || text.startsWith('<![CDATA[', p) || text.startsWith('<!--', p)) {
      this.pos = start;
      return this.textUntilClose('value');
    }
    this.openTag();
    const tag = { name: this.tagName, empty: this.tagEmpty };
    let result: unknown;
    switch (tag.name) {
      case 'string':
        result = tag.empty ? '' : this.textUntilClose('string');
        break;
      case 'int':
      case 'i4':
      case 'i8':
        result = tag.empty ? this.fail('empty integer') : parseInteger(this.textUntilClose(tag.name), this);
        break;
      case 'boolean': {
        const data = tag.empty ? '' : this.textUntilClose('boolean');
        if (data === '1') result = true;
        else if (data === '0') result = false;
        else this.fail(`bad boolean value '${data}'`);
        break;
      }
      case 'double': {
        const data = tag.empty ? '' : this.textUntilClose('double');
        const number = parseDouble(data, this);
        result = this.doubles === 'pyfloat' && Number.isInteger(number) ? new PyFloat(number) : number;
        break;
      }
      case 'nil':
        if (!tag.empty) this.expectClose('nil');
        result = null;
        break;
      case 'base64':
        result = Buffer.from(tag.empty ? '' : this.textUntilClose('base64'), 'base64');
        break;
      case 'dateTime.iso8601':
        result = parseDateTime(tag.empty ? '' : this.textUntilClose('dateTime.iso8601'), this);
        break;
      case 'array':
        result = tag.empty ? [] : this.array(depth);
        break;
      case 'struct':
        result = tag.empty ? {} : this.struct(depth);
        break;
      default:
        this.fail(`unknown XML-RPC type <${tag.name}>`);
    }
    this.expectClose('value');
    return result;
  }

  array(depth: number): unknown[] {
    const items: unknown[] = [];
    if (!this.expectOpen('data')) {
      while (!this.peekClose('data')) {
        if (this.expectOpen('value')) items.push('');
        else items.push(this.value(depth + 1));
      }
      this.expectClose('data');
    }
    this.expectClose('array');
    return items;
  }

  struct(depth: number): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    while (!this.peekClose('struct')) {
      this.expectOpen('member');
      const nameEmpty = this.expectOpen('name');
      const name = nameEmpty ? '' : this.textUntilClose('name');
      const value = this.expectOpen('value') ? '' : this.value(depth + 1);
      this.expectClose('member');
      if (name === '__proto__') Object.defineProperty(result, name, { value, enumerable: true, writable: true, configurable: true });
      else result[name] = value;
    }
    this.expectClose('struct');
    return result;
  }

  params(): unknown[] {
    const params: unknown[] = [];
    if (this.expectOpen('params')) return params;
    while (!this.peekClose('params')) {
      this.expectOpen('param');
      params.push(this.expectOpen('value') ? '' : this.value(0));
      this.expectClose('param');
    }
    this.expectClose('params');
    return params;
  }

  end(): void {
    this.skip();
    if (this.pos < this.text.length) this.fail('junk after document element');
  }
}

function decodeEntities(text: string, reader: Reader): string {
  if (!text.includes('&')) return text;
  return text.replace(/&([^;&]*);?/g, (match, name: string) => {
    if (!match.endsWith(';')) reader.fail('not well-formed (invalid token)');
    if (name.startsWith('#x') || name.startsWith('#X')) {
      const code = Number.parseInt(name.slice(2), 16);
      if (!/^[0-9a-fA-F]+$/.test(name.slice(2)) || !validCodePoint(code)) reader.fail('reference to invalid character number');
      return String.fromCodePoint(code);
    }
    if (name.startsWith('#')) {
      const code = Number.parseInt(name.slice(1), 10);
      if (!/^[0-9]+$/.test(name.slice(1)) || !validCodePoint(code)) reader.fail('reference to invalid character number');
      return String.fromCodePoint(code);
    }
    const replacement = ENTITIES[name];
    if (replacement === undefined) reader.fail(`undefined entity &${name};`);
    return replacement;
  });
}

function validCodePoint(code: number): boolean {
  return (
    code === 9 || code === 10 || code === 13 || (code >= 32 && code <= 0xd7ff) || (code >= 0xe000 && code <= 0xfffd) || (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** Python's int(): any size. Beyond 2^53 a BigInt, so the value is refused later instead of silently rounded. */
function parseInteger(data: string, reader: Reader): number | bigint {
  const text = data.trim();
  if (!/^[+-]?\d+$/.test(text)) reader.fail(`invalid literal for int() with base 10: '${data}'`);
  const value = Number.parseInt(text, 10);
  return Number.isSafeInteger(value) ? value : BigInt(text);
}

function parseDouble(data: string, reader: Reader): number {
  const text = data.trim();
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(text)) reader.fail(`could not convert string to float: '${data}'`);
  return Number.parseFloat(text);
}

const DATETIME = /^(\d{4})-?(\d{2})-?(\d{2})T(\d{2}):?(\d{2}):?(\d{2})(\.\d+)?(Z|[+-]\d{2}:?\d{2})?$/;

/** dateTime.iso8601 as a Date, as the `xmlrpc` package reads it (no zone = local time there; UTC here). */
function parseDateTime(data: string, reader: Reader): Date {
  const match = DATETIME.exec(data.trim());
  if (match === null) reader.fail(`bad dateTime.iso8601 value '${data}'`);
  const [, y, mo, d, h, mi, s, frac, zone] = match;
  const iso = `${y}-${mo}-${d}T${h}:${mi}:${s}${frac ?? ''}${zone === undefined ? 'Z' : zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  return new Date(iso);
}

function refuseDeclarations(text: string): void {
  // Comments (<!--) and CDATA (<![CDATA[) are fine; any other <! is a declaration.
  for (let at = text.indexOf('<!'); at >= 0; at = text.indexOf('<!', at + 2)) {
    if (text.startsWith('<!--', at) || text.startsWith('<![CDATA[', at)) continue;
    throw new XmlRpcParseError('DOCTYPE and entity declarations are not accepted (no entity expansion); send plain XML-RPC');
  }
}

function isSpace(c: number): boolean {
  return c === 32 || c === 10 || c === 13 || c === 9;
}

/** Letters, digits and `.`, `-`, `_`, `:` (enough for every XML-RPC tag). */
function isNameChar(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c === 46 || c === 45 || c === 95 || c === 58;
}

/** Parses a methodCall (the server side). */
export function decodeMethodCall(text: string, options: DecodeOptions = {}): MethodCall {
  refuseDeclarations(text);
  const reader = new Reader(text, options);
  if (reader.expectOpen('methodCall')) reader.fail('empty methodCall');
  if (reader.expectOpen('methodName')) reader.fail('empty methodName');
  const methodName = reader.textUntilClose('methodName').trim();
  let params: unknown[] = [];
  if (!reader.peekClose('methodCall')) params = reader.params();
  reader.expectClose('methodCall');
  reader.end();
  return { methodName, params };
}

/** Parses a methodResponse (the client side): a value or a fault. */
export function decodeMethodResponse(text: string, options: DecodeOptions = {}): MethodResponse {
  refuseDeclarations(text);
  const reader = new Reader(text, options);
  if (reader.expectOpen('methodResponse')) reader.fail('empty methodResponse');
  reader.skip();
  let response: MethodResponse;
  if (reader.text.startsWith('<fault', reader.pos)) {
    reader.expectOpen('fault');
    reader.expectOpen('value');
    const fault = reader.value(0) as Record<string, unknown>;
    if (fault === null || typeof fault !== 'object' || Array.isArray(fault)) reader.fail('fault is not a struct');
    reader.expectClose('fault');
    response = { kind: 'fault', faultCode: fault.faultCode, faultString: fault.faultString };
  } else {
    const params = reader.params();
    if (params.length !== 1) reader.fail(`a methodResponse carries one param, found ${params.length}`);
    response = { kind: 'value', value: params[0] };
  }
  reader.expectClose('methodResponse');
  reader.end();
  return response;
}
