#!/usr/bin/env bash
# Vendor the front-end assets used by the server-rendered UI into
# web/static/vendor/, so that building/running the Go server needs no npm.
#
# Usage:
#   bash web/vendor.sh            # reproducible: npm ci from web/package-lock.json
#   bash web/vendor.sh --update   # npm install: (re)generate web/package-lock.json
#                                 # after changing versions in web/package.json
#
# The packages are installed in a temporary directory (never web/node_modules).
# web/static/vendor/ is wiped and recreated on every run, README.md included.
set -euo pipefail

WEB_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
OUT="$WEB_DIR/static/vendor"

# Font selection: weights x subsets (only files that exist in the package are used).
FONT_PKG="@fontsource/be-vietnam-pro"
FONT_ID="be-vietnam-pro"
FONT_WEIGHTS=(400 600 700)
FONT_SUBSETS=(vietnamese latin-ext latin)

UPDATE=0
case "${1:-}" in
  "") ;;
  --update) UPDATE=1 ;;
  -h|--help) sed -n '2,11p' "${BASH_SOURCE[0]}"; exit 0 ;;
  *) echo "vendor.sh: unknown argument: $1" >&2; exit 2 ;;
esac

command -v npm >/dev/null || { echo "vendor.sh: npm is required" >&2; exit 1; }
command -v node >/dev/null || { echo "vendor.sh: node is required" >&2; exit 1; }

TMP="$(mktemp -d "${TMPDIR:-/tmp}/dxtrack-vendor.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

cp "$WEB_DIR/package.json" "$TMP/"
NPM_FLAGS=(--ignore-scripts --no-audit --no-fund --loglevel=error)
if [[ $UPDATE -eq 0 && -f "$WEB_DIR/package-lock.json" ]]; then
  cp "$WEB_DIR/package-lock.json" "$TMP/"
  (cd "$TMP" && npm ci "${NPM_FLAGS[@]}")
else
  (cd "$TMP" && npm install --save-exact --omit-lockfile-registry-resolved=false "${NPM_FLAGS[@]}")
  cp "$TMP/package-lock.json" "$WEB_DIR/package-lock.json"
  echo "vendor.sh: wrote $WEB_DIR/package-lock.json"
fi

NM="$TMP/node_modules"
pkgver() { node -p "require('$NM/$1/package.json').version"; }
pkglic() { node -p "require('$NM/$1/package.json').license"; }
need() { [[ -f "$1" ]] || { echo "vendor.sh: missing expected file: $1" >&2; exit 1; }; }

rm -rf "$OUT"
mkdir -p "$OUT"

# --- htmx -------------------------------------------------------------------
need "$NM/htmx.org/dist/htmx.min.js"
cp "$NM/htmx.org/dist/htmx.min.js" "$OUT/htmx.min.js"
cp "$NM/htmx.org/LICENSE" "$OUT/htmx.LICENSE"

# --- echarts ----------------------------------------------------------------
need "$NM/echarts/dist/echarts.min.js"
cp "$NM/echarts/dist/echarts.min.js" "$OUT/echarts.min.js"
cp "$NM/echarts/LICENSE" "$OUT/echarts.LICENSE"
[[ -f "$NM/echarts/NOTICE" ]] && cp "$NM/echarts/NOTICE" "$OUT/echarts.NOTICE"
# Bundled third-party code inside echarts.min.js (d3 fragments, zrender).
[[ -f "$NM/echarts/licenses/LICENSE-d3" ]] && cp "$NM/echarts/licenses/LICENSE-d3" "$OUT/echarts.LICENSE-d3"
[[ -f "$NM/zrender/LICENSE" ]] && cp "$NM/zrender/LICENSE" "$OUT/zrender.LICENSE"

# --- Be Vietnam Pro (woff2 + fonts.css) ---------------------------------------
FONT_DIR="$NM/$FONT_PKG"
cp "$FONT_DIR/LICENSE" "$OUT/$FONT_ID.LICENSE"

# Parse the package's per-weight CSS (e.g. 400.css), which holds one @font-face
# per subset with its unicode-range, and emit our own fonts.css for the
# selected weights/subsets, pointing at the copied woff2 files (relative urls).
FONT_FILES="$(
  FONT_DIR="$FONT_DIR" OUT="$OUT" FONT_ID="$FONT_ID" FONT_PKG="$FONT_PKG" \
  FONT_VER="$(pkgver "$FONT_PKG")" \
  WEIGHTS="${FONT_WEIGHTS[*]}" SUBSETS="${FONT_SUBSETS[*]}" node - <<'JS'
