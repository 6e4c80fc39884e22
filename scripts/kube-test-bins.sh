#!/usr/bin/env bash
# Builds the real kube-apiserver and etcd the Kubernetes tests run against (no Kubernetes API
# server ships in Debian or on npm), from the Go module in test/kube-bins, and prints the folder
# that holds them. The folder is keyed by the Kubernetes and etcd versions plus a hash of the
# module and the build flags, so a changed module rebuilds and an unchanged one is reused at once.
# A build goes to a temporary folder that is renamed into place: the cache never holds half a build.
#   bash scripts/kube-test-bins.sh            # build or reuse; stdout: the folder
#   MCPG_KUBE_BINS=/some/cache bash scripts/kube-test-bins.sh
set -euo pipefail

root="$(cd "$(dirname "$0")/.." && pwd)"
mod="$root/test/kube-bins"
cache="${MCPG_KUBE_BINS:-$HOME/.cache/mcp-gitops-kube}"

if ! command -v go >/dev/null; then
  echo "kube-test-bins: 'go' is not on PATH; the Kubernetes tests need it to build kube-apiserver and etcd (Go >= 1.26)" >&2
  exit 1
fi

# The version go.mod requires (a `require m v` line or a line of a require block).
required_version() {
  awk -v m="$1" '{ for (i = 1; i < NF; i++) if ($i == m && $(i + 1) ~ /^v[0-9]/ && $(i - 1) != "=>") { print $(i + 1); exit } }' "$mod/go.mod"
}
k8s_version="$(required_version k8s.io/kubernetes)"
etcd_version="$(required_version go.etcd.io/etcd/server/v3)"
k8s_minor="$(echo "$k8s_version" | cut -d. -f2)"
if [ -z "$k8s_version" ] || [ -z "$etcd_version" ]; then
  echo "kube-test-bins: $mod/go.mod does not require k8s.io/kubernetes and go.etcd.io/etcd/server/v3" >&2
  exit 1
fi

ldflags="-s -w"
for kv in "gitVersion=$k8s_version" "gitMajor=1" "gitMinor=$k8s_minor" "gitTreeState=clean"; do
  ldflags+=" -X k8s.io/component-base/version.$kv"
done

hash="$( { cat "$mod/go.mod" "$mod/go.sum" "$mod/etcd/main.go"; echo "$ldflags"; } | sha256sum | cut -c1-10)"
dest="$cache/$k8s_version-$etcd_version-$hash"

if [ -x "$dest/kube-apiserver" ] && [ -x "$dest/etcd" ]; then
  echo "$dest"
  exit 0
fi

mkdir -p "$cache"
# One build at a time: a second caller (another test file, CI) waits and then reuses the result.
exec 9>"$cache/.lock"
flock 9
if [ -x "$dest/kube-apiserver" ] && [ -x "$dest/etcd" ]; then
  echo "$dest"
  exit 0
fi

tmp="$(mktemp -d "$cache/.build-XXXXXX")"
chmod 755 "$tmp"
trap 'rm -rf "$tmp"' EXIT
echo "kube-test-bins: building kube-apiserver $k8s_version and etcd $etcd_version into $dest (a cold build takes many minutes)" >&2
start=$SECONDS
(
  cd "$mod"
  export CGO_ENABLED=0 GOFLAGS=-buildvcs=false
  go build -trimpath -ldflags "$ldflags" -o "$tmp/kube-apiserver" k8s.io/kubernetes/cmd/kube-apiserver
  go build -trimpath -ldflags "-s -w" -o "$tmp/etcd" ./etcd
)
rm -rf "$dest"
mv "$tmp" "$dest"
trap - EXIT
echo "kube-test-bins: built in $((SECONDS - start)) s" >&2
echo "$dest"
