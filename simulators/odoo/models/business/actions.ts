/**
 * The action dicts (ir.actions.act_window) that Odoo 17 methods return over
 * RPC, shaped exactly as a real server sent them. View, action and template
 * ids are those of a fresh database; clients only need them to be ints > 0.
 */
export const XML_IDS = {
  cancelWizardView: 1188,
  cancelMailTemplate: 14,
  invoiceAction: 229,
  invoiceFormView: 681,
  invoiceTreeView: 674,
  invoiceSearchView: 662,
  backorderView: 1035,
} as const;

/** What `sale.order.action_cancel` returns instead of cancelling (`_show_cancel_wizard`). */
export function cancelWizardAction(orderId: number): Record<string, unknown> {
  return {
    name: 'Cancel Sales Order',
    view_mode: 'form',
    res_model: 'sale.order.cancel',
    view_id: XML_IDS.cancelWizardView,
    type: 'ir.actions.act_window',
    context: {
      default_template_id: XML_IDS.cancelMailTemplate,
      default_order_id: orderId,
      mark_so_as_canceled: true,
      default_email_layout_xmlid: 'mail.mail_notification_layout_with_responsible_signature',
      model_description: 'Sales Order',
    },
    target: 'new',
  };
}

const INVOICE_HELP =
  '<p class="o_view_nocontent_smiling_face">\n' +
  '                Create a customer invoice\n' +
  '              </p><p>\n' +
  '                Create invoices, register payments and keep track of the discussions with your customers.\n' +
  '              </p>\n' +
  '            ';

export interface InvoiceActionContext {
  /** Set only when one order is invoiced. `null` payment term is Odoo's None (XML-RPC then faults after commit). */
  single?: {
    partnerId: number;
    partnerShippingId: number;
    paymentTermId: number | null;
    origin: string;
  };
}

/** `sale.order.action_view_invoice(invoices)`, what `create_invoices` returns. */
export function invoiceAction(invoiceIds: readonly number[], ctx: InvoiceActionContext): Record<string, unknown> {
  if (invoiceIds.length === 0) return { type: 'ir.actions.act_window_close' };
  const context: Record<string, unknown> = { default_move_type: 'out_invoice' };
  if (ctx.single !== undefined) {
    context.default_partner_id = ctx.single.partnerId;
    context.default_partner_shipping_id = ctx.single.partnerShippingId;
    context.default_invoice_payment_term_id = ctx.single.paymentTermId;
    context.default_invoice_origin = ctx.single.origin;
  }
  const action: Record<string, unknown> = {
    id: XML_IDS.invoiceAction,
    name: 'Invoices',
    type: 'ir.actions.act_window',
    xml_id: 'account.action_move_out_invoice_type',
    help: INVOICE_HELP,
    binding_model_id: false,
    binding_type: 'action',
    binding_view_types: 'list,form',
    display_name: 'Invoices',
    view_id: [XML_IDS.invoiceTreeView, 'account.out.invoice.tree'],
    domain: "[('move_type', '=', 'out_invoice')]",
    context,
    res_id: 0,
    res_model: 'account.move',
    target: 'current',
    view_mode: 'tree,kanban,form,activity',
    mobile_view_mode: 'kanban',
    views: [
      [XML_IDS.invoiceTreeView, 'tree'],
      [false, 'kanban'],
      [XML_IDS.invoiceFormView, 'form'],
      [false, 'activity'],
    ],
    limit: 80,
    groups_id: [],
    search_view_id: [XML_IDS.invoiceSearchView, 'account.invoice.select'],
    filter: false,
  };
  if (invoiceIds.length > 1) {
    action.domain = [['id', 'in', [...invoiceIds]]];
  } else {
    // One invoice: Odoo puts the form view first and opens the record.
    action.views = [
      [XML_IDS.invoiceFormView, 'form'],
      [XML_IDS.invoiceTreeView, 'tree'],
      [false, 'kanban'],
      [false, 'activity'],
    ];
    action.res_id = invoiceIds[0];
  }
  return action;
}

/** What `account.payment.register.action_create_payments` returns. */
export function paymentsAction(paymentIds: readonly number[]): Record<string, unknown> {
  const action: Record<string, unknown> = {
    name: 'Payments',
    type: 'ir.actions.act_window',
    res_model: 'account.payment',
    context: { create: false },
  };
  if (paymentIds.length === 1) {
    action.view_mode = 'form';
    action.res_id = paymentIds[0];
  } else {
    action.view_mode = 'tree,form';
    action.domain = [['id', 'in', [...paymentIds]]];
  }
  return action;
}

/** `stock.picking._action_generate_backorder_wizard`: what a short `button_validate` returns. */
export function backorderWizardAction(
  pickingIds: readonly number[],
  validateIds: readonly number[],
  callerContext: Readonly<Record<string, unknown>>,
): Record<string, unknown> {
  return {
    name: 'Create Backorder?',
    type: 'ir.actions.act_window',
    view_mode: 'form',
    res_model: 'stock.backorder.confirmation',
    views: [[XML_IDS.backorderView, 'form']],
    view_id: XML_IDS.backorderView,
    target: 'new',
    context: {
      ...callerContext,
      button_validate_picking_ids: [...validateIds],
      default_show_transfers: false,
      default_pick_ids: pickingIds.map((id) => [4, id]),
    },
  };
}

/** `account.move.reversal.refund_moves`: opens the credit note(s). */
export function reversalAction(moveIds: readonly number[], moveType = 'out_refund'): Record<string, unknown> {
  const action: Record<string, unknown> = {
    name: 'Reverse Moves',
    type: 'ir.actions.act_window',
    res_model: 'account.move',
    // The type of the first new move: a credit note after refund_moves, an invoice after modify_moves.
    context: { default_move_type: moveType },
  };
  if (moveIds.length === 1) {
    action.view_mode = 'form';
    action.res_id = moveIds[0];
  } else {
    action.view_mode = 'tree,form';
    action.domain = [['id', 'in', [...moveIds]]];
  }
  return action;
}
