import type { OdooClient, OdooRecord } from '../client.ts';
import { CATALOGUE } from '../../world/catalogue.ts';
import { INTEGRATION_USER } from '../../contracts/identities.ts';
import { EXIT, type ExitCoded } from '../../core/exit-codes.ts';

/**
 * Which records in somebody else's Odoo are Faultline's. Faultline marks what
 * it creates with external ids in its own module, `__faultline__` (Odoo's
 * usual way to name records: `__import__` and `__export__` do the same), so it
 * can tell its records from foreign ones with the same code, refuse to adopt
 * the foreign ones, and remove exactly its own afterwards.
 */
export const OWNER_MODULE = '__faultline__';

/** The integration user's login (simulators/CONTRACTS.md). */

export interface OwnedRecord {
  model: string;
  id: number;
  /** What a person knows the record by: a sku, a login. */
  key: string;
}

interface ModelData extends OdooRecord {
  name: string;
  model: string;
  res_id: number;
}

/** The records Faultline's master data consists of, as they are in the database now. */
export async function findMasterData(client: OdooClient): Promise<OwnedRecord[]> {
  const skus = CATALOGUE.map((p) => p.sku);
  // Archived ones too: a previous cleanup archives what it cannot delete.
  const context = { active_test: false };
  const products = await client.searchRead<{ id: number; default_code: string | false }>('product.product', [['default_code', 'in', skus]], {
    fields: ['default_code'],
    context,
  });
  const users = await client.searchRead<{ id: number; login: string }>('res.users', [['login', '=', INTEGRATION_USER.login]], { fields: ['login'], context });
  return [
    ...products.map((p) => ({ model: 'product.product', id: p.id, key: String(p.default_code) })),
    ...users.map((u) => ({ model: 'res.users', id: u.id, key: u.login })),
  ];
}

async function readMarks(client: OdooClient): Promise<ModelData[]> {
  return client.searchRead<ModelData>('ir.model.data', [['module', '=', OWNER_MODULE]], { fields: ['name', 'model', 'res_id'] });
}

/** Records that carry Faultline's codes but were not created by Faultline. */
export async function findForeignRecords(client: OdooClient): Promise<OwnedRecord[]> {
  const [records, marks] = await Promise.all([findMasterData(client), readMarks(client)]);
  const owned = new Set(marks.map((m) => `${m.model}:${m.res_id}`));
  return records.filter((r) => !owned.has(`${r.model}:${r.id}`));
}

export class ForeignRecordsError extends Error implements ExitCoded {
  readonly exitCode = EXIT.usage;
  readonly records: readonly OwnedRecord[];
  constructor(db: string, records: readonly OwnedRecord[]) {
    const list = records.map((r) => `${r.model} ${r.key} (id ${r.id})`).join(', ');
    super(
      `Odoo database "${db}" already holds records with Faultline's codes that Faultline did not create: ${list}. ` +
        'Faultline will not adopt or change them. Rename or archive them, or use another (test) database.',
    );
    this.name = 'ForeignRecordsError';
    this.records = records;
  }
}

export async function assertNoForeignRecords(client: OdooClient, db: string): Promise<void> {
  const foreign = await findForeignRecords(client);
  if (foreign.length > 0) throw new ForeignRecordsError(db, foreign);
}

/** Marks the master data now in the database as Faultline's. Call after the bootstrap created it. */
export async function markMasterData(client: OdooClient, alsoOwned: readonly OwnedRecord[] = []): Promise<number> {
  const [found, marks] = await Promise.all([findMasterData(client), readMarks(client)]);
  const records = [...found, ...alsoOwned];
  const marked = new Set(marks.map((m) => `${m.model}:${m.res_id}`));
  let created = 0;
  for (const record of records) {
    if (marked.has(`${record.model}:${record.id}`)) continue;
    await client.create('ir.model.data', { module: OWNER_MODULE, name: xmlName(record), model: record.model, res_id: record.id, noupdate: true });
    created += 1;
  }
  return created;
}

export interface CleanupReport {
  deleted: OwnedRecord[];
  /** Records Odoo would not delete (a product on an order, a user with history) are archived instead. */
  archived: OwnedRecord[];
}

/**
 * Removes the records Faultline marked as its own, and only those. Documents a
 * run created (orders, pickings, invoices) stay: Odoo keeps accounting records,
 * and they carry the run's correlation ids for anyone who wants to look.
 */
export async function removeMasterData(client: OdooClient): Promise<CleanupReport> {
  const marks = await readMarks(client);
  const report: CleanupReport = { deleted: [], archived: [] };
  for (const mark of marks) {
    const record = { model: mark.model, id: mark.res_id, key: mark.name };
    try {
      await client.executeKw(mark.model, 'unlink', [[mark.res_id]]);
      report.deleted.push(record);
      await client.executeKw('ir.model.data', 'unlink', [[mark.id]]);
    } catch {
      // Keep the mark: an archived record is still ours, and the next cleanup may delete it.
      await client.write(mark.model, [mark.res_id], { active: false });
      report.archived.push(record);
    }
  }
  return report;
}

function xmlName(record: OwnedRecord): string {
  return `${record.model.replace(/\./g, '_')}_${record.key.toLowerCase().replace(/[^a-z0-9]+/g, '_')}`;
}

/**
 * Unarchives Faultline's own records that a previous cleanup could only
 * archive, so the bootstrap finds them again instead of colliding with them
 * (a login is unique, archived or not).
 */
export async function reviveMasterData(client: OdooClient): Promise<number> {
  const marks = await readMarks(client);
  const byModel = new Map<string, number[]>();
  for (const mark of marks) byModel.set(mark.model, [...(byModel.get(mark.model) ?? []), mark.res_id]);
  let revived = 0;
  for (const [model, ids] of byModel) {
    const archived = await client.searchRead(
      model,
      [
        ['id', 'in', ids],
        ['active', '=', false],
      ],
      { fields: ['id'], context: { active_test: false } },
    );
    if (archived.length === 0) continue;
    await client.write(
      model,
      archived.map((r) => r.id),
      { active: true },
    );
    revived += archived.length;
  }
  return revived;
}

/**
 * What the bootstrap created besides products and the user: a sale tax and a
 * payment term when the database had none. Existing ones it only reads, and
 * they stay foreign.
 */
export function createdByBootstrap(result: unknown): OwnedRecord[] {
  if (result === null || typeof result !== 'object') return [];
  const { changes, saleTaxId, paymentTermId } = result as { changes?: unknown; saleTaxId?: unknown; paymentTermId?: unknown };
  if (!Array.isArray(changes)) return [];
  const owned: OwnedRecord[] = [];
  const created = (prefix: string) => changes.some((c) => typeof c === 'string' && c.startsWith(prefix) && !c.includes(':'));
  if (typeof saleTaxId === 'number' && created('account.tax ')) owned.push({ model: 'account.tax', id: saleTaxId, key: 'sale tax' });
  if (typeof paymentTermId === 'number' && created('account.payment.term '))
    owned.push({ model: 'account.payment.term', id: paymentTermId, key: 'payment term' });
  return owned;
}
