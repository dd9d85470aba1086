/**
 * Compares the chatter a flow leaves behind on the emulator with what a real
 * Odoo logged for the same flow: every mail.message after the fresh database's
 * own, with its subtype and tracking values. Message ids are what message_post
 * answers, so the two lists must match in count and order, not only in content.
 * A developer tool:
 *
 *   node simulators/odoo/conformance/chatter-diff.ts [flow-prefix]            # emulator only
 *   ODOO_URL=… ODOO_DB=… ODOO_RESET_COMMAND=… node …/chatter-diff.ts 20    # also the real server (ODOO_YEAR: its year, if not the recording's)
 *
 * The real server's lists are cached in $CHATTER_CACHE (default /tmp/faultline-chatter), one file per flow.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createOdooEmulator } from '../index.ts';
import { testContext } from '../test/context.ts';
import { recordedEpochMs } from './known-gaps.ts';
import { httpTarget, inProcessTarget, objectCall, replayTranscript, send, type ReplayTarget } from './replay.ts';
import { loadTranscript, TRANSCRIPTS_DIR, transcriptFiles } from './transcript.ts';

/** A fresh 17.0 database (sale_management, stock, account, no demo) holds this many messages already. */
const FRESH_MESSAGES = 8;

const name = (value: unknown): unknown => (Array.isArray(value) ? value[1] : value);
const text = (body: unknown): string =>
  typeof body === 'string'
    ? body
        .replace(/<[^>]+>/g, ' ')
        .replace(/\s+/g, ' ')
        .trim()
        .slice(0, 70)
    : String(body);

async function chatter(target: ReplayTarget, uid: number, offset: number): Promise<string[]> {
  const messages = (await objectCall(target, uid, 'mail.message', 'search_read', [[['id', '>', offset]]], {
    fields: ['model', 'res_id', 'message_type', 'subtype_id', 'body', 'tracking_value_ids'],
    order: 'id',
  })) as Record<string, unknown>[];
  const lines: string[] = [];
  for (const message of messages) {
    const ids = message.tracking_value_ids as number[];
    let tracking = '';
    if (ids.length > 0) {
      const values = (await objectCall(target, uid, 'mail.tracking.value', 'read', [ids], {
        fields: [
          'field_id',
          'old_value_char',
          'new_value_char',
          'old_value_float',
          'new_value_float',
          'old_value_integer',
          'new_value_integer',
          'old_value_datetime',
          'new_value_datetime',
        ],
      })) as Record<string, unknown>[];
      tracking =
        ' ' +
        values
          .map((v) => {
            const field = String(name(v.field_id)).replace(/ \(.*\)$/, '');
            const dt = v.old_value_datetime !== false || v.new_value_datetime !== false;
            const old = v.old_value_char || v.old_value_float || v.old_value_integer || (dt ? (v.old_value_datetime === false ? '' : 'dt') : '') || '';
            const neu = v.new_value_char || v.new_value_float || v.new_value_integer || (dt ? (v.new_value_datetime === false ? '' : 'dt') : '') || '';
            return `[${field}: ${String(old)} → ${String(neu)}]`;
          })
          .join('');
    }
    lines.push(
      `${String(message.id)} ${String(message.model)}#${String(message.res_id)} ${String(message.message_type)}/${String(name(message.subtype_id))} "${text(message.body)}"${tracking}`,
    );
  }
  return lines;
}

async function run(transcriptFile: string, target: ReplayTarget, offset: number): Promise<string[]> {
  const transcript = loadTranscript(join(TRANSCRIPTS_DIR, transcriptFile));
  await replayTranscript(transcript, target);
  const auth = await send(target, { transport: 'xmlrpc', service: 'common', method: 'authenticate' }, [target.db, target.login, target.password, {}]);
  return chatter(target, (auth as { ok: number }).ok, offset);
}

const only = process.argv[2];
const cache = process.env.CHATTER_CACHE ?? '/tmp/faultline-chatter';
mkdirSync(cache, { recursive: true });
for (const file of transcriptFiles()) {
  if (only !== undefined && !file.startsWith(only)) continue;
  const transcript = loadTranscript(join(TRANSCRIPTS_DIR, file));
  const emulator = createOdooEmulator(testContext({ epochMs: recordedEpochMs(transcript) }), { db: 'faultline' });
  const mine =
    process.env.REAL_ONLY === '1'
      ? []
      : await run(file, inProcessTarget(emulator, { db: 'faultline', year: transcript.recorded.date.slice(0, 4) }), FRESH_MESSAGES);
  const cached = join(cache, file);
  let real: string[] | undefined;
  if (existsSync(cached)) real = JSON.parse(readFileSync(cached, 'utf8')) as string[];
  else if (process.env.ODOO_URL !== undefined) {
    if (process.env.ODOO_RESET_COMMAND !== undefined) spawnSync(process.env.ODOO_RESET_COMMAND, { shell: true, stdio: 'ignore' });
    real = await run(
      file,
      httpTarget({
        url: process.env.ODOO_URL,
        db: process.env.ODOO_DB ?? 'odoo',
        login: 'admin',
        password: 'admin',
        year: process.env.ODOO_YEAR ?? transcript.recorded.date.slice(0, 4),
      }),
      FRESH_MESSAGES,
    );
    writeFileSync(cached, JSON.stringify(real, null, 1));
  }
  const strip = (line: string): string => line.replace(/^\d+ /, '').replace(/#\d+/, '#');
  const same = real !== undefined && real.length === mine.length && real.every((line, i) => strip(line) === strip(mine[i]!));
  console.log(`== ${file}: emulator ${mine.length} messages${real === undefined ? '' : `, real ${real.length}${same ? ' (same)' : ''}`}`);
  if (same || process.env.QUIET === '1') continue;
  const width = Math.max(real?.length ?? 0, mine.length);
  for (let i = 0; i < width; i++) {
    const r = real?.[i] ?? '';
    const m = mine[i] ?? '';
    console.log(`${strip(r) === strip(m) ? '  ' : '≠ '}R ${r}\n  E ${m}`);
  }
}
