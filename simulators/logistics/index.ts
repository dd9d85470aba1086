export { createLogisticsProvider } from './provider.ts';
export type { LogisticsLedger, LogisticsProvider, LogisticsWebhook, ShipmentDelivery, ShipmentRecord, TimelineEntry } from './provider.ts';
export { LOGISTICS_DEFAULTS, SHIPMENT_EVENTS, readLogisticsKnobs } from './knobs.ts';
export type { LogisticsKnobs, ShipmentEvent, ShipmentStatus, StepDelays } from './knobs.ts';
export type { ShipmentLine } from './parcels.ts';
