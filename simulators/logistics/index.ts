export { createLogisticsProvider } from './provider.ts';
export type { LogisticsLedger, LogisticsProvider, ShipmentDelivery, ShipmentRecord, TimelineEntry } from './provider.ts';
export { LOGISTICS_DEFAULTS, readLogisticsKnobs } from './knobs.ts';
export type { LogisticsKnobs, StepDelays } from './knobs.ts';
