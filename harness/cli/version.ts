import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The installed package's version, read from the nearest package.json named faultline (sources and dist/ sit at different depths). */
export function faultlineVersion(): string {
  for (let dir = import.meta.dirname; dir !== dirname(dir); dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'faultline' && pkg.version !== undefined) return pkg.version;
  }
  return 'unknown';
}
