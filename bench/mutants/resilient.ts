import type { Mutant } from './mutant.ts';

/**
 * The resilient middleware with one defence taken out at a time (see the list
 * at the top of middleware/resilient/index.ts). Each edit names the exact text
 * it replaces: when the middleware changes under it, `materialize` refuses
 * loudly instead of benchmarking an unchanged copy.
 */
export const RESILIENT_MUTANTS: readonly Mutant[] = [
  {
    id: 'no-order-marker',
    middleware: 'resilient',
    defence: 'idempotency in Odoo: the unique marker tag that makes a second create of the same order fail',
    edits: [{ file: 'resilient/create-once.ts', find: '    tag_ids: [[0, 0, { name: orderMarker(order.ref) }]],\n', replace: '' }],
  },
  {
    id: 'no-lookup-before-create',
    middleware: 'resilient',
    defence: 'look-before-act: look for the marked order before creating it again after a lost answer',
    edits: [
      {
        file: 'resilient/create-once.ts',
        find: '  if (createMayBeSent) {\n    const existing = await findMarkedOrder(client, order.ref);',
        replace: '  if (createMayBeSent && false) {\n    const existing = await findMarkedOrder(client, order.ref);',
      },
    ],
    equivalent:
      'The marker tag is unique in Odoo and travels in the create itself, so a second create of an order that exists is refused whole ' +
      '("Tag name already exists!") and leaves no record; the catch then looks the order up and confirms it, reaching the same state ' +
      'the removed look-up reached. The only trace is one refused create call, which no invariant judges (it is neither a write that ' +
      'happened nor a retry without bound: the job goes on at once).',
  },
  {
    id: 'no-order-inbox',
    middleware: 'resilient',
    defence: 'inbox de-duplication of order submissions by order ref',
    edits: [{ file: 'resilient/index.ts', find: '      if (store.view(order.ref).order !== undefined) return false;\n', replace: '' }],
    equivalent:
      'The inbox answers a repeated submission of an accepted order with 409; without it the repeat gets 202, and the capture platform ' +
      "takes both as acknowledged (simulators/capture/submit.ts). The view's order is rewritten with the same payload (a retry repeats " +
      "the body) and the order's job is queued again, but every step of the job first looks at what was already done (the sale order " +
      'id in the view, the marked order in Odoo, the shipment, invoice and payment intents logged before each call), so the repeated job ' +
      'makes no call with an effect. What remains is a second order.accepted event and a later acceptedAt, which nothing reads and no ' +
      'invariant judges. The inbox is defence in depth behind the idempotent job.',
  },
  {
    id: 'no-payment-inbox',
    middleware: 'resilient',
    defence: 'inbox de-duplication of payment webhooks by event id',
    edits: [{ file: 'resilient/index.ts', find: "      if (!store.firstSighting(`payment:${payment.id}`, now)) return 'duplicate';\n", replace: '' }],
    equivalent:
      'Without the inbox a repeated payment webhook reaches applyPayment again, whose state guard (a payment only moves failed → ' +
      'captured → refunded) leaves the view as it was; if the order is ready to invoice its job is queued again, and the job registers ' +
      'only payments not yet in paymentsRecorded and looks at the invoice before registering one whose answer may have been lost. ' +
      "No call with an effect follows from the repeat, so no system's state differs: the payment guard and the idempotent job subsume it.",
  },
  {
    id: 'no-late-status-guard',
    middleware: 'resilient',
    defence: 'ordering: a shipment event with a smaller 3PL seq than the last one is late and ignored',
    edits: [
      {
        file: 'resilient/order-view.ts',
        find: '  if (next.seq > 0 && current.seq > 0) return next.seq > current.seq;',
        replace: '  if (next.seq > 0 && current.seq > 0) return next.seq !== current.seq;',
      },
    ],
  },
  {
    id: 'no-delivery-guard',
    middleware: 'resilient',
    defence: 'state guard: deliveries are validated in Odoo only once the 3PL says the parcel arrived',
    edits: [
      {
        file: 'resilient/sync-order.ts',
        find: '    view.delivered !== true &&\n    deliveredByThreePL(\n      view,\n      await deps.products.resolve(\n        client,\n        view.order.lines.map((l) => l.sku),\n      ),\n    )\n  ) {',
        replace: '    view.delivered !== true &&\n    view.shipmentId !== undefined\n  ) {',
      },
    ],
  },
  {
    id: 'no-invoice-after-delivery-guard',
    middleware: 'resilient',
    defence: 'state guard: invoice only after delivery',
    edits: [
      {
        file: 'resilient/order-view.ts',
        find: '  if (view.needsShipment === true && view.delivered !== true) return false;\n  return capturedPayments',
        replace: '  return capturedPayments',
      },
    ],
  },
  {
    id: 'no-shipment-lookup',
    middleware: 'resilient',
    defence: "look-before-act at the 3PL: list the order's shipments before booking again after a lost answer",
    edits: [
      {
        file: 'resilient/sync-order.ts',
        find: "      const existing = await listShipments(upstream, ref);\n      shipmentId = existing.find((s) => s.status !== 'cancelled')?.shipmentId;",
        replace: '      shipmentId = undefined;',
      },
    ],
    equivalent:
      'The 3PL honours idempotency-key on POST /shipments (simulators/CONTRACTS.md) and keeps every key for the whole run, and the ' +
      'middleware books with the one key shipment-<ref> and the same body each time, so a booking repeated after a lost answer is ' +
      'answered with the first shipment and books nothing. The look-up saves one call and guards against a 3PL that forgets keys ' +
      '(real ones keep them for a day, longer than any run here); no-shipment-dedup, which removes both, shows the two together matter.',
  },
  {
    id: 'no-shipment-dedup',
    middleware: 'resilient',
    defence: 'book a parcel once: the idempotency key on the booking and the look-up before booking again after a lost answer, together',
    edits: [
      {
        file: 'resilient/sync-order.ts',
        find: "      const existing = await listShipments(upstream, ref);\n      shipmentId = existing.find((s) => s.status !== 'cancelled')?.shipmentId;",
        replace: '      shipmentId = undefined;',
      },
      {
        file: 'resilient/sync-order.ts',
        find: '      idempotencyKey: `shipment-${ref}`,\n',
        replace: '',
      },
    ],
  },
  {
    id: 'no-invoice-lookup',
    middleware: 'resilient',
    defence: "look-before-act in Odoo: read the order's invoices before invoicing again after a lost create_invoices answer",
    edits: [
      {
        file: 'resilient/sync-order.ts',
        find: 'if (view.invoiceRequested === true && !logged.invoice) invoiceIds = (await readSaleOrder(client, saleOrderId))?.invoice_ids ?? [];',
        replace: 'if (view.invoiceRequested === true && !logged.invoice) invoiceIds = [];',
      },
    ],
  },
  {
    id: 'no-payment-lookup',
    middleware: 'resilient',
    defence: 'look-before-act in Odoo: see whether the invoice is paid before registering a payment again after a lost answer',
    edits: [
      {
        file: 'resilient/sync-order.ts',
        find: '    if (mayBeRegistered && (await invoiceIsPaid(client, invoiceId))) {\n      recordPayment(deps, ref, paymentId, payment.amount, invoiceId, update, true);\n      continue;\n    }\n',
        replace: '',
      },
      {
        file: 'resilient/sync-order.ts',
        find: '      if (mayBeRegistered && (await invoiceIsPaid(client, invoiceId))) {\n        recordPayment(deps, ref, paymentId, payment.amount, invoiceId, update, true);\n        continue;\n      }\n',
        replace: '',
      },
    ],
  },
  {
    id: 'no-retries',
    middleware: 'resilient',
    defence: 'retries: a failed job is tried again (20 attempts) before the dead-letter queue',
    edits: [
      { file: 'resilient/index.ts', find: "maxAttempts: positive(config, 'maxAttempts', 20),", replace: "maxAttempts: positive(config, 'maxAttempts', 1)," },
    ],
  },
  {
    id: 'no-backoff',
    middleware: 'resilient',
    defence: 'back-off: retries wait exponentially longer (with jitter) instead of coming straight back',
    edits: [
      {
        file: 'resilient/backoff.ts',
        find: '  return Math.round(ceiling / 2 + rng.next() * (ceiling / 2));',
        replace: '  return Math.round(0 * ceiling * rng.next());',
      },
    ],
  },
  {
    id: 'no-payment-reconciliation',
    middleware: 'resilient',
    defence: 'reconciliation of payments: ask the gateway about orders whose capture never arrived',
    edits: [
      {
        file: 'resilient/reconcile.ts',
        find: 'const payments = settings.urls.payment !== undefined && !paymentKnown(known) ?',
        replace: 'const payments = settings.urls.payment !== undefined && !paymentKnown(known) && false ?',
      },
    ],
  },
  {
    id: 'no-payment-audit',
    middleware: 'resilient',
    defence: 'payment audit: cancel the second payment a registration that landed after its own retry posted',
    edits: [
      {
        file: 'resilient/reconcile.ts',
        find: 'const payments = await auditPayments(deps, known).catch(() => undefined);',
        replace: "const payments: PaymentAudit = 'clean';",
      },
    ],
  },
  {
    id: 'no-partner-audit',
    middleware: 'resilient',
    defence: 'partner audit: archive the second customer a partner create that landed after its own retry made',
    edits: [
      {
        file: 'resilient/reconcile.ts',
        find: 'const partners = await auditPartners(deps, known).catch(() => undefined);',
        replace: "const partners: PartnerAudit = 'clean';",
      },
    ],
  },
  {
    id: 'case-sensitive-customer',
    middleware: 'resilient',
    defence: 'a customer is her email in any case: a returning customer who types it in capitals finds her partner',
    edits: [
      { file: 'shared/odoo-sales.ts', find: "  return ['email', '=ilike', likeLiteral(email)];", replace: "  return ['email', '=', email] as never;" },
      { file: 'shared/odoo-sales.ts', find: '  return email.toLowerCase();', replace: '  return email;' },
    ],
  },
  {
    id: 'case-sensitive-crm-sync',
    middleware: 'resilient',
    defence: "a CRM account finds the partner the storefront's orders made for its email, in whatever case either typed it",
    scenario: 'crm-edit-storm-during-invoicing',
    edits: [{ file: 'resilient/crm-sync.ts', find: 'emailIs(account.email)], {', replace: "['email', '=', account.email] as never], {" }],
  },
  {
    id: 'reconciliation-waits-out-a-clock-step',
    middleware: 'resilient',
    defence: 'reconciliation takes an order stamped later than any check is put off to: it was stamped before the clock stepped back',
    scenario: 'lost-webhooks-reconciliation',
    faultKinds: ['clock-skew'],
    edits: [{ file: 'resilient/reconcile.ts', find: 'now + options.maxQuietMs, options.batch);', replace: 'Number.MAX_SAFE_INTEGER, options.batch);' }],
  },
  {
    id: 'retry-waits-out-a-clock-step',
    middleware: 'resilient',
    defence: 'no retry waits longer than the longest back-off, whatever the clock read when its time was set',
    scenario: 'odoo-outage-recovery',
    faultKinds: ['clock-skew'],
    edits: [
      {
        file: 'resilient/job-queue.ts',
        find: 'this.#scheduleAt(ref, Math.min(atMs, this.#o.clock.now() + this.#o.backoff.capMs));',
        replace: 'this.#scheduleAt(ref, atMs);',
      },
      { file: 'resilient/job-queue.ts', find: 'this.#scheduleAt(ref, Math.min(atMs, this.#o.clock.now()));', replace: 'this.#scheduleAt(ref, atMs);' },
    ],
  },
  {
    id: 'no-shipment-reconciliation',
    middleware: 'resilient',
    defence: 'reconciliation of shipments: ask the 3PL about orders whose delivery never arrived',
    edits: [
      {
        file: 'resilient/reconcile.ts',
        find: 'settings.urls.logistics !== undefined && known.delivered !== true ? await listShipments(',
        replace: 'settings.urls.logistics !== undefined && known.delivered !== true && false ? await listShipments(',
      },
    ],
  },
  {
    id: 'no-dead-letter-revival',
    middleware: 'resilient',
    defence: 'reconciliation of dead letters: a job that gave up is tried again (a bounded number of times)',
    edits: [
      {
        file: 'resilient/reconcile.ts',
        find: '      const revive = dead && (known.deadLetterOutOfReach === true',
        replace: '      const revive = false && dead && (known.deadLetterOutOfReach === true',
      },
    ],
  },
  {
    id: 'no-signature-check',
    middleware: 'resilient',
    defence: 'webhook signatures verified',
    edits: [
      {
        file: 'resilient/index.ts',
        find: "verifySignatures: flag(config, 'verifySignatures', true),",
        replace: "verifySignatures: flag(config, 'verifySignatures', false),",
      },
    ],
  },
  {
    id: 'no-rounding',
    middleware: 'resilient',
    defence: "rounding: the sale order's total is made what the customer was charged",
    edits: [
      {
        file: 'resilient/sync-order.ts',
        find: '  if (view.roundingAdjustment === undefined) await settleRounding(deps, client, view, update);\n',
        replace: '',
      },
    ],
  },
  {
    id: 'no-renumber',
    middleware: 'resilient',
    defence: "look-before-act on Odoo's refusal: a draft invoice whose name a concurrently created one took is renamed '/' before posting again",
    edits: [{ file: 'resilient/sync-order.ts', find: '    if (!isEntryNameTaken(error)) throw error;\n', replace: '    throw error;\n' }],
  },
  // Since d02d5df (a reconciliation pass 2 s after every start) reconciliation takes up what resume would have: a pending
  // job whose order has been quiet for 2 minutes, once the pass has heard from the 3PL and the gateway about it. Without
  // resume a restart leaves the job for that pass: 2 m 16 s and 2 m 22 s late on seed 1's crash loops, inside the bound,
  // but as long as the 3PL's outage when it is out (the restart-cut-off aim, harness/check/aim.ts).
  {
    id: 'no-crash-recovery',
    middleware: 'resilient',
    defence: 'crash recovery: after a restart, the pending jobs in the durable queue are picked up again',
    edits: [
      { file: 'resilient/index.ts', find: '  // After a crash and restart, pick up where the last incarnation stopped.\n  queue.resume();\n', replace: '' },
      { file: 'resilient/index.ts', find: '    start() {\n      queue.resume();\n    },', replace: '    start() {},' },
    ],
  },
  // The lease as a whole: a restarted incarnation takes an order's lease whatever a leftover holds, so it neither waits nor
  // is refused, and runs the order's job while calls the dead incarnation sent are still on their way (they still land: a
  // dead process's requests already on the wire are not recalled). Until 6 Dec the mutant below stood for the lease; it
  // removed only the wait and left the refusal, so "one job per order" still held in it.
  {
    id: 'no-lease',
    middleware: 'resilient',
    defence:
      "one job per order across incarnations: while a leftover incarnation's lease on an order lasts, a restarted one neither runs the order's job nor calls for it",
    edits: [
      {
        file: 'resilient/store.ts',
        find: '    if (held !== undefined && held.epoch !== this.#epoch && held.until > nowMs) return held.until;',
        replace: '    if (false && held !== undefined && held.epoch !== this.#epoch && held.until > nowMs) return held.until;',
      },
    ],
    equivalent:
      'A dead incarnation never acts again (c00739c), so what the lease waits out is only its calls still on their way when it died: ' +
      'a restart that runs the job at once races them, as a retry races a call held past its timeout. Every step refuses or repairs ' +
      'the late copy: the sale order and the rounding line carry unique marker tags (transcript 110), the 3PL keeps idempotency ' +
      'keys, a second create_invoices finds nothing to invoice, posting and validating again change nothing, and a second payment is ' +
      'cancelled by the payment audit (payment-audit.ts, transcripts 108, 109). Until that audit it was killed at case 23, by the ' +
      'double payment such a race left; since then 400 cases of happy-path find no invariant it breaks.',
  },
  // It changes when a job runs, never what it does. A restart that finds a leftover lease does not run beside it
  // (renewLease still refuses the job's first call) but drops the job until the next trigger: a restart (resume), an
  // event for the order, or a reconciliation pass once the order has been quiet for 2 minutes and the gateway and 3PL
  // have answered the pass. Since c00739c a dead incarnation never acts again, so the wait defends against no
  // interleaving, only against that delay, which `converges` sees when the 3PL is out past the bound (restart-cut-off).
  {
    id: 'no-lease-wait',
    middleware: 'resilient',
    defence: 'the wait for a leftover lease: a job that finds one is scheduled again for when it runs out, instead of left to the next trigger',
    edits: [{ file: 'resilient/job-queue.ts', find: '      if (leftoverUntil !== undefined) {', replace: '      if (false && leftoverUntil !== undefined) {' }],
  },
];
