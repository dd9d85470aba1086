export { ROW_TYPES, createAnalyticsSink } from './sink.ts';
export type { AnalyticsLedger, AnalyticsRow, AnalyticsSink, DailyTotal, RowType } from './sink.ts';
export { ANALYTICS_DEFAULTS, readAnalyticsKnobs } from './knobs.ts';
export type { AnalyticsKnobs } from './knobs.ts';
