import type { OdooModule } from '../../orm/module.ts';
import { accountAccount, accountJournal, accountPaymentTerm, accountPaymentTermLine, accountTax, accountTaxGroup } from './account.ts';
import { faultlineAccessLog } from './access_log.ts';
import { irModel, irModelAccess, irModelData, irModuleCategory, resConfigSettings, resGroups } from './ir.ts';
import { GROUP_LABELS, MODEL_ACCESS, RECORD_RULES } from './security/index.ts';
import { irModuleModule } from './ir_module.ts';
import { productCategory, productProduct, productTemplate } from './product.ts';
import { resCompany, resCountry, resCountryState, resCurrency } from './res_company.ts';
import { crmTag, resPartner, resPartnerCategory } from './res_partner.ts';
import { resUsers } from './res_users.ts';
import { stockLocation, stockPickingType, stockWarehouse } from './stock.ts';
import { uomCategory, uomUom } from './uom.ts';

/**
 * The platform's models: what a fresh Odoo 17 has before any sale, delivery
 * or invoice exists. Its seed runs from the emulator (it needs the admin
 * settings), so `seed` is not set here.
 */
export const baseModule: OdooModule = {
  name: 'base',
  models: [
    irModel,
    irModelAccess,
    irModelData,
    irModuleModule,
    irModuleCategory,
    resGroups,
    resConfigSettings,
    resCurrency,
    resCountry,
    resCountryState,
    resPartner,
    resPartnerCategory,
    crmTag,
    resCompany,
    resUsers,
    uomCategory,
    uomUom,
    productCategory,
    productTemplate,
    productProduct,
    accountAccount,
    accountTaxGroup,
    accountTax,
    accountJournal,
    accountPaymentTerm,
    accountPaymentTermLine,
    stockLocation,
    stockWarehouse,
    stockPickingType,
    faultlineAccessLog,
  ],
  // Access data for every model a fresh database has, business models included (they are Odoo's, not the helper's).
  groups: GROUP_LABELS,
  modelAccess: MODEL_ACCESS,
  recordRules: RECORD_RULES,
};
