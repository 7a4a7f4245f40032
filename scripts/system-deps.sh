#!/usr/bin/env bash
# Debian packages ExifTree needs: Qt's runtime libraries, and for tests Chromium (Playwright
# drives Debian's browser; we never run `playwright install`), exiftool (the metadata tests
# write XMP/IPTC/EXIF with it) and a running PostgreSQL.
set -euo pipefail
what=${1:-runtime}

sudo_() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

need=()
for lib in libEGL.so.1 libxkbcommon.so.0 libfontconfig.so.1 libdbus-1.so.3 libxcb-cursor.so.0; do
  ldconfig -p | grep -q "$lib" || need+=(libegl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libxcb-cursor0 libgl1)
done
if [ "$what" = test ]; then
  [ -x /usr/bin/chromium ] || need+=(chromium)
  fc-list 2>/dev/null | grep -qi dejavu || need+=(fonts-dejavu-core)
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
