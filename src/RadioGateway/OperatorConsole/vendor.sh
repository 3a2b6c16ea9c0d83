#!/usr/bin/env bash
# Reproduces wwwroot/vendor/: the console's third-party assets, fetched from the npm registry with `npm pack`
# (no build step, no CDN at run time). Each package keeps its LICENSE beside the files the page loads.
set -euo pipefail
cd "$(dirname "$0")/wwwroot/vendor"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# name version: files (relative to the package root) to keep
fetch() {
  local name=$1 version=$2; shift 2
  local target="${name}-${version}"
  (cd "$work" && npm pack --silent "${name}@${version}" >/dev/null && mkdir -p "$target" && tar -xzf "${name}-${version}.tgz" -C "$target" --strip-components=1)
  rm -rf "$target" && mkdir -p "$target"
  for file in "$@"; do
    mkdir -p "$target/$(dirname "$file")"
    cp -r "$work/$target/$file" "$target/$file"
  done
  echo "$name@$version" > "$target/VERSION"
}

fetch leaflet 1.9.4 LICENSE dist/leaflet.js dist/leaflet.css dist/images
fetch vazirmatn 33.0.3 OFL.txt Vazirmatn-Variable-font-face.css "fonts/webfonts/Vazirmatn[wght].woff2"
fetch protomaps-leaflet 5.1.0 LICENSE dist/protomaps-leaflet.js
fetch world-atlas 2.0.2 LICENSE countries-110m.json
fetch topojson-client 3.1.0 LICENSE dist/topojson-client.min.js
