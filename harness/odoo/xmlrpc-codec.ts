/**
 * XML-RPC encoding for the Odoo client. Two codecs give the same values:
 * - `package`: the `xmlrpc` npm package's serializer and deserializer, an
 *   implementation independent of the emulator (its HTTP client is not used:
 *   requests go through the system's `fetch`, so sim mode can route them);
 * - `fast`: the hand-written codec of the wire module the emulator shares
 *   (`harness/wire/xmlrpc.ts`; about 10x faster, its tests prove it decodes
 *   like the package), the default.
 */
import { createRequire } from 'node:module';
import { PassThrough } from 'node:stream';
import { decodeMethodResponse, encodeMethodCall } from '../wire/xmlrpc.ts';

export type XmlRpcCodecName = 'fast' | 'package';

export interface XmlRpcCodec {
  encodeCall(method: string, params: readonly unknown[]): string;
  /** Rejects (or throws) when the text is not XML-RPC at all. */
  decodeResponse(text: string): Promise<XmlRpcResponse> | XmlRpcResponse;
}

interface XmlRpcSerializer {
  serializeMethodCall(method: string, params: unknown[], encoding?: string): string;
}

interface XmlRpcDeserializerInstance {
  deserializeMethodResponse(stream: NodeJS.ReadableStream, callback: (error: XmlRpcFaultLike | Error | null | undefined, value?: unknown) => void): void;
}

type XmlRpcDeserializerClass = new (encoding?: string) => XmlRpcDeserializerInstance;

interface XmlRpcFaultLike extends Error {
  faultCode?: number | string;
  faultString?: string;
}

const require = createRequire(import.meta.url);
const serializer = require('xmlrpc/lib/serializer.js') as XmlRpcSerializer;
const Deserializer = require('xmlrpc/lib/deserializer.js') as XmlRpcDeserializerClass;

export type XmlRpcResponse = { kind: 'value'; value: unknown } | { kind: 'fault'; faultCode: number | string; faultString: string };

export const XMLRPC_CODECS: Readonly<Record<XmlRpcCodecName, XmlRpcCodec>> = {
  package: { encodeCall: encodeXmlRpcCall, decodeResponse: decodeXmlRpcResponse },
  fast: {
    encodeCall: (method, params) => encodeMethodCall(method, params.map(withoutUndefined), { allowNone: true }),
    decodeResponse: (text) => {
      const decoded = decodeMethodResponse(text);
      if (decoded.kind === 'value') return decoded;
      const code = decoded.faultCode;
      return {
        kind: 'fault',
        faultCode: typeof code === 'number' || typeof code === 'string' ? code : String(code),
        faultString: String(decoded.faultString ?? ''),
      };
    },
  },
};

export function encodeXmlRpcCall(method: string, params: readonly unknown[]): string {
  return serializer.serializeMethodCall(method, params.map(withoutUndefined));
}

/** Parses a methodResponse. Rejects when the text is not XML-RPC at all. */
export function decodeXmlRpcResponse(text: string): Promise<XmlRpcResponse> {
  return new Promise((resolve, reject) => {
    const stream = new PassThrough();
    new Deserializer('utf8').deserializeMethodResponse(stream, (error, value) => {
      if (error) {
        const fault = error as XmlRpcFaultLike;
        if (fault.faultCode !== undefined) {
          resolve({ kind: 'fault', faultCode: fault.faultCode, faultString: fault.faultString ?? '' });
        } else {
          reject(error);
        }
        return;
      }
      resolve({ kind: 'value', value });
    });
    stream.end(text);
  });
}

/**
 * The package writes an empty `<value/>` for `undefined`, which Odoo reads as
 * an empty string; dropping undefined members matches what JSON-RPC sends.
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map((v) => (v === undefined ? null : withoutUndefined(v)));
  if (value !== null && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = withoutUndefined(v);
    return out;
  }
  return value;
}
