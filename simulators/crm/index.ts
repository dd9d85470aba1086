export { createCrmSimulator } from './crm.ts';
export type { AccountData, AccountVersion, CrmDelivery, CrmLedger, CrmSimulator } from './crm.ts';
export { CRM_DEFAULTS, PAYMENT_TERMS, REP_ACTIONS, readCrmKnobs } from './knobs.ts';
export type { CrmKnobs, RepAction } from './knobs.ts';
