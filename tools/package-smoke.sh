#!/usr/bin/env bash
# The package as a team installs it: `npm pack` (which builds dist/), then a
# fresh project outside this checkout installs the tarball and runs what the
# README's "Use it in your repository" shows: a built-in scenario, its own
# scenario file, an assertScenario test in vitest, and a printed replay line.
# Node does not strip types under node_modules, so this catches any shipped
# `.ts` the sources-first checkout never notices.
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
work="$(mktemp -d "${TMPDIR:-/tmp}/faultline-package-smoke.XXXXXX")"
trap 'rm -rf "$work"' EXIT
step() { printf 'package-smoke: %s\n' "$*"; }
fail() { printf 'package-smoke: FAILED: %s\n' "$*" >&2; exit 1; }

step "node $(node --version), npm $(npm --version)"
cd "$repo"
tarball="$(npm pack --silent --pack-destination "$work" | tail -n 1)"
[ -f "$work/$tarball" ] || fail "npm pack wrote no tarball"
if tar -tzf "$work/$tarball" | grep -E '\.ts$' | grep -vE '\.d\.ts$' >/dev/null; then
  fail "the tarball ships TypeScript sources Node cannot run from node_modules: $(tar -tzf "$work/$tarball" | grep -E '\.ts$' | grep -vE '\.d\.ts$' | head -3 | tr '\n' ' ')"
fi
step "packed $tarball ($(du -k "$work/$tarball" | cut -f1) KiB)"

project="$work/shop-integration"
mkdir -p "$project/scenarios" "$project/test"
cd "$project"
cat > package.json <<'JSON'
{ "name": "shop-integration", "private": true, "type": "module" }
JSON
vitest_version="$(node -p "require('$repo/node_modules/vitest/package.json').version")"
npm install --no-audit --no-fund --prefer-offline --loglevel=error "$work/$tarball" "vitest@$vitest_version" >/dev/null
step "installed the tarball and vitest@$vitest_version"

# The README's example scenario, word for word: docs and package cannot drift apart.
sed -n '/<!-- user-scenario:start -->/,/<!-- user-scenario:end -->/p' "$repo/README.md" | sed '1,2d;$d' | sed '$d' > scenarios/webhook-chaos.ts
grep -q "defineScenario" scenarios/webhook-chaos.ts || fail "README's example scenario not found between its user-scenario markers"
sed -n '/<!-- user-test:start -->/,/<!-- user-test:end -->/p' "$repo/README.md" | sed '1,2d;$d' | sed '$d' > test/orders.test.ts
grep -q "assertScenario" test/orders.test.ts || fail "README's example test not found between its user-test markers"

npx faultline --version
npx faultline run happy-path --seed 1 > built-in.txt || { cat built-in.txt; fail "npx faultline run happy-path"; }
grep -q '^✓ happy-path' built-in.txt || fail "happy-path did not pass: $(head -1 built-in.txt)"
step "npx faultline run happy-path: $(head -1 built-in.txt | cut -c1-80)"

set +e
npx faultline run scenarios/webhook-chaos.ts --middleware naive --seed 7 > own.txt
own=$?
set -e
[ "$own" -eq 1 ] || { cat own.txt; fail "the README's scenario against naive should exit 1, got $own"; }
grep -q 'as expected' own.txt || { cat own.txt; fail "no 'as expected' verdict for the scenario's expect"; }
replay="$(sed -n 's/^  replay: //p' own.txt)"
[ -n "$replay" ] || fail "no replay line printed"
step "own scenario failed as expected; replaying: $replay"
# The line as printed, from another folder: a QA engineer pastes it from CI.
mkdir -p elsewhere && cp -r scenarios elsewhere/ && cd elsewhere
set +e
eval "$replay --out ../replayed" > ../replayed.txt
status=$?
set -e
cd ..
[ "$status" -eq 1 ] || { cat replayed.txt; fail "the replay line exited $status, not 1"; }
cmp -s reports/out/webhook-chaos/naive-seed7/history.jsonl replayed/history.jsonl || fail "the replayed history differs from the first run's"
npx faultline replay reports/out/webhook-chaos/naive-seed7/replay.json --out replay-file > replay-file.txt || true
grep -q 'byte-identical' replay-file.txt || { cat replay-file.txt; fail "faultline replay did not reproduce the history"; }
step "the replay line and replay.json reproduce the history byte for byte"

# The report inlines uPlot and its own code from the installed package: it must be written, offline, and rebuildable.
run_dir=reports/out/webhook-chaos/naive-seed7
grep -q '<svg class="swimlane"' "$run_dir/report.html" || fail "report.html of the failing run has no timeline"
grep -qE '<(script|link|img)[^>]* (src|href)="https?:' "$run_dir/report.html" && fail "report.html loads something from the network"
npx faultline report "$run_dir" > report.txt || { cat report.txt; fail "faultline report"; }
step "report.html written and rebuilt: $(wc -c < "$run_dir/report.html") bytes, $(grep -o '<svg class="swimlane"' "$run_dir/report.html" | wc -l) timelines"

# Property search in worker threads: the workers load compiled modules, not the sources.
npx faultline check happy-path --runs 4 --seed 1 --workers 2 --out check > check.txt 2>&1 || { cat check.txt; fail "faultline check with two workers"; }
step "faultline check --workers 2: $(grep -m1 -E 'PASS|passed' check.txt | cut -c1-80)"

npx vitest run --reporter=dot > vitest.txt 2>&1 || { cat vitest.txt; fail "the README's assertScenario test"; }
step "vitest: $(grep -E 'Tests' vitest.txt | sed 's/\x1b\[[0-9;]*m//g' | tr -s ' ')"

node --input-type=module -e "
  const api = await import('faultline');
  for (const name of ['defineScenario', 'assertScenario', 'runScenario', 'resolveMiddleware']) {
    if (typeof api[name] !== 'function') { console.error('missing export ' + name); process.exit(1); }
  }
" || fail "import('faultline') lacks its public API"
[ -f node_modules/faultline/dist/harness/index.d.ts ] || fail "no type declarations in the package"
step "passed"
