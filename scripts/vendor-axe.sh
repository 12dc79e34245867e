#!/usr/bin/env bash
# Vendor axe-core's minified build, and its licence, for the browser tests' accessibility checks.
#   scripts/vendor-axe.sh 4.14.1    writes tests/browser/vendor/axe-core-4.14.1.min.js
#                                   and tests/browser/vendor/axe-core-4.14.1.LICENSE (MPL-2.0),
#                                   and records where they came from in tests/browser/vendor/README.md
# Fetches the package from the npm registry with `npm pack`; nothing is installed.
# Run it again with a new version to upgrade, then remove the old files and update
# AXE_VERSION in tests/browser/axe.py.
set -euo pipefail
cd "$(dirname "$0")/.."

version=${1:-}
if [ -z "$version" ]; then
  echo "usage: scripts/vendor-axe.sh VERSION   (the newest: npm view axe-core version)" >&2
  exit 2
fi
command -v npm >/dev/null || { echo "vendor-axe: npm is needed (apt-get install npm)" >&2; exit 1; }

dest=tests/browser/vendor
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

( cd "$tmp" && npm pack --silent "axe-core@$version" >/dev/null ) ||
  { echo "vendor-axe: npm could not fetch axe-core@$version" >&2; exit 1; }
tarball=$(ls "$tmp"/axe-core-*.tgz)
tar -xzf "$tarball" -C "$tmp" package/axe.min.js package/LICENSE package/package.json

packed=$(sed -n 's/^ *"version": *"\([^"]*\)".*/\1/p' "$tmp/package/package.json" | head -n 1)
if [ "$packed" != "$version" ]; then
  echo "vendor-axe: asked for $version, npm gave $packed" >&2
  exit 1
fi

mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$dest/axe-core-$version.min.js"
cp "$tmp/package/LICENSE" "$dest/axe-core-$version.LICENSE"
integrity=$(cd "$tmp" && npm view --silent "axe-core@$version" dist.integrity 2>/dev/null || true)
{
  echo "# Vendored for the browser tests"
  echo
  echo "axe-core $version (Deque Systems, MPL-2.0; licence in \`axe-core-$version.LICENSE\`),"
  echo "\`package/axe.min.js\` from \`npm pack axe-core@$version\`, unmodified."
  echo "Used by \`tests/browser/axe.py\`. To change version: \`scripts/vendor-axe.sh VERSION\`,"
  echo "delete the old files, and set \`AXE_VERSION\` in \`tests/browser/axe.py\`."
  echo
  echo "npm integrity: ${integrity:-unknown}"
  echo
  echo "sha256:"
  echo
  echo '```'
  (cd "$dest" && sha256sum "axe-core-$version.min.js" "axe-core-$version.LICENSE")
  echo '```'
} >"$dest/README.md"
echo "vendored axe-core $version into $dest:"
ls -l "$dest/axe-core-$version.min.js" "$dest/axe-core-$version.LICENSE" "$dest/README.md"