const fs = require('fs');
const path = require('path');
const { FONT_DIR, OUT, FONT_ID, FONT_PKG, FONT_VER } = process.env;
const weights = process.env.WEIGHTS.split(' ');
const subsets = process.env.SUBSETS.split(' ');
let family = null;
const faces = [];
const copied = [];
for (const w of weights) {
  const cssPath = path.join(FONT_DIR, `${w}.css`);
  if (!fs.existsSync(cssPath)) { console.error(`vendor.sh: no ${cssPath}, skipping weight ${w}`); continue; }
  const css = fs.readFileSync(cssPath, 'utf8');
  const blocks = css.match(/@font-face\s*{[^}]*}/g) || [];
  for (const b of blocks) {
    const file = (b.match(/url\(\.\/files\/([^)]+?\.woff2)\)/) || [])[1];
    if (!file) continue;
    const m = file.match(new RegExp(`^${FONT_ID}-(.+)-${w}-normal\\.woff2$`));
    if (!m || !subsets.includes(m[1])) continue;
    const fam = (b.match(/font-family:\s*['"]?([^;'"]+)['"]?\s*;/) || [])[1];
    const range = (b.match(/unicode-range:\s*([^;]+);/) || [])[1];
    if (!fam || !range) throw new Error(`cannot parse @font-face for ${file} in ${cssPath}`);
    if (family && family !== fam) throw new Error(`unexpected family ${fam} (expected ${family})`);
    family = fam;
    const src = path.join(FONT_DIR, 'files', file);
    if (!fs.existsSync(src)) { console.error(`vendor.sh: missing ${src}, skipping`); continue; }
    fs.copyFileSync(src, path.join(OUT, file));
    copied.push(file);
    faces.push(`/* ${file.replace(/\.woff2$/, '')} */
@font-face {
  font-family: '${fam}';
  font-style: normal;
  font-display: swap;
  font-weight: ${w};
  src: url(./${file}) format('woff2');
  unicode-range: ${range.trim()};
}
`);
  }
}
if (!faces.length) throw new Error('no font faces generated');
const header = `/*
 * ${family} (${FONT_PKG}@${FONT_VER}), SIL Open Font License 1.1 - see ${FONT_ID}.LICENSE.
 * Generated by web/vendor.sh from the package's CSS; do not edit by hand.
 * Usage: font-family: '${family}', system-ui, sans-serif;
 */
`;
fs.writeFileSync(path.join(OUT, 'fonts.css'), header + '\n' + faces.join('\n'));
process.stdout.write(copied.join('\n') + '\n');
JS
)"

# --- README -----------------------------------------------------------------
HTMX_V="$(pkgver htmx.org)";  HTMX_L="$(pkglic htmx.org)"
EC_V="$(pkgver echarts)";     EC_L="$(pkglic echarts)"
ZR_V="$(pkgver zrender)";     ZR_L="$(pkglic zrender)"
FONT_V="$(pkgver "$FONT_PKG")"; FONT_L="$(pkglic "$FONT_PKG")"

{
  cat <<EOF
# Vendored front-end assets

Generated by \`web/vendor.sh\` from the exact versions pinned in
\`web/package.json\` / \`web/package-lock.json\`. Do not edit these files by hand;
recreate them (this README included) with:

    bash web/vendor.sh

(\`bash web/vendor.sh --update\` refreshes \`web/package-lock.json\` after a version
change in \`web/package.json\`.) npm is only needed to run that script, not to
build or run the Go server.

| File | npm package | Version | Licence |
|------|-------------|---------|---------|
| \`htmx.min.js\` | \`htmx.org\` (dist/htmx.min.js) | $HTMX_V | $HTMX_L |
| \`htmx.LICENSE\` | \`htmx.org\` (LICENSE) | $HTMX_V | $HTMX_L |
| \`echarts.min.js\` | \`echarts\` (dist/echarts.min.js; bundles \`zrender\` $ZR_V and d3 fragments) | $EC_V | $EC_L |
| \`echarts.LICENSE\` | \`echarts\` (LICENSE) | $EC_V | $EC_L |
EOF
  [[ -f "$OUT/echarts.NOTICE" ]] && echo "| \`echarts.NOTICE\` | \`echarts\` (NOTICE) | $EC_V | $EC_L |"
  [[ -f "$OUT/echarts.LICENSE-d3" ]] && echo "| \`echarts.LICENSE-d3\` | \`echarts\` (licenses/LICENSE-d3; d3 code embedded in echarts.min.js) | $EC_V | BSD-3-Clause |"
  [[ -f "$OUT/zrender.LICENSE" ]] && echo "| \`zrender.LICENSE\` | \`zrender\` (LICENSE; zrender is bundled in echarts.min.js) | $ZR_V | $ZR_L |"
  echo "| \`fonts.css\` | generated from \`$FONT_PKG\` CSS (unicode-range copied) | $FONT_V | $FONT_L |"
  while IFS= read -r f; do
    [[ -n "$f" ]] && echo "| \`$f\` | \`$FONT_PKG\` (files/$f) | $FONT_V | $FONT_L |"
  done <<<"$FONT_FILES"
  echo "| \`$FONT_ID.LICENSE\` | \`$FONT_PKG\` (LICENSE) | $FONT_V | $FONT_L |"
  cat <<EOF

Font family name for CSS: \`'Be Vietnam Pro'\` (weights ${FONT_WEIGHTS[*]}, normal
style, subsets ${FONT_SUBSETS[*]}). Include \`fonts.css\` and use e.g.
\`font-family: 'Be Vietnam Pro', system-ui, sans-serif;\`.
EOF
} >"$OUT/README.md"

echo "vendor.sh: wrote $OUT:"
(cd "$OUT" && ls -l | awk 'NR>1 {printf "  %9d  %s\n", $5, $9}')
