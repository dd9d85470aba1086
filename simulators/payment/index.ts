export { createPaymentGateway } from './gateway.ts';
export type { PaymentDelivery, PaymentEventType, PaymentGateway, PaymentLedger, PaymentRecord, PaymentStatus, PaymentWebhook } from './gateway.ts';
export { PAYMENT_DEFAULTS, readPaymentKnobs } from './knobs.ts';
export type { PaymentKnobs } from './knobs.ts';
