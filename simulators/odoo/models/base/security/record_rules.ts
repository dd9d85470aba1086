import type { RecordRule } from '../../../orm/access.ts';

/**
 * The ir.rule rows of a fresh Odoo 17.0 with sale, stock and account that can
 * restrict a user in a one-company database. Multi-company rules are left out
 * (one company: they always hold), and so are the portal rules, which need
 * followers (message_partner_ids) the emulator does not keep.
 */
const salesmanOwn = (field: string) => (user: { id: number }) => ['|', [field, '=', user.id], [field, '=', false]];
const everything = () => [];
const customerInvoices: readonly unknown[] = ['out_invoice', 'out_refund'];

export const RECORD_RULES: readonly RecordRule[] = [
  { model: 'sale.order', name: 'Personal Orders', groups: ['sales_team.group_sale_salesman'], perms: 'rwcu', domain: salesmanOwn('user_id') },
  { model: 'sale.order', name: 'All Orders', groups: ['sales_team.group_sale_salesman_all_leads'], perms: 'rwcu', domain: everything },
  { model: 'sale.order.line', name: 'Personal Order Lines', groups: ['sales_team.group_sale_salesman'], perms: 'rwcu', domain: salesmanOwn('salesman_id') },
  { model: 'sale.order.line', name: 'All Orders Lines', groups: ['sales_team.group_sale_salesman_all_leads'], perms: 'rwcu', domain: everything },
  { model: 'account.move', name: 'All Journal Entries', groups: ['account.group_account_invoice'], perms: 'rwcu', domain: everything },
  { model: 'account.move', name: 'Readonly Move', groups: ['account.group_account_readonly'], perms: 'r---', domain: everything },
  {
    model: 'account.move',
    name: 'Personal Invoices',
    groups: ['sales_team.group_sale_salesman'],
    perms: 'rwcu',
    domain: (user) => [['move_type', 'in', customerInvoices], '|', ['invoice_user_id', '=', user.id], ['invoice_user_id', '=', false]],
  },
  {
    model: 'account.move',
    name: 'All Invoices',
    groups: ['sales_team.group_sale_salesman_all_leads'],
    perms: 'rwcu',
    domain: () => [['move_type', 'in', customerInvoices]],
  },
  { model: 'account.move.line', name: 'All Journal Items', groups: ['account.group_account_invoice'], perms: 'rwcu', domain: everything },
  { model: 'account.move.line', name: 'Readonly Move Line', groups: ['account.group_account_readonly'], perms: 'r---', domain: everything },
  {
    model: 'account.move.line',
    name: 'Personal Invoice Lines',
    groups: ['sales_team.group_sale_salesman'],
    perms: 'rwcu',
    domain: (user) => [['move_id.move_type', 'in', customerInvoices], '|', ['move_id.invoice_user_id', '=', user.id], ['move_id.invoice_user_id', '=', false]],
  },
  {
    model: 'account.move.line',
    name: 'All Invoice Lines',
    groups: ['sales_team.group_sale_salesman_all_leads'],
    perms: 'rwcu',
    domain: () => [['move_id.move_type', 'in', customerInvoices]],
  },
  // Wizards: each user sees only the ones they created.
  { model: 'sale.order.cancel', name: 'Sales Order Cancel Rule', groups: [], perms: 'rwcu', domain: (user) => [['create_uid', '=', user.id]] },
  {
    model: 'sale.advance.payment.inv',
    name: 'Sales Advance Payment Invoice Rule',
    groups: [],
    perms: 'rwcu',
    domain: (user) => [['create_uid', '=', user.id]],
  },
];
