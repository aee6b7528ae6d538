#!/usr/bin/env bash
# Installs the Go corpus (Debian golang-*-dev packages, sources under /usr/share/gocode/src) and
# compares `census go packages` with `go list -e -json` on it and on the Go 1.19 tree.
#
#   bench/go-source-corpus.sh [CENSUS]     (default .build-release/release/census, else .build/debug/census)
#
# Needs root for apt-get (skipped when the packages are already there), golang-go and
# golang-1.19-src. Prints one RESULT line per tree; exits 1 when a tree differs.
set -euo pipefail
cd "$(dirname "$0")/.."
CENSUS=${1:-}
if [[ -z "$CENSUS" ]]; then
    if [[ -x .build-release/release/census ]]; then CENSUS=.build-release/release/census; else CENSUS=.build/debug/census; fi
fi
# The five named in issue 16 pull in the rest as dependencies (61 golang-*-dev packages in all
# on Debian 12); a few more that others depend on are named so the set does not shrink.
PACKAGES=(
    golang-github-prometheus-client-golang-dev golang-google-grpc-dev golang-google-protobuf-dev
    golang-gopkg-yaml.v3-dev golang-github-spf13-cobra-dev golang-github-stretchr-testify-dev
    golang-golang-x-net-dev golang-golang-x-sys-dev golang-github-google-go-cmp-dev
    golang-github-sirupsen-logrus-dev golang-github-spf13-viper-dev golang-github-pkg-sftp-dev
)
missing=()
for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
if (( ${#missing[@]} )); then
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
fi
echo "golang-*-dev packages installed: $(dpkg -l | awk '/^ii  golang-.*-dev/' | wc -l)"
status=0
python3 bench/go-source-compare.py "$CENSUS" /usr/lib/go-1.19/src || status=1
python3 bench/go-source-compare.py "$CENSUS" /usr/share/gocode/src --gopath /usr/share/gocode || status=1
exit $status
