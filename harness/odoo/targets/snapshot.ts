import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import type { OdooDbService } from './db-service.ts';

/**
 * Installing sale_management, stock and account into a new database takes
 * minutes; copying a database takes seconds. So a real Odoo is provisioned
 * once into a template database, and every run or suite gets a copy of it
 * (`duplicate_database`: CREATE DATABASE … TEMPLATE, plus the filestore).
 * Between processes, when the containers are new, the template comes back
 * from a dump kept on disk (`restore` is also much faster than installing).
 */

export type TemplateOrigin = 'present' | 'restored' | 'provisioned';

export interface TemplateOptions {
  dbService: OdooDbService;
  template: string;
  /** Makes `template` ready (create, install, bootstrap); idempotent. */
  provision: (db: string) => Promise<void>;
  /** Where the dump lives between runs; `undefined` keeps no dump. */
  cacheFile?: string | undefined;
  log?: (line: string) => void;
}

/** Makes sure the template database exists and is provisioned; says where it came from. */
export async function ensureTemplate(options: TemplateOptions): Promise<TemplateOrigin> {
  const { dbService, template, cacheFile } = options;
  const log = options.log ?? (() => {});
  if (await dbService.exists(template)) return 'present';
  const dump = cacheFile === undefined ? undefined : await readFile(cacheFile, 'utf8').catch(() => undefined);
  if (dump !== undefined) {
    log(`restoring ${template} from ${cacheFile}`);
    await dbService.restore(template, dump);
    // Idempotent: only what the bootstrap gained since the dump was taken gets added.
    await options.provision(template);
    return 'restored';
  }
  log(`provisioning ${template} (first time: installing modules takes a few minutes)`);
  await options.provision(template);
  if (cacheFile !== undefined) {
    log(`keeping a dump of ${template} in ${cacheFile} for the next runs`);
    await writeAtomically(cacheFile, await dbService.dump(template));
  }
  return 'provisioned';
}

/** A fresh copy of the template under `db`, replacing any database of that name. */
export async function copyTemplate(dbService: OdooDbService, template: string, db: string): Promise<void> {
  if (db === template) throw new Error(`the working database cannot be the template itself ("${template}"): runs would change the snapshot`);
  if (await dbService.exists(db)) await dbService.drop(db);
  await dbService.duplicate(template, db);
}

/**
 * Names the dump after everything that shapes the template, so a new image or
 * module list never restores an old dump.
 */
export function snapshotKey(parts: Readonly<Record<string, unknown>>): string {
  return createHash('sha256')
    .update(JSON.stringify(Object.entries(parts).sort(([a], [b]) => (a < b ? -1 : 1))))
    .digest('hex')
    .slice(0, 16);
}

export function defaultSnapshotDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  return join(env['XDG_CACHE_HOME'] ?? join(homedir(), '.cache'), 'faultline', 'odoo-snapshots');
}

async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const partial = `${file}.${process.pid}.partial`;
  await writeFile(partial, content, 'utf8');
  // A run killed mid-write leaves a .partial, never a truncated dump that would be restored.
  await rename(partial, file);
}
