/**
 * A CRM: sales reps edit the accounts of the customers the business already
 * has (address, VAT number, payment terms, credit limit, name), enter
 * duplicates and later merge or delete them, all on the CRM's own clock. Each
 * change is published as a webhook that may come late, twice, out of order or
 * not at all, and the current state is served by a paginated, rate-limited
 * REST API. Every webhook carries the account's whole state and its version,
 * so a careful receiver can keep the last write and drop a stale one.
 */
import type { CrmAccountRecord, CrmEventType, CrmWebhook } from '../../harness/contracts/crm.ts';
import { RETRY_AFTER_HEADER } from '../../harness/contracts/headers.ts';
import { LEDGER_PATH, type System, type SystemContext } from '../../harness/core/system.ts';
import { sampleDelay } from '../shared/behaviour.ts';
import { customerBook } from '../shared/customer-book.ts';
import { json, problem } from '../../harness/core/json-response.ts';
import { BadInput } from '../shared/http.ts';
import { createInbound } from '../shared/inbound.ts';
import { createRouter } from '../shared/router.ts';
import { type Customer, createSeededFaker, sequentialId } from '../shared/seeded-data.ts';
import { requireUrl } from '../shared/urls.ts';
import { type DeliveryRecord, webhookSenderFor } from '../shared/webhook-sender.ts';
import { type CrmKnobs, PAYMENT_TERMS, REP_ACTIONS, type RepAction, readCrmKnobs } from './knobs.ts';

/** What the CRM holds about a customer and a middleware copies into Odoo: the book's customer and its terms. */
export interface AccountData extends Customer {
  vat: string;
  paymentTerms: string;
  creditLimit: number;
}

export interface AccountVersion {
  version: number;
  at: string;
  type: CrmEventType;
  account: CrmAccountRecord;
}

export interface CrmDelivery {
  eventId: string;
  type: CrmEventType;
  accountId: string;
  version: number;
  attempt: number;
  at: string;
  outcome: DeliveryRecord['outcome'];
  status: number | null;
  copy: number;
}

export interface CrmLedger {
  /** Every account's final state and each version it went through. */
  accounts: (CrmAccountRecord & { versions: AccountVersion[] })[];
  deliveries: CrmDelivery[];
  /** API calls answered 429. */
  rateLimited: number;
}

export interface CrmSimulator extends System {
  readonly knobs: CrmKnobs;
  /** Opens the book's accounts and sets the reps to work. */
  start(): void;
  stop(): void;
  ledger(): CrmLedger;
  /** True once every rep action has happened (webhooks may still be on their way). */
  finished(): boolean;
  pendingWebhooks(): number;
}

interface Live {
  account: CrmAccountRecord;
  versions: AccountVersion[];
  /** The CRM-wide sequence of the last change, for `GET /accounts?since=`. */
  changeSeq: number;
}

