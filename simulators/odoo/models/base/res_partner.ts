import type { Env } from '../../orm/env.ts';
import { fields } from '../../orm/fields.ts';
import { defineModel, modelMethod, type Row } from '../../orm/model.ts';
import { nameSearch } from '../../orm/base-methods.ts';
import { ValidationError } from '../../orm/errors.ts';

/** The partner's name as Odoo 17 shows it: "Company, Contact" for a company's contact. */
function completeName(env: Env, row: Row): string {
  const name = typeof row.name === 'string' ? row.name : '';
  if (typeof row.parent_id === 'number' && row.is_company !== true) {
    const parentName = env.model('res.partner').row(row.parent_id)?.name;
    if (typeof parentName === 'string' && parentName !== '') return name === '' ? parentName : `${parentName}, ${name}`;
  }
  return name;
}

/** The company a contact belongs to, or the partner itself (commercial_partner_id). */
function commercialPartner(env: Env, row: Row): number {
  const partners = env.model('res.partner');
  let current: Row | undefined = row;
  const seen = new Set<number>();
  while (current !== undefined && current.is_company !== true && typeof current.parent_id === 'number' && !seen.has(current.id)) {
    seen.add(current.id);
    const parent = partners.row(current.parent_id);
    if (parent === undefined) break;
    current = parent;
  }
  return current?.id ?? row.id;
}

/** Keeps the stored complete_name / commercial_partner_id of partners and their contacts current. */
function refreshNames(env: Env, ids: readonly number[]): void {
  const partners = env.model('res.partner');
  const table = env.db.table('res.partner');
  const queue = [...ids];
  const seen = new Set<number>();
  while (queue.length > 0) {
    const id = queue.shift()!;
    if (seen.has(id)) continue;
    seen.add(id);
    const row = partners.row(id);
    if (row === undefined) continue;
    const values = { complete_name: completeName(env, row), commercial_partner_id: commercialPartner(env, row) };
    if (row.complete_name !== values.complete_name || row.commercial_partner_id !== values.commercial_partner_id) partners.setStored([id], values);
    queue.push(...table.referrers('parent_id', id));
  }
}

