import { XmlRpcParseError } from '../../../harness/wire/xmlrpc.ts';

/**
 * The characters of an XML-RPC body, decoded as Odoo's parser (Python's
 * expat) decodes them: by the byte-order mark or the XML declaration's
 * `encoding` (UTF-8 when absent; the HTTP charset plays no part). Bytes that
 * are not valid in that encoding are refused with expat's error, where
 * decoding with replacement would store U+FFFD in the database.
 */
export function decodeXmlBody(bytes: Uint8Array): string {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return utf8(bytes.subarray(3));
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  const encoding = declaredEncoding(bytes)?.toLowerCase().replace(/_/g, '-');
  if (encoding === undefined || encoding === 'utf-8' || encoding === 'utf8') return utf8(bytes);
  // WHATWG's TextDecoder reads these labels as windows-1252; Python reads them as Latin-1 (every byte its code point).
  if (encoding === 'iso-8859-1' || encoding === 'latin-1' || encoding === 'latin1' || encoding === 'l1' || encoding === 'iso8859-1') return latin1(bytes);
  if (encoding === 'us-ascii' || encoding === 'ascii') {
    const bad = bytes.findIndex((byte) => byte > 0x7f);
    if (bad >= 0) throw invalidToken(bytes, bad);
    return latin1(bytes);
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new XmlRpcParseError(`unknown encoding: line 1, column ${declarationColumn(bytes)}`);
  }
  try {
    return decoder.decode(bytes);
  } catch {
    throw new XmlRpcParseError(`not well-formed (invalid token): line 1, column 0`);
  }
}

const DECLARATION = /^<\?xml[^>]*?\sencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

function declaredEncoding(bytes: Uint8Array): string | undefined {
  return DECLARATION.exec(latin1(bytes.subarray(0, 200)))?.[1];
}

function declarationColumn(bytes: Uint8Array): number {
  return latin1(bytes.subarray(0, 200)).search(/encoding/);
}

function utf8(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    throw invalidToken(bytes, firstInvalidUtf8(bytes));
  }
}

function latin1(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 8192) text += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return text;
}

/** expat's message, with the line and the column (in characters) of the offending byte. */
function invalidToken(bytes: Uint8Array, at: number): XmlRpcParseError {
  const before = new TextDecoder('utf-8').decode(bytes.subarray(0, at));
  const line = before.split('\n').length;
  const column = Array.from(before.slice(before.lastIndexOf('\n') + 1)).length;
  return new XmlRpcParseError(`not well-formed (invalid token): line ${line}, column ${column}`);
}

/** The offset of the first byte that does not continue a valid UTF-8 sequence. */
function firstInvalidUtf8(bytes: Uint8Array): number {
  for (let i = 0; i < bytes.length; ) {
    const b = bytes[i]!;
    const length = b < 0x80 ? 1 : b >= 0xc2 && b <= 0xdf ? 2 : b >= 0xe0 && b <= 0xef ? 3 : b >= 0xf0 && b <= 0xf4 ? 4 : 0;
    if (length === 0 || i + length > bytes.length) return i;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(i, i + length));
    } catch {
      return i;
    }
    i += length;
  }
  return bytes.length;
}
