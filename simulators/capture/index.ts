export { createCaptureSimulator } from './platform.ts';
export type { CaptureLedger, CaptureLedgerOrder, CapturePlatform, CaptureSummary } from './platform.ts';
export { ARRIVAL_MODELS, CAPTURE_DEFAULTS, KEY_ON_RETRY, readCaptureKnobs } from './knobs.ts';
export type { ArrivalModel, CaptureKnobs, CaptureRetryPolicy, KeyOnRetry } from './knobs.ts';
export { generateOrder, orderRef } from './orders.ts';
