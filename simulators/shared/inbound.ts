/**
 * What every simulator does with a request before its business logic: the
 * API behaviour knobs (a simulated error instead of work; latency before the
 * answer), optional request signatures, and replay of idempotent POSTs.
 */
import type { Clock } from '../../harness/core/clock.ts';
import type { Rng } from '../../harness/core/rng.ts';
import { HEADERS } from '../../harness/core/system.ts';
import { type ApiBehaviour, isZeroDelay, sampleDelay } from './behaviour.ts';
import { json, problem } from '../../harness/core/json-response.ts';
import { BadInput, readJsonObject, readText } from './http.ts';
import { REPLAYED_HEADER, SIGNATURE_HEADER } from '../../harness/contracts/headers.ts';
import { verifyWebhookSignature } from '../../harness/contracts/webhook-signature.ts';

export interface InboundOptions {
  systemName: string;
  clock: Clock;
  rng: Rng;
  api: ApiBehaviour;
  /** When set, POST bodies must carry a valid `x-faultline-signature` made with this secret. */
  requireSignatureWith: string | null;
}

export interface Inbound {
  /** A simulated API error (`api.error`), decided before any work; undefined when the call goes ahead. */
  simulatedError(): Response | undefined;
  /** Waits the `api.latency` knob's delay (after the work is done: a caller that times out meanwhile leaves it done). */
  answer(response: Response): Promise<Response>;
  /** Parses a JSON object body and checks its signature if the simulator requires one. */
  readBody(request: Request): Promise<{ raw: string; body: Record<string, unknown> }>;
  /** Reads the raw body of a request whose content is not used, checking its signature if required. */
  readRaw(request: Request): Promise<string>;
  /** Runs `create` once per idempotency key; a repeat with the same body replays the first answer. */
  idempotent(request: Request, scope: string, raw: string, create: () => { status: number; body: unknown }): Response;
}

export function createInbound(options: InboundOptions): Inbound {
  const { clock, rng, api, requireSignatureWith, systemName } = options;
  const latencyIsZero = isZeroDelay(api.latency);
  const replays = new Map<string, { raw: string; status: number; body: unknown }>();

  const checkSignature = (request: Request, raw: string): void => {
    if (requireSignatureWith === null) return;
    const check = verifyWebhookSignature({ secret: requireSignatureWith, header: request.headers.get(SIGNATURE_HEADER), rawBody: raw, nowMs: clock.now() });
    if (!check.ok) throw new BadInput(401, check.reason);
  };

  return {
    simulatedError() {
      if (!rng.chance(api.error.probability)) return undefined;
      return problem(api.error.status, `${systemName} is failing on purpose (knob api.error.probability = ${api.error.probability}); retry later`);
    },
    async answer(response) {
      if (!latencyIsZero) {
        const ms = sampleDelay(rng, api.latency);
        if (ms > 0) await clock.sleep(ms);
      }
      return response;
    },
    async readBody(request) {
      const { raw, body } = await readJsonObject(request);
      checkSignature(request, raw);
      return { raw, body };
    },
    async readRaw(request) {
      const raw = await readText(request);
      checkSignature(request, raw);
      return raw;
    },
    idempotent(request, scope, raw, create) {
      const key = request.headers.get(HEADERS.idempotencyKey);
      if (key === null || key === '') {
        const result = create();
        return json(result.status, result.body);
      }
      const slot = `${scope}\u0000${key}`;
      const earlier = replays.get(slot);
      if (earlier !== undefined) {
        if (earlier.raw !== raw) {
          return problem(422, `idempotency-key ${JSON.stringify(key)} was already used with a different body; use a new key for a new request`);
        }
        const replay = json(earlier.status, earlier.body);
        replay.headers.set(REPLAYED_HEADER, 'true');
        return replay;
      }
      const result = create();
      if (result.status < 500) replays.set(slot, { raw, ...result });
      return json(result.status, result.body);
    },
  };
}
