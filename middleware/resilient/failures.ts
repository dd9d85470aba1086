/**
 * Which failures mean "the other side could not be reached or was too busy"
 * (a timeout, a refused connection, a 5xx, a serialization failure) and which
 * mean "it answered no" (a UserError, an AccessError, a 4xx). The first kind
 * heals when the other side comes back, so a dead-lettered job is worth
 * reviving for as long as it takes; the second does not, so its revivals are
 * bounded and it is left for a person.
 */
import { NetworkError } from '../../harness/core/system.ts';
import { OdooError } from '../../harness/odoo/client.ts';
import { UpstreamError } from '../shared/upstreams.ts';

export function isOutOfReach(error: unknown): boolean {
  if (error instanceof NetworkError) return true;
  if (error instanceof OdooError) return error.kind === 'protocol' || error.isConcurrencyFailure;
  if (error instanceof UpstreamError) return error.status >= 500 || error.status === 429;
  return false;
}
