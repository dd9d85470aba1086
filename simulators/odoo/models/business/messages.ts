/**
 * Odoo 17's user-facing error texts for the sale → delivery → invoice →
 * payment flow, verbatim as a real server sent them (transcripts and
 * real-odoo17-observations.md). Kept in one place because clients match on them.
 */
export const MSG = {
  notConfirmable: (names: string) => `The following orders are not in a state requiring confirmation: ${names}`,
  onlyDraftSent: 'Only draft orders can be marked as sent directly.',
  lockedFields: (labels: readonly string[]) => `It is forbidden to modify the following fields in a locked order:\n${labels.join('\n')}`,
  cancelLocked: 'You cannot cancel a locked order. Please unlock it first.',
  unlinkConfirmed: 'You can not delete a sent quotation or a confirmed sales order. You must first cancel it.',
  removeConfirmedLine:
    // The indentation is in Odoo's source string, so clients see it (transcript 17).
    "Once a sales order is confirmed, you can't remove one of its lines (we need to track if something gets invoiced or delivered).\n" +
    '                Set the quantity to 0 instead.',
  decreaseBelowDelivered:
    'The ordered quantity of a sale order line cannot be decreased below the amount already delivered. Instead, create a return in your inventory.',
  nothingToInvoice:
    'Cannot create an invoice. No items are available to invoice.\n\n' +
    'To resolve this issue, please ensure that:\n' +
    '   \u2022 The products have been delivered before attempting to invoice them.\n' +
    '   \u2022 The invoicing policy of the product is configured correctly.\n\n' +
    'If you want to invoice based on ordered quantities instead:\n' +
    "   \u2022 For consumable or storable products, open the product, go to the 'General Information' tab and change the 'Invoicing Policy' from 'Delivered Quantities' to 'Ordered Quantities'.\n" +
    "   \u2022 For services (and other products), change the 'Invoicing Policy' to 'Prepaid/Fixed Price'.\n",
  noQuantitiesReserved: 'You cannot validate a transfer if no quantities are reserved. To force the transfer, encode quantities.',
  emptyTransfer: 'You can\u2019t validate an empty transfer. Please add some products to move before proceeding.',
  cancelDoneMove: "You cannot cancel a stock move that has been set to 'Done'. Create a return in order to reverse the moves which took place.",
  nothingToCheckAvailability: 'Nothing to check the availability for.',
  mustBeDraft: (name: string, id: number) => `The entry ${name} (id ${id}) must be in draft.`,
  onlyPostedCancelledToDraft: 'Only posted/cancelled journal entries can be reset to draft.',
  onlyDraftCancel: 'Only draft journal entries can be cancelled.',
  noLineToPost: 'You need to add a line before posting.',
  negativeTotal:
    'You cannot validate an invoice with a negative total amount. You should create a credit note instead. Use the action menu to transform it into a credit note or refund.',
  customerRequired: "The field 'Customer' is required, please complete it to validate the Customer Invoice.",
  deletePosted: 'You cannot delete an item linked to a posted entry.',
  registerOnlyPosted: 'You can only register payment for posted journal entries.',
  nothingLeftToPay: "You can't register a payment because there is nothing left to pay on the selected journal items.",
  registerWrongModel: 'The register payment wizard should only be called on account.move or account.move.line records.',
  reversalOnlyPosted: 'You can only reverse posted moves.',
  noSenderEmail: "Unable to send message, please configure the sender's email address.",
  uniqueViolation: (constraint: string) => `The operation cannot be completed: ${constraint}`,
  followTwice: 'Error, a partner cannot follow twice the same object.',
  sameEntryName: 'Another entry with the same name already exists.',
  downPaymentNotPositive: 'The value of the down payment amount must be positive.',
  switchPosted: 'You cannot switch the type of a posted document.',
  switchNotAvailable: "This action isn't available for this document.",
  postedTaxes: 'You cannot modify the taxes related to a posted journal item, you should reset the journal entry to draft to do so.',
  reconciledEntry: (name: string, id: number) =>
    'You cannot do this modification on a reconciled journal entry. You can just change some non legal fields or you must unreconcile first.\n' +
    `Journal Entry (id): ${name} (${id})`,
} as const;
