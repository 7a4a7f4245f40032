#!/usr/bin/env bash
# Build the PyInstaller bundle and start it offscreen with --version (too slow for CI's
# test run, so a script): `bash bench/bundle_smoke.sh`. Needs `pip install -e '.[bundle]'`.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=${PYTHON:-.venv/bin/python}
"$PY" -m PyInstaller --version >/dev/null 2>&1 || "$PY" -m pip install -q 'pyinstaller>=6'
start=$(date +%s)
"$PY" -m PyInstaller --noconfirm --log-level WARN --distpath dist --workpath build/pyinstaller build.spec
echo "bundle built in $(( $(date +%s) - start )) s: $(du -sh dist/exiftree-desktop | cut -f1)"
out=$(QT_QPA_PLATFORM=offscreen dist/exiftree-desktop/exiftree-desktop --version)
echo "bundle says: $out"
case "$out" in exiftree\ *) echo "bundle smoke test: OK" ;; *) echo "unexpected output" >&2; exit 1 ;; esac
# and the whole app starts from the bundle: migrations and resources found, no traceback
home=$(mktemp -d)
set +e
QT_QPA_PLATFORM=offscreen timeout 15 dist/exiftree-desktop/exiftree-desktop --catalog "$home/catalog" \
  >"$home/log" 2>&1
set -e
if grep -q Traceback "$home/log" || [ ! -f "$home/catalog/catalog.sqlite" ]; then
  cat "$home/log" >&2; echo "the bundled app did not start cleanly" >&2; exit 1
fi
echo "bundled app started offscreen and created its catalog: OK"
rm -rf "$home"