/** The worked example of a model declaration (see ARCHITECTURE.md). */
export const resPartner = defineModel({
  name: 'res.partner',
  description: 'Contact',
  order: 'complete_name ASC, id DESC',
  recName: 'complete_name',
  displayName: (env, row) => (typeof row.complete_name === 'string' ? row.complete_name : completeName(env, row)),
  fields: {
    name: fields.char({ string: 'Name' }),
    // Stored like Odoo's store=True computes (the default order sorts on it); kept current by the hooks below.
    complete_name: fields.char({ string: 'Complete Name', readonly: true }),
    is_company: fields.boolean({ string: 'Is a Company', default: false }),
    company_type: fields.selection(
      [
        ['person', 'Individual'],
        ['company', 'Company'],
      ],
      {
        string: 'Company Type',
        compute: (_env, row) => (row.is_company === true ? 'company' : 'person'),
      },
    ),
    parent_id: fields.many2one('res.partner', { string: 'Related Company', index: true }),
    child_ids: fields.one2many('res.partner', 'parent_id', 'Contact'),
    commercial_partner_id: fields.many2one('res.partner', { string: 'Commercial Entity', readonly: true }),
    type: fields.selection(
      [
        ['contact', 'Contact'],
        ['invoice', 'Invoice Address'],
        ['delivery', 'Delivery Address'],
        ['private', 'Private Address'],
        ['other', 'Other Address'],
      ],
      { string: 'Address Type', default: 'contact' },
    ),
    ref: fields.char('Reference'),
    email: fields.char('Email'),
    phone: fields.char('Phone'),
    mobile: fields.char('Mobile'),
    website: fields.char('Website Link'),
    vat: fields.char('Tax ID'),
    company_registry: fields.char('Company ID'),
    street: fields.char('Street'),
    street2: fields.char('Street2'),
    city: fields.char('City'),
    zip: fields.char('Zip'),
    state_id: fields.many2one('res.country.state', { string: 'State', ondelete: 'restrict' }),
    country_id: fields.many2one('res.country', { string: 'Country', ondelete: 'restrict' }),
    category_id: fields.many2many('res.partner.category', 'Tags'),
    comment: fields.html('Notes'),
    function: fields.char('Job Position'),
    active: fields.boolean({ string: 'Active', default: true }),
    lang: fields.selection([['en_US', 'English (US)']], {
      string: 'Language',
      default: (env: Env) => (typeof env.context.lang === 'string' ? env.context.lang : 'en_US'),
    }),
    tz: fields.char('Timezone'),
    color: fields.integer('Color Index'),
    credit_limit: fields.float({ string: 'Credit Limit' }),
    customer_rank: fields.integer('Customer Rank'),
    supplier_rank: fields.integer('Supplier Rank'),
    company_id: fields.many2one('res.company', { string: 'Company', index: true }),
    user_id: fields.many2one('res.users', { string: 'Salesperson' }),
    property_payment_term_id: fields.many2one('account.payment.term', 'Customer Payment Terms'),
  },
  hooks: {
    afterCreate(env, ids) {
      refreshNames(env, ids);
    },
    afterWrite(env, ids, vals) {
      if ('name' in vals || 'parent_id' in vals || 'is_company' in vals) refreshNames(env, ids);
    },
  },
  methods: {
    // Odoo 17 searches complete_name, email, ref, vat and company_registry (_rec_names_search).
    name_search: modelMethod(
      ['name', 'args', 'operator', 'limit'],
      ({ model, args }) => {
        const name = typeof args.name === 'string' ? args.name : '';
        const operator = typeof args.operator === 'string' ? args.operator : 'ilike';
        const domain = Array.isArray(args.args) ? args.args : [];
        const limit = args.limit === undefined ? 100 : typeof args.limit === 'number' ? args.limit : undefined;
        // res.partner._name_search widens only the positive operators to email, ref, vat and registry.
        if (name === '' || !['=', 'ilike', '=ilike', 'like', '=like'].includes(operator))
          return nameSearch(model, name, domain, operator, limit, 'complete_name');
        const byName = [
          '|',
          '|',
          '|',
          '|',
          ['complete_name', operator, name],
          ['email', operator, name],
          ['ref', operator, name],
          ['vat', operator, name],
          ['company_registry', operator, name],
        ];
        const ids = model.search([...domain, ...byName], { limit });
        return ids.map((id) => [id, model.displayName(id)]);
      },
      0,
    ),
  },
});

export const resPartnerCategory = defineModel({
  name: 'res.partner.category',
  description: 'Partner Tags',
  order: 'name',
  fields: {
    name: fields.char({ string: 'Tag Name', required: true }),
    color: fields.integer('Color'),
    parent_id: fields.many2one('res.partner.category', { string: 'Parent Category', ondelete: 'cascade' }),
    active: fields.boolean({ string: 'Active', default: true }),
  },
});

/**
 * Sales tags (Odoo's sales_team, a dependency of sale): sale.order.tag_ids points here.
 * Odoo 17 declares `unique (name)`; a violation fails the whole call, so a sale
 * order created with a new tag in its `tag_ids` is refused with it.
 */
export const crmTag = defineModel({
  name: 'crm.tag',
  description: 'CRM Tag',
  order: 'name',
  fields: {
    name: fields.char({ string: 'Tag Name', required: true }),
    color: fields.integer('Color'),
  },
  hooks: {
    afterCreate(env, ids) {
      checkUniqueTagNames(env, ids);
    },
    afterWrite(env, ids, vals) {
      if (vals.name !== undefined) checkUniqueTagNames(env, ids);
    },
  },
});

/** sales_team's `name_uniq` SQL constraint, worded as a real Odoo 17 answers over RPC. */
function checkUniqueTagNames(env: Env, ids: readonly number[]): void {
  const tags = env.model('crm.tag');
  for (const id of ids) {
    const same = tags.search([['name', '=', tags.get(id, 'name')]], { limit: 2 });
    if (same.length > 1) throw new ValidationError('The operation cannot be completed: Tag name already exists!');
  }
}
