#!/usr/bin/env bash
# Debian packages ExifTree needs: Qt's runtime libraries, and for tests Chromium (Playwright
# drives Debian's browser; we never run `playwright install`), java for the Nu HTML checker,
# exiftool (the metadata tests write XMP/IPTC/EXIF with it) and a running PostgreSQL.
#
# Qt's libraries are found by asking the linker what the installed Qt xcb platform plugin
# lacks (ldd), so a new PySide6 release that needs another library cannot silently break
# `make run`: a missing libfoo-bar.so.N is Debian's package libfoo-bar<N> (libfoo1-N when the
# name ends in a digit). tests/desktop/test_qt_runtime.py checks the same thing.
set -euo pipefail
what=${1:-runtime}
cd "$(dirname "$0")/.."

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

# The Debian package that ships a shared library, by Debian's naming policy.
package_of() {
  local base=${1%%.so.*} version=${1##*.so.}
  base=$(printf '%s' "$base" | tr '[:upper:]' '[:lower:]')
  if [[ $base =~ [0-9]$ ]]; then echo "$base-$version"; else echo "$base$version"; fi
}

need=()
# the linker's cache, read once (piping it into `grep -q` under pipefail fails at random:
# grep exits at the first match and ldconfig dies of SIGPIPE)
known=$(ldconfig -p)
python=.venv/bin/python
[ -x "$python" ] || python=python3
qt=$("$python" -c 'import os, PySide6; print(os.path.dirname(PySide6.__file__))' 2>/dev/null || true)
if [ -n "$qt" ] && [ -d "$qt/Qt" ]; then
  # every library the xcb platform plugin (and Qt's libraries under it) cannot find
  mapfile -t missing < <(
    ldd "$qt/Qt/plugins/platforms/libqxcb.so" "$qt"/Qt/lib/libQt6*.so.6 2>/dev/null \
      | awk '/=> not found/ {print $1}' | sort -u
  )
  for lib in "${missing[@]}"; do need+=("$(package_of "$lib")"); done
  # and every library the plugin names inside (Qt dlopens some at run time, which ldd cannot
  # see: libxcb-cursor0 is the one Qt's own error message names)
  mapfile -t named < <(
    grep -aohE 'lib[A-Za-z0-9_+-]+\.so\.[0-9]+' "$qt/Qt/plugins/platforms/libqxcb.so" \
      "$qt/Qt/lib/libQt6XcbQpa.so.6" 2>/dev/null | sort -u
  )
  for lib in "${named[@]}"; do
    [ -e "$qt/Qt/lib/$lib" ] || grep -qF "$lib " <<<"$known" || need+=("$(package_of "$lib")")
  done
fi
for lib in libEGL.so.1 libGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 \
           libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1; do
  grep -qF "$lib " <<<"$known" || need+=("$(package_of "$lib")")
done
if [ "$what" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
  command -v java >/dev/null || need+=(default-jre-headless)  # the Nu HTML checker (vnu.jar)
  command -v exiftool >/dev/null || need+=(libimage-exiftool-perl)  # metadata tests write files
fi
if [ ${#need[@]} -gt 0 ]; then
  mapfile -t uniq < <(printf '%s\n' "${need[@]}" | sort -u)
  echo "installing Debian packages: ${uniq[*]}"
  sudo_ apt-get update -qq
  DEBIAN_FRONTEND=noninteractive sudo_ apt-get install -y -qq --no-install-recommends "${uniq[@]}" >/dev/null
fi

if [ "$what" = test ] && [ -z "${EXIFTREE_TEST_DATABASE_URL:-}" ]; then
  if ! pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; then
    echo "starting PostgreSQL"
    sudo_ pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -1)" main start
    for _ in $(seq 50); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 0.2; done
  fi
fi
