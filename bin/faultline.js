#!/usr/bin/env node
// Plain JavaScript on purpose: an old Node cannot load the TypeScript sources,
// so the version check must come before the first `.ts` import, in a file every
// Node parses. Keep this file free of syntax newer than Node 18.
import { existsSync } from 'node:fs';
import module from 'node:module';
import { fileURLToPath } from 'node:url';

const SUPPORTED = '22.22.2 or newer 22.x, or 24.15.0 and newer';
const [major = 0, minor = 0, patch = 0] = process.versions.node.split('.').map(Number);
const supported =
  (major === 22 && (minor > 22 || (minor === 22 && patch >= 2))) || (major === 24 && minor >= 15) || major > 24;
if (!supported) {
  process.stderr.write(
    `faultline: Node.js ${process.versions.node} is too old; Faultline needs Node.js ${SUPPORTED} (e.g. "nvm install 24", then run again)\n`,
  );
  process.exit(2);
}

// "faultline list | head" closes the pipe early; that is the reader's choice, not a failure.
process.stdout.on('error', (error) => {
  if (error.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  throw error;
});

// Every start compiles the same few hundred modules (in a checkout, type-stripped first); V8's code cache on disk
// (os.tmpdir()/node-compile-cache, or NODE_COMPILE_CACHE; NODE_DISABLE_COMPILE_CACHE=1 turns it off) makes loading
// them about three times cheaper from the second run on. Search worker threads use the same directory (worker-pool.ts).
module.enableCompileCache?.();

// A checkout runs its TypeScript sources directly; the published package
// carries only the JavaScript that "npm run build" emitted into dist/.
const source = new URL('../harness/cli/main.ts', import.meta.url);
const entry = existsSync(fileURLToPath(source)) ? source : new URL('../dist/harness/cli/main.js', import.meta.url);
const { main } = await import(entry.href);
process.exitCode = await main(process.argv.slice(2));
