export { createPaymentGateway } from './gateway.ts';
export type { PaymentDelivery, PaymentGateway, PaymentLedger, PaymentRecord } from './gateway.ts';
export { PAYMENT_DEFAULTS, readPaymentKnobs } from './knobs.ts';
export type { PaymentKnobs } from './knobs.ts';