export function createCrmSimulator(context: SystemContext): CrmSimulator {
  const knobs = readCrmKnobs(context.config);
  const { clock, history } = context;
  const webhookUrl = `${requireUrl(context, 'middleware')}/webhooks/crm`;
  const faker = createSeededFaker(context.rng.fork('faker'));
  const repRng = context.rng.fork('reps');
  const accounts = new Map<string, Live>();
  const deliveries: (Omit<CrmDelivery, 'at'> & { at: number })[] = [];
  /** Duplicates entered and not yet merged or deleted. */
  const unresolved = new Set<string>();
  let accountCount = 0;
  let eventCount = 0;
  let changeSeq = 0;
  let actionsDone = 0;
  let pendingResolutions = 0;
  let rateLimited = 0;
  let windowStart = 0;
  let windowCalls = 0;
  let stopped = false;

  const inbound = createInbound({ systemName: 'CRM', clock, rng: context.rng.fork('api'), api: knobs.api, requireSignatureWith: null });
  const sender = webhookSenderFor<{ type: CrmEventType; accountId: string; version: number }>(context, webhookUrl, knobs, (message, record) => {
    deliveries.push({
      eventId: record.eventId,
      ...message.meta,
      attempt: record.attempt,
      at: record.at,
      outcome: record.outcome,
      status: record.status,
      copy: record.copy,
    });
  });

  // The incarnation owns every timer set here and cancels them when the CRM stops or dies.
  const later = (delayMs: number, run: () => void): void => {
    clock.setTimer(delayMs, () => {
      if (!stopped) run();
    });
  };

  const iso = (): string => new Date(clock.now()).toISOString();
  const vatNumber = (): string => `${knobs.countryCode}${faker.string.numeric(9)}`;

  /** A change happens now: versions, history, then the webhook whenever the sender manages. */
  const publish = (live: Live, type: CrmEventType): void => {
    const account = live.account;
    account.updatedAt = iso();
    live.changeSeq = ++changeSeq;
    const snapshot = { ...account };
    live.versions.push({ version: account.version, at: account.updatedAt, type, account: snapshot });
    history.append({ kind: 'event', system: context.name, name: type, corr: account.accountId, data: { version: account.version, status: account.status } });
    const webhook: CrmWebhook = {
      id: sequentialId('evt_crm_', ++eventCount),
      type,
      accountId: account.accountId,
      version: account.version,
      occurredAt: account.updatedAt,
      account: snapshot,
    };
    sender.send({
      eventId: webhook.id,
      corr: account.accountId,
      body: JSON.stringify(webhook),
      meta: { type, accountId: account.accountId, version: account.version },
    });
  };

  const open = (data: AccountData, duplicateOf: string | null): Live => {
    const accountId = sequentialId('acc_', ++accountCount);
    const live: Live = {
      account: { accountId, version: 1, status: 'active', mergedInto: null, duplicateOf, updatedAt: iso(), ...data },
      versions: [],
      changeSeq: 0,
    };
    accounts.set(accountId, live);
    publish(live, 'account.created');
    return live;
  };

  const change = (live: Live, edit: (a: CrmAccountRecord) => void, type: CrmEventType = 'account.updated'): void => {
    edit(live.account);
    live.account.version++;
    publish(live, type);
  };

  const activeAccounts = (): Live[] => [...accounts.values()].filter((l) => l.account.status === 'active');

  const pickAction = (): RepAction => {
    const total = REP_ACTIONS.reduce((sum, a) => sum + knobs.edits.mix[a], 0);
    let roll = repRng.next() * total;
    for (const action of REP_ACTIONS) {
      roll -= knobs.edits.mix[action];
      if (roll < 0) return action;
    }
    return 'address';
  };

  const resolveDuplicate = (duplicate: Live, original: Live): void => {
    pendingResolutions--;
    unresolved.delete(duplicate.account.accountId);
    if (duplicate.account.status !== 'active') return;
    if (repRng.chance(knobs.duplicates.mergeProbability) && original.account.status === 'active') {
      const [survivor, merged] = repRng.chance(knobs.duplicates.keepNewerProbability) ? [duplicate, original] : [original, duplicate];
      // The survivor keeps the higher credit limit a rep agreed on either record.
      if (merged.account.creditLimit > survivor.account.creditLimit) change(survivor, (a) => (a.creditLimit = merged.account.creditLimit));
      change(
        merged,
        (a) => {
          a.status = 'merged';
          a.mergedInto = survivor.account.accountId;
        },
        'account.merged',
      );
    } else {
      change(duplicate, (a) => (a.status = 'deleted'), 'account.deleted');
    }
  };

  const act = (): void => {
    // A duplicate waiting for its merge is left alone: reps edit the customers they know.
    const editable = activeAccounts().filter((l) => !unresolved.has(l.account.accountId));
    if (editable.length > 0) {
      const live = repRng.pick(editable);
      const action = pickAction();
      switch (action) {
        case 'address':
          change(live, (a) => {
            a.street = `${faker.number.int({ min: 1, max: 9999 })} ${faker.location.street()}`;
            a.city = faker.location.city();
            a.zip = faker.location.zipCode('#####');
          });
          break;
        case 'vat':
          change(live, (a) => (a.vat = vatNumber()));
          break;
        case 'paymentTerms':
          change(live, (a) => (a.paymentTerms = repRng.pick(PAYMENT_TERMS.filter((t) => t !== a.paymentTerms))));
          break;
        case 'creditLimit':
          change(live, (a) => (a.creditLimit = repRng.int(1, 50) * 1_000));
          break;
        case 'name':
          change(live, (a) => (a.name = `${a.name.split(' (')[0]} (${faker.company.buzzNoun()})`));
          break;
        case 'duplicate': {
          // A second rep enters the same customer again under another mailbox of theirs.
          const [local, domain] = live.account.email.split('@');
          const { accountId: _id, version: _v, status: _s, mergedInto: _m, duplicateOf: _d, updatedAt: _u, ...data } = live.account;
          const duplicate = open({ ...data, email: `${local}+${accountCount + 1}@${domain}`, creditLimit: repRng.int(1, 50) * 1_000 }, live.account.accountId);
          pendingResolutions++;
          unresolved.add(duplicate.account.accountId);
          later(Math.round(sampleDelay(repRng, knobs.duplicates.resolveAfter) * knobs.timeScale), () => resolveDuplicate(duplicate, live));
          break;
        }
      }
    }
    actionsDone++;
    scheduleNextAction();
  };

  const scheduleNextAction = (): void => {
    if (actionsDone >= knobs.edits.count) return;
    later(Math.round(sampleDelay(repRng, knobs.edits.every) * knobs.timeScale), act);
  };

  /** A fixed window per `windowMs` on the CRM's clock; the answer says when the next one opens. */
  const throttled = (): Response | undefined => {
    const now = clock.now();
    if (now - windowStart >= knobs.rateLimit.windowMs) {
      windowStart = now - ((now - windowStart) % knobs.rateLimit.windowMs);
      windowCalls = 0;
    }
    if (++windowCalls <= knobs.rateLimit.requests) return undefined;
    rateLimited++;
    const waitMs = windowStart + knobs.rateLimit.windowMs - now;
    const response = problem(429, `rate limit of ${knobs.rateLimit.requests} requests per ${knobs.rateLimit.windowMs} ms reached; retry after ${waitMs} ms`);
    response.headers.set(RETRY_AFTER_HEADER, String(Math.max(1, Math.ceil(waitMs / 1000))));
    return response;
  };

  const guarded =
    (work: (url: URL, params: Readonly<Record<string, string>>) => Response) => (_request: Request, params: Readonly<Record<string, string>>, url: URL) => {
      const limited = throttled();
      if (limited !== undefined) return limited;
      const failure = inbound.simulatedError();
      if (failure !== undefined) return inbound.answer(failure);
      return inbound.answer(work(url, params));
    };

  const listAccounts = (url: URL): Response => {
    const since = wholeNumber(url, 'since', 0);
    const limit = wholeNumber(url, 'limit', knobs.pageSize.default);
    if (limit < 1 || limit > knobs.pageSize.max) throw new BadInput(400, `limit must be from 1 to ${knobs.pageSize.max}; got ${limit}`);
    const cursor = url.searchParams.get('cursor');
    const matching = [...accounts.values()].filter((l) => l.changeSeq > since && (cursor === null || l.account.accountId > cursor));
    const page = matching.slice(0, limit);
    const more = matching.length > limit;
    return json(200, { accounts: page.map((l) => l.account), nextCursor: more ? page.at(-1)!.account.accountId : null, changeSeq });
  };

  const router = createRouter('CRM')
    .on('GET', LEDGER_PATH, () => json(200, snapshot()))
    .on(
      'GET',
      '/accounts',
      guarded((url) => listAccounts(url)),
    )
    .on(
      'GET',
      '/accounts/:accountId',
      guarded((_url, params) => {
        const live = accounts.get(params.accountId!);
        if (live === undefined) throw new BadInput(404, `no account ${params.accountId}; list them with GET /accounts`);
        return json(200, live.account);
      }),
    );

  const snapshot = (): CrmLedger => ({
    accounts: [...accounts.values()].map((l) => ({ ...l.account, versions: l.versions.map((v) => ({ ...v, account: { ...v.account } })) })),
    deliveries: deliveries.map((d) => ({ ...d, at: new Date(d.at).toISOString() })),
    rateLimited,
  });

  return {
    knobs,
    handle: (request) => router.handle(request),
    start() {
      windowStart = clock.now();
      for (const customer of customerBook({ ...knobs.customers, countryCode: knobs.countryCode })) {
        open({ ...customer, vat: vatNumber(), paymentTerms: repRng.pick(PAYMENT_TERMS), creditLimit: repRng.int(1, 50) * 1_000 }, null);
      }
      scheduleNextAction();
    },
    stop() {
      stopped = true;
      sender.stop();
    },
    ledger: snapshot,
    finished: () => actionsDone >= knobs.edits.count && pendingResolutions === 0,
    pendingWebhooks: () => sender.pending,
  };
}

function wholeNumber(url: URL, name: string, fallback: number): number {
  const raw = url.searchParams.get(name);
  if (raw === null) return fallback;
  if (!/^\d{1,15}$/.test(raw)) throw new BadInput(400, `${name} must be a whole number; got ${JSON.stringify(raw)}`);
  return Number(raw);
}
