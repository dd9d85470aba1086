import { AccessDenied, AccessError, MissingError, OdooError, PythonError, RedirectWarning, UserError } from '../orm/errors.ts';
import type { CallMeta, OdooServer } from '../service/server.ts';
import { decodeMethodCall, encodeFault, encodeMethodResponse, XmlRpcMarshalError, XmlRpcParseError } from '../../../harness/wire/xmlrpc.ts';

/**
 * A fault for any error, as Odoo's xmlrpc_handle_exception_int builds it, or
 * with `legacy` (the `/xmlrpc/<service>` routes) xmlrpc_handle_exception_string,
 * whose faultCode is a string.
 */
export function faultFor(error: unknown, legacy = false): string {
  if (legacy) return legacyFault(error);
  if (error instanceof OdooError) return encodeFault(error.faultCode, error.faultString());
  if (error instanceof XmlRpcMarshalError) return encodeFault(1, new PythonError(error.pythonType, error.message, '<python>/xmlrpc/client.py').faultString());
  if (error instanceof XmlRpcParseError)
    return encodeFault(1, new PythonError('xml.parsers.expat.ExpatError', error.message, '<python>/xmlrpc/client.py').faultString());
  // A bug in the emulator: still answer like Odoo does for unexpected exceptions.
  const message = error instanceof Error ? `internal emulator error: ${error.message}` : `internal emulator error: ${String(error)}`;
  return encodeFault(1, new PythonError('Exception', message, 'faultline/simulators/odoo').faultString());
}

function legacyFault(error: unknown): string {
  if (error instanceof AccessDenied) return encodeFault('AccessDenied', error.message);
  if (error instanceof RedirectWarning) return encodeFault(`warning -- Warning\n\n${error.faultString()}`, '');
  if (error instanceof MissingError) return encodeFault(`warning -- MissingError\n\n${error.message}`, '');
  if (error instanceof AccessError) return encodeFault(`warning -- AccessError\n\n${error.message}`, '');
  if (error instanceof UserError) return encodeFault(`warning -- UserError\n\n${error.message}`, '');
  const python =
    error instanceof PythonError
      ? error
      : error instanceof XmlRpcMarshalError
        ? new PythonError(error.pythonType, error.message, '<python>/xmlrpc/client.py')
        : error instanceof XmlRpcParseError
          ? new PythonError('xml.parsers.expat.ExpatError', error.message, '<python>/xmlrpc/client.py')
          : new PythonError('Exception', `internal emulator error: ${error instanceof Error ? error.message : String(error)}`, 'faultline/simulators/odoo');
  return encodeFault(python.message, python.faultString());
}

/**
 * POST /xmlrpc/2/<service>: decode, dispatch, encode. Faults are HTTP 200.
 * A result that cannot be marshalled (None) faults after the call committed,
 * exactly like Odoo.
 */
export function handleXmlRpc(server: OdooServer, service: string, body: string, meta: CallMeta): string {
  let result: unknown;
  try {
    const call = decodeMethodCall(body);
    result = server.dispatch(service, call.methodName, call.params, meta);
  } catch (error) {
    return faultFor(error);
  }
  try {
    return encodeMethodResponse(result);
  } catch (error) {
    return faultFor(error);
  }
}
