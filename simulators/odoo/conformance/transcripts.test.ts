import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createOdooEmulator } from '../index.ts';
import { testContext } from '../test/context.ts';
import { checkAgainstGaps, countGaps, formatGapCheck, gapCheckPassed, loadKnownGaps, recordedEpochMs } from './known-gaps.ts';
import { formatReport, httpTarget, inProcessTarget, replayTranscript, type ReplayReport } from './replay.ts';
import { REAL_ODOO_SECOND_TIES, sortIdLists } from './ties.ts';
import { loadTranscript, TRANSCRIPTS_DIR, transcriptFiles } from './transcript.ts';

const flowName = (file: string): string => file.replace(/\.json$/, '');

describe('the emulator answers every transcript step as Odoo 17.0 did, apart from the listed known gaps', () => {
  const gaps = loadKnownGaps();
  const files = transcriptFiles();
  afterAll(() => {
    console.log(
      `odoo conformance: ${countGaps(gaps)} known gaps in ${Object.keys(gaps).length} of ${files.length} transcripts (simulators/odoo/conformance/known-gaps.json)`,
    );
  });

  it('lists known gaps only for transcripts that exist', () => {
    const names = new Set(files.map(flowName));
    expect(Object.keys(gaps).filter((flow) => !names.has(flow))).toEqual([]);
  });

  for (const file of files) {
    it(`replays ${file} (both transports, strict mode)`, async () => {
      const transcript = loadTranscript(join(TRANSCRIPTS_DIR, file));
      const emulator = createOdooEmulator(testContext({ epochMs: recordedEpochMs(transcript) }), { db: 'faultline' });
      const report = await replayTranscript(transcript, inProcessTarget(emulator, { db: 'faultline', year: transcript.recorded.date.slice(0, 4) }));
      const check = checkAgainstGaps(report, gaps[flowName(file)]);
      expect(gapCheckPassed(check), `${formatGapCheck(flowName(file), check)}\n${formatReport(report)}`).toBe(true);
    });
  }
});

describe('the known-gaps ratchet', () => {
  const report = (statuses: Record<string, 'pass' | 'fail' | 'not-replayable'>): ReplayReport => ({
    name: 'flow',
    passed: Object.values(statuses).every((status) => status === 'pass'),
    steps: Object.entries(statuses).map(([id, status]) => ({ id, status, mismatches: [] })),
  });

  it('fails on a failing step that is not listed', () => {
    expect(gapCheckPassed(checkAgainstGaps(report({ a: 'pass', b: 'fail' }), {}))).toBe(false);
    expect(gapCheckPassed(checkAgainstGaps(report({ a: 'not-replayable' }), {}))).toBe(false);
  });

  it('fails on a listed step that passes now, so the list only shrinks', () => {
    const check = checkAgainstGaps(report({ a: 'pass', b: 'fail' }), { a: 'was broken', b: 'still broken' });
    expect(check.fixedButListed).toEqual(['a']);
    expect(gapCheckPassed(check)).toBe(false);
  });

  it('fails on a listed step the transcript does not have', () => {
    expect(checkAgainstGaps(report({ a: 'pass' }), { zz: 'typo' }).unknownListed).toEqual(['zz']);
  });

  it('passes when exactly the listed steps fail', () => {
    expect(gapCheckPassed(checkAgainstGaps(report({ a: 'pass', b: 'fail', c: 'not-replayable' }), { b: 'x', c: 'y' }))).toBe(true);
  });
});

describe('steps that tie on a wall-clock second', () => {
  it('compare the same ids in any order, but not different ids', () => {
    const bindings = new Map<string, unknown>([
      ['a', 1],
      ['b', 2],
    ]);
    const expected = { ok: [{ picking_ids: [{ $ref: 'b' }, { $ref: 'a' }] }] };
    expect(sortIdLists(expected, bindings)).toEqual(sortIdLists({ ok: [{ picking_ids: [1, 2] }] }, bindings));
    expect(sortIdLists(expected, bindings)).not.toEqual(sortIdLists({ ok: [{ picking_ids: [1, 3] }] }, bindings));
  });

  it('are listed only for steps that exist', () => {
    for (const [flow, steps] of Object.entries(REAL_ODOO_SECOND_TIES)) {
      const transcript = loadTranscript(join(TRANSCRIPTS_DIR, `${flow}.json`));
      expect(Object.keys(steps).filter((id) => !transcript.steps.some((step) => step.id === id))).toEqual([]);
    }
  });
});

const realOdoo = {
  url: process.env.ODOO_URL,
  db: process.env.ODOO_DB,
  login: process.env.ODOO_USER,
  password: process.env.ODOO_PASSWORD,
};
const haveRealOdoo = realOdoo.url !== undefined && realOdoo.db !== undefined && realOdoo.login !== undefined && realOdoo.password !== undefined;
/** Run before each flow so it starts from a fresh database, as it was recorded (e.g. `kit.sh reset ...`). */
const resetCommand = process.env.ODOO_RESET_COMMAND;
const resetTimeoutMs = Number(process.env.ODOO_RESET_TIMEOUT_MS ?? 180_000);

/** Runs ODOO_RESET_COMMAND through the shell; a failure or a timeout stops the flow before it starts. */
function resetRealOdoo(command: string): void {
  const result = spawnSync(command, { shell: true, encoding: 'utf8', timeout: resetTimeoutMs, killSignal: 'SIGKILL' });
  if (result.error !== undefined || result.status !== 0) {
    const why = result.error !== undefined ? String(result.error) : `exit ${result.status ?? result.signal}`;
    throw new Error(`ODOO_RESET_COMMAND failed (${why}): ${command}\n${result.stdout}\n${result.stderr}`);
  }
}

// The real server is the ground truth, so this run uses no known-gaps list: every step must match.
describe.skipIf(!haveRealOdoo)(
  'a real Odoo at ODOO_URL answers the transcripts the same way (set ODOO_URL, ODOO_DB, ODOO_USER, ODOO_PASSWORD, and ODOO_RESET_COMMAND for a fresh database per flow)',
  () => {
    for (const file of transcriptFiles()) {
      it(
        `replays ${file} against ${realOdoo.url ?? 'ODOO_URL'}`,
        async () => {
          if (resetCommand !== undefined && resetCommand !== '') resetRealOdoo(resetCommand);
          const transcript = loadTranscript(join(TRANSCRIPTS_DIR, file));
          const target = httpTarget({
            url: realOdoo.url!,
            db: realOdoo.db!,
            login: realOdoo.login!,
            password: realOdoo.password!,
            year: String(new Date().getUTCFullYear()),
            date: new Date().toISOString().slice(0, 10),
          });
          const ties = new Set(Object.keys(REAL_ODOO_SECOND_TIES[flowName(file)] ?? {}));
          const report = await replayTranscript(transcript, target, {}, ties);
          expect(report.passed, formatReport(report)).toBe(true);
        },
        resetTimeoutMs + 300_000,
      );
    }
  },
);
