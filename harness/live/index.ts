/**
 * Live mode's building blocks: serve systems over real HTTP, give them a
 * real-time context, put Toxiproxy between them, drive open-model load, run
 * child processes, and always clean up.
 */
export { serveSystem, DEFAULT_BODY_LIMIT_BYTES } from './serve-system.ts';
export type { ServeOptions, ServedSystem } from './serve-system.ts';
export { createLiveContext, createWallHistory } from './live-context.ts';
export type { LiveContextOptions, LiveSystemContext } from './live-context.ts';
export { createLiveFetch, outcomeOfStatus } from './live-fetch.ts';
export type { LiveFetch, LiveFetchOptions } from './live-fetch.ts';
export { wallClock, monotonicMs } from '../core/wall-clock.ts';
export {
  createLinkProxies,
  findToxiproxyServer,
  startToxiproxy,
  toxicFor,
  ToxiproxyMissingError,
  TOXIPROXY_VERSION,
} from './toxiproxy.ts';
export type { FaultDirection, LinkProxy, LinkSpec, NetworkFault, NetworkFaultKind, StartToxiproxyOptions, ToxicSpec, ToxiproxyServer } from './toxiproxy.ts';
export { scheduleNetworkFaults } from './fault-schedule.ts';
export type { NetworkFaultSchedule, ScheduledNetworkFault, ScheduleOptions } from './fault-schedule.ts';
export { constantRate, profile, rampRate, spikeRate } from './arrival-profile.ts';
export type { ArrivalProfile, RampStage, RateSegment, SpikeOptions } from './arrival-profile.ts';
export { runOpenLoad } from './load.ts';
export type { Arrival, LoadInterval, LoadResult, OpenLoadOptions } from './load.ts';
export { Histogram, HISTOGRAM_MAX_VALUE } from './histogram.ts';
export type { HistogramSummary } from './histogram.ts';
export { startSystemProcess, upstreamEnv, UPSTREAM_ENV } from './processes.ts';
export type { SystemProcess, SystemProcessOptions } from './processes.ts';
export { CleanupRegistry, withCleanup } from './cleanup.ts';
export type { CleanupFailure, CleanupOptions } from './cleanup.ts';
export { startChild } from './child.ts';
export type { ChildExit, ChildHandle, ChildOptions } from './child.ts';
export { findFreePort } from './free-port.ts';
export { waitForHttp } from './wait-for-http.ts';
export type { WaitForHttpOptions } from './wait-for-http.ts';
export { createSystemSlot } from './system-slot.ts';
export type { SystemSlot } from './system-slot.ts';
export { runLive } from './run-live.ts';
export { createLiveWorld } from './live-world.ts';
export type { LiveWorld, LiveWorldOptions, SystemPlacement } from './live-world.ts';
export { LIVE_LINKS, networkFaultFor, planLinks, proxiesForFault, scheduledNetworkFaults } from './live-links.ts';
export type { PlannedLink } from './live-links.ts';
export { createSenderFetch } from './sender-faults.ts';
export type { SenderFetchOptions, SenderRoute } from './sender-faults.ts';
export { createIncarnation, hostSystem } from './system-host.ts';
export type { Incarnation, SystemHost } from './system-host.ts';
export { scheduleSystemFaults } from './system-faults.ts';
export { waitForQuiet } from './quiescence.ts';
export type { QuietOptions, QuietResult } from './quiescence.ts';
export { liveStatsOf } from './live-stats.ts';
export { DEFAULT_TIME_SCALE, liveSettings } from './live-settings.ts';
export type { LiveSettings } from './live-settings.ts';
