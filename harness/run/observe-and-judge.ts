import type { HistoryEvents } from '../core/history.ts';
import { LEDGER_PATH } from '../core/system.ts';
import type { System } from '../core/system.ts';
import { readBookedSales, readBookedSnapshot } from '../invariants/booked-snapshot.ts';
import { checkInvariants, readOdooSnapshot, resolveInvariants } from '../invariants/index.ts';
import type { InvariantInput } from '../invariants/index.ts';
import type { OdooReader } from '../invariants/odoo-snapshot.ts';
import { readPartnerSnapshot } from '../invariants/partner-snapshot.ts';
import type { Scenario } from '../scenario/scenario.ts';
import type { InvariantVerdict, RunResult } from './result.ts';

/** The systems whose ledgers a run reads over HTTP at the end. */
export type LedgerSystem = 'capture' | 'payment' | 'logistics' | 'crm';

/**
 * What the end of a run needs from a world, in either mode: sim and live
 * differ only in how a ledger is fetched and how an awaited promise makes
 * progress (virtual time must be driven).
 */
export interface EndOfRunView {
  /** Reads a simulator's ledger over its HTTP API; undefined when it cannot be read or the system is not in the run. */
  ledger<T>(name: LedgerSystem): Promise<T | undefined>;
  /** The analytics sink itself, when it takes part. */
  analytics: System | undefined;
  /** The admin's reader of Odoo's final state. */
  odoo: OdooReader;
  /** Whether the CRM takes part: only then is who each posted invoice bills read. */
  hasCrm: boolean;
}

export type Observed = Pick<InvariantInput, 'ledgers' | 'odoo'>;

/**
 * A sink's ledger read from the system itself, not over the network: a run
 * may end while a scenario's outage still keeps the sink's clients out, and
 * the judge reads what it holds then.
 */
async function readOwnLedger<T>(system: System): Promise<T | undefined> {
  const response = await system.handle(new Request(`http://ledger${LEDGER_PATH}`));
  return response.ok ? ((await response.json()) as T) : undefined;
}

/** Every ledger and Odoo's final state, as the invariants judge them. */
export async function observeWorld(view: EndOfRunView): Promise<Observed> {
  const hasAnalytics = view.analytics !== undefined;
  const reading = view.ledger<InvariantInput['ledgers']['capture']>('capture');
  // Without a CRM only the storefront's customers' partners are read: that one read waits for its ledger, the others do not.
  const readPartners = async () => {
    const capture = view.hasCrm ? undefined : await reading;
    const emails = capture === undefined ? undefined : customerEmails(capture);
    return readPartnerSnapshot(view.odoo, { postedInvoices: view.hasCrm, ...(emails !== undefined && { emails }) });
  };
  const [capture, payment, logistics, crm, analytics, odooCore, partners, booked, bookedSales] = await Promise.all([
    reading,
    view.ledger<InvariantInput['ledgers']['payment']>('payment'),
    view.ledger<InvariantInput['ledgers']['logistics']>('logistics'),
    view.hasCrm ? view.ledger<InvariantInput['ledgers']['crm']>('crm') : undefined,
    view.analytics === undefined ? undefined : readOwnLedger<InvariantInput['ledgers']['analytics']>(view.analytics),
    readOdooSnapshot(view.odoo).catch(() => undefined),
    readPartners().catch(() => undefined),
    hasAnalytics ? readBookedSnapshot(view.odoo).catch(() => undefined) : undefined,
    hasAnalytics ? readBookedSales(view.odoo).catch(() => undefined) : undefined,
  ]);
  const odoo =
    odooCore === undefined
      ? undefined
      : {
          ...odooCore,
          ...(partners !== undefined && { partners }),
          ...(booked !== undefined && { booked }),
          ...(bookedSales !== undefined && { bookedSales }),
        };
  return {
    ledgers: {
      ...(capture !== undefined && { capture }),
      ...(payment !== undefined && { payment }),
      ...(logistics !== undefined && { logistics }),
      ...(crm !== undefined && { crm }),
      ...(analytics !== undefined && { analytics }),
    },
    ...(odoo !== undefined && { odoo }),
  };
}

/** Every email the storefront's orders carried, as sent: the partners a middleware made from them carry the same. */
function customerEmails(capture: NonNullable<InvariantInput['ledgers']['capture']>): string[] {
  const emails = capture.orders.map((o) => o.customer?.['email']).filter((e): e is string => typeof e === 'string');
  return [...new Set(emails)].sort();
}

/**
 * Judges a run. The options are stored with the observations so that
 * `recheck` judges a stored run by the bounds it was judged by.
 */
export function judgeRun(
  scenario: Scenario,
  history: HistoryEvents,
  observed: Observed,
  options: InvariantInput['options'],
): { observations: RunResult['observations']; verdicts: InvariantVerdict[] } {
  const observations: RunResult['observations'] = { options, ...observed };
  const verdicts = checkInvariants(resolveInvariants(scenario.invariants), {
    history,
    ledgers: observed.ledgers,
    ...(observed.odoo !== undefined && { odoo: observed.odoo }),
    options,
  });
  return { observations, verdicts };
}
