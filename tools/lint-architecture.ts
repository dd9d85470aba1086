import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { checkFile } from './architecture-rules.ts';

const root = join(import.meta.dirname, '..');
const roots = ['harness', 'simulators', 'middleware', 'scenarios', 'reports', 'bin', 'bench', 'testing'];

function* typescriptFiles(dir: string): Generator<string> {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return;
  }
  for (const name of entries) {
    if (name === 'node_modules' || name === 'out') continue;
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* typescriptFiles(path);
    else if (name.endsWith('.ts')) yield path;
  }
}

let count = 0;
const violations = [];
for (const top of roots) {
  for (const path of typescriptFiles(join(root, top))) {
    count++;
    const file = relative(root, path).split(sep).join('/');
    violations.push(...checkFile(file, readFileSync(path, 'utf8')));
  }
}
for (const v of violations) console.error(`${v.file}:${v.line}: [${v.rule}] ${v.message}`);
if (violations.length > 0) {
  console.error(`lint: ${violations.length} violation(s) in ${count} files`);
  process.exit(1);
}
console.log(`lint: ${count} files keep the import direction and determinism rules`);
