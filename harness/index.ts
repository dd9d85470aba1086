/**
 * Faultline's public API for scenario authors and test suites.
 */
export { defineScenario } from './scenario/define.ts';
export type { Scenario, OrderLoad, Budget, MiddlewareChoice } from './scenario/scenario.ts';
export { ScenarioError } from './scenario/validate.ts';
export type { Problem } from './scenario/validate.ts';
export type { FaultSpec, FaultSchedule, LinkSelector, LinkFault, SystemFault } from './core/faults.ts';
export type { System, SystemContext, SystemFactory, SystemFetch } from './core/system.ts';
export { HEADERS, LEDGER_PATH, NetworkError } from './core/system.ts';
export type { Clock } from './core/clock.ts';
export type { Rng } from './core/rng.ts';
export type { HistoryEvent } from './core/history.ts';
export type { RunResult, InvariantVerdict } from './run/result.ts';
export { runScenario } from './engine/run-scenario.ts';
export { resolveMiddleware } from './engine/resolve-middleware.ts';
export { defineInvariant, builtInInvariants } from './invariants/index.ts';
export { createOdooClient, OdooError } from './odoo/client.ts';
export type { OdooClient, OdooClientOptions } from './odoo/client.ts';
export { bootstrapOdoo } from './odoo/bootstrap.ts';
export { assertScenario, ScenarioCheckError } from './testing.ts';
export type { AssertScenarioOptions } from './testing.ts';
export { reproduce } from './reproduce/reproduce.ts';
export type { Reproduction, ReproduceOptions, Proof } from './reproduce/reproduce.ts';
