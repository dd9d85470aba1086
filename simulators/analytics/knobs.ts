import { type ApiBehaviour, CALM_API, TIME, parseApiBehaviour } from '../shared/behaviour.ts';
import type { KnobInput } from '../shared/knobs.ts';
import { booleanKnob, groupKnob, numberKnob } from '../shared/knobs.ts';

/** The analytics sink's knobs, read from `context.config` (README.md says where each default comes from). */
export interface AnalyticsKnobs {
  /** A streamed row for a day is counted until the day's end plus this; later, it is kept aside as late until a batch replays the day. */
  allowedLatenessMs: number;
  /** Drop a streamed row whose event id was seen in the last `dedupeWindowMs` (a warehouse's best-effort insert id). */
  dedupe: boolean;
  dedupeWindowMs: number;
  api: ApiBehaviour;
}

/** What a scenario may set under `systems.analytics`: any of these knobs, at any depth. */
export type AnalyticsOptions = KnobInput<AnalyticsKnobs>;

export const ANALYTICS_DEFAULTS: AnalyticsKnobs = {
  allowedLatenessMs: TIME.HOUR,
  dedupe: true,
  dedupeWindowMs: TIME.DAY,
  api: CALM_API,
};

const W = 'analytics: config';

export function readAnalyticsKnobs(config: Readonly<Record<string, unknown>>): AnalyticsKnobs {
  const d = ANALYTICS_DEFAULTS;
  // A knob given as undefined is unset, as for every reader below (a runner may pass one it blanked out).
  groupKnob(W, Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined)), ['allowedLatenessMs', 'dedupe', 'dedupeWindowMs', 'api']);
  return {
    allowedLatenessMs: numberKnob(`${W}.allowedLatenessMs`, config.allowedLatenessMs, d.allowedLatenessMs, { min: 0, max: 30 * TIME.DAY }),
    dedupe: booleanKnob(`${W}.dedupe`, config.dedupe, d.dedupe),
    dedupeWindowMs: numberKnob(`${W}.dedupeWindowMs`, config.dedupeWindowMs, d.dedupeWindowMs, { min: 0, max: 365 * TIME.DAY }),
    api: parseApiBehaviour(`${W}.api`, config.api, d.api),
  };
}
