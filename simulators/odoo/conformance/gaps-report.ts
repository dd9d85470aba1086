/**
 * Prints which transcript steps the emulator does not match yet, as a
 * known-gaps.json skeleton (flow → step id → first mismatch). A developer tool:
 * `node simulators/odoo/conformance/gaps-report.ts [flow-prefix]`.
 */
import { join } from 'node:path';
import { createOdooEmulator } from '../index.ts';
import { testContext } from '../test/context.ts';
import { inProcessTarget, replayTranscript } from './replay.ts';
import { loadTranscript, TRANSCRIPTS_DIR, transcriptFiles } from './transcript.ts';
import { recordedEpochMs } from './known-gaps.ts';

const only = process.argv[2];
const out: Record<string, Record<string, string>> = {};
for (const file of transcriptFiles()) {
  if (only !== undefined && !file.startsWith(only)) continue;
  const transcript = loadTranscript(join(TRANSCRIPTS_DIR, file));
  const emulator = createOdooEmulator(testContext({ epochMs: recordedEpochMs(transcript) }), { db: 'faultline' });
  const report = await replayTranscript(transcript, inProcessTarget(emulator, { db: 'faultline', year: transcript.recorded.date.slice(0, 4) }));
  for (const step of report.steps) {
    if (step.status === 'pass') continue;
    const first = step.mismatches[0];
    const why =
      first === undefined
        ? (step.note ?? step.status)
        : `${first.path || '<outcome>'}: ${first.reason}; expected ${String(first.expected).slice(0, 160)}; actual ${String(first.actual).slice(0, 160)}`;
    (out[file] ??= {})[step.id] = why;
  }
}
console.log(JSON.stringify(out, null, 2));
