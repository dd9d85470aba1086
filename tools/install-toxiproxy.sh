#!/usr/bin/env bash
# Installs the pinned Toxiproxy server and CLI with `go install` (Toxiproxy is a
# Go module; the Go module proxy is the one source reachable everywhere we run).
# Idempotent: does nothing when the pinned version is already installed.
#
#   tools/install-toxiproxy.sh            # installs into $(go env GOPATH)/bin
#   GOBIN=/some/dir tools/install-toxiproxy.sh
set -euo pipefail

# Latest v2 release served by the Go module proxy (checked 2026-11-27).
# harness/engine/live/faults/toxiproxy.ts reads the same pin, keep them in step.
TOXIPROXY_VERSION="${TOXIPROXY_VERSION:-v2.12.0}"
MODULE="github.com/Shopify/toxiproxy/v2"

if ! command -v go >/dev/null 2>&1; then
  echo "install-toxiproxy: Go is not installed. Install Go 1.22+ (e.g. 'apt-get install golang' or https://go.dev/dl) and rerun, or run the ghcr.io/shopify/toxiproxy image and set TOXIPROXY_URL." >&2
  exit 1
fi

bin_dir="${GOBIN:-$(go env GOBIN)}"
if [ -z "$bin_dir" ]; then bin_dir="$(go env GOPATH)/bin"; fi
server="$bin_dir/toxiproxy-server"
cli="$bin_dir/toxiproxy-cli"

installed_version() {
  # `go version -m` reads the module version embedded in the binary, without running it.
  go version -m "$1" 2>/dev/null | awk '$1 == "mod" { print $3; exit }'
}

if [ -x "$server" ] && [ -x "$cli" ] \
  && [ "$(installed_version "$server")" = "$TOXIPROXY_VERSION" ] \
  && [ "$(installed_version "$cli")" = "$TOXIPROXY_VERSION" ]; then
  echo "install-toxiproxy: $TOXIPROXY_VERSION already installed: $server, $cli"
  exit 0
fi

tmp_bin="$(mktemp -d)"
trap 'rm -rf "$tmp_bin"' EXIT
echo "install-toxiproxy: building Toxiproxy $TOXIPROXY_VERSION (go install, about a minute on 2 cores)"
# go install names binaries after their package folder (server, cli); build into
# a scratch folder and rename, so we never clobber another tool called `server`.
GOBIN="$tmp_bin" GOFLAGS="${GOFLAGS:-} -trimpath" \
  go install "$MODULE/cmd/server@$TOXIPROXY_VERSION" "$MODULE/cmd/cli@$TOXIPROXY_VERSION"
mkdir -p "$bin_dir"
mv -f "$tmp_bin/server" "$server"
mv -f "$tmp_bin/cli" "$cli"
echo "install-toxiproxy: installed $TOXIPROXY_VERSION"
echo "  server: $server"
echo "  cli:    $cli"
case ":$PATH:" in
  *":$bin_dir:"*) ;;
  *) echo "  note: $bin_dir is not on PATH; Faultline finds it on PATH, in \$GOBIN or in \$(go env GOPATH)/bin" ;;
esac
