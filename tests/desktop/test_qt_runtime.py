"""`make run` on a fresh Debian machine: every library Qt's xcb plugin needs is installed.

A new PySide6 release can add a library the X11 platform plugin links against; Qt then
refuses to start with a message that blames another library. `scripts/system-deps.sh
runtime` installs what `ldd` says is missing; this test fails if anything still is.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import PySide6
import pytest

QT = Path(PySide6.__file__).parent / "Qt"
_SONAME = re.compile(rb"lib[A-Za-z0-9_+-]+\.so\.[0-9]+")


def _unresolved(binary: Path) -> set[str]:
    out = subprocess.run(["ldd", str(binary)], capture_output=True, text=True, check=False)
    return {line.split()[0] for line in out.stdout.splitlines() if "=> not found" in line}


@pytest.mark.skipif(shutil.which("ldd") is None, reason="ldd is Linux-only")
def test_the_x11_platform_plugin_finds_every_library_it_needs() -> None:
    plugin = QT / "plugins" / "platforms" / "libqxcb.so"
    assert plugin.is_file(), f"PySide6 ships no xcb platform plugin at {plugin}"
    missing = _unresolved(plugin) | _unresolved(QT / "lib" / "libQt6XcbQpa.so.6")
    assert not missing, (
        f"Qt's xcb plugin cannot load without {sorted(missing)}: "
        "run `bash scripts/system-deps.sh runtime`"
    )


@pytest.mark.skipif(shutil.which("ldconfig") is None, reason="ldconfig is Linux-only")
def test_every_library_the_plugin_names_can_be_found_even_those_qt_loads_at_run_time() -> None:
    """Qt dlopens some libraries only when the window starts (libxcb-cursor0, the one its
    error message names), so ldd cannot see them: every ``lib*.so.N`` named inside the
    plugin must be bundled with Qt or known to the dynamic linker."""
    binaries = [QT / "plugins" / "platforms" / "libqxcb.so", QT / "lib" / "libQt6XcbQpa.so.6"]
    named = {m.decode() for b in binaries for m in _SONAME.findall(b.read_bytes())}
    assert "libxcb-cursor.so.0" in named  # the scan does see run-time names
    cache = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, check=True)
    known = {line.split()[0] for line in cache.stdout.splitlines()[1:] if line.strip()}
    missing = sorted(n for n in named if n not in known and not (QT / "lib" / n).exists())
    assert not missing, f"Qt cannot start without {missing}: run `bash scripts/system-deps.sh`"


def test_system_deps_names_debian_packages_by_their_policy() -> None:
    script = Path(__file__).resolve().parents[2] / "scripts" / "system-deps.sh"
    body = script.read_text()
    start = body.index("package_of()")
    function = body[start : body.index("\n}\n", start) + 3]
    libs = ["libxcb-icccm.so.4", "libEGL.so.1", "libdbus-1.so.3", "libxkbcommon-x11.so.0"]
    code = function + "".join(f"package_of {lib}\n" for lib in libs)
    out = subprocess.run(["bash", "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["libxcb-icccm4", "libegl1", "libdbus-1-3", "libxkbcommon-x11-0"]
