export { createCrmSimulator } from './crm.ts';
export type { Account, AccountData, AccountStatus, AccountVersion, CrmDelivery, CrmEventType, CrmLedger, CrmSimulator, CrmWebhook } from './crm.ts';
export { CRM_DEFAULTS, PAYMENT_TERMS, REP_ACTIONS, readCrmKnobs } from './knobs.ts';
export type { CrmKnobs, RepAction } from './knobs.ts';
