"""Known sensor sizes per camera body, for the 35 mm equivalent when the camera did not write it.

EXIF's FocalPlaneX/YResolution describes the sensor only for the image size the camera wrote:
an in-camera resize or crop (a Canon PowerShot G9's 16:10 mode) keeps the resolution and so
describes a smaller sensor. A body's real sensor, from its maker's specifications, does not
change with the image; exiftool's ScaleFactor35efl agrees with these sizes on every body of
``../shared/corpus``. Keys are the EXIF ``Model`` lower-cased with runs of spaces folded, as
cameras write it (a model string names one body across makers; a string that two bodies
share, such as the PowerShot S110 of 2001 and of 2012, is left out).
"""

from __future__ import annotations

import math

Size = tuple[float, float]  # width, height in mm

FULL_FRAME: Size = (36.0, 24.0)
APS_H: Size = (28.1, 18.7)
APS_C: Size = (23.6, 15.7)  # Nikon DX, Sony, Pentax, Fujifilm X, Samsung NX: crop 1.5
CANON_APS_C: Size = (22.3, 14.9)  # crop 1.6
FOUR_THIRDS: Size = (17.3, 13.0)
ONE_INCH: Size = (13.2, 8.8)
TYPE_2_3: Size = (8.8, 6.6)  # 2/3"
TYPE_1_1_7: Size = (7.44, 5.58)  # 1/1.7"
TYPE_1_1_8: Size = (7.18, 5.32)  # 1/1.8"
TYPE_1_2_3: Size = (6.17, 4.55)  # 1/2.3"
TYPE_1_2_5: Size = (5.76, 4.29)  # 1/2.5"
TYPE_1_2_7: Size = (5.27, 3.96)  # 1/2.7"

_BODIES: dict[Size, tuple[str, ...]] = {
    FULL_FRAME: (
        "canon eos 5d", "canon eos 5d mark ii", "canon eos 5d mark iii", "canon eos 5d mark iv",
        "canon eos 5ds", "canon eos 5ds r", "canon eos 6d", "canon eos 6d mark ii",
        "canon eos-1ds", "canon eos-1ds mark ii", "canon eos-1ds mark iii", "canon eos-1d x",
        "canon eos-1d x mark ii", "canon eos-1d x mark iii", "canon eos r", "canon eos rp",
        "canon eos r3", "canon eos r5", "canon eos r6", "canon eos r6m2", "canon eos r8",
        "nikon d3", "nikon d3s", "nikon d3x", "nikon d4", "nikon d4s", "nikon d5", "nikon d6",
        "nikon d600", "nikon d610", "nikon d700", "nikon d750", "nikon d780", "nikon d800",
        "nikon d800e", "nikon d810", "nikon d850", "nikon df", "nikon z 5", "nikon z 6",
        "nikon z 6_2", "nikon z 7", "nikon z 7_2", "nikon z 8", "nikon z 9", "nikon z f",
        "ilce-7", "ilce-7m2", "ilce-7m3", "ilce-7m4", "ilce-7r", "ilce-7rm2", "ilce-7rm3",
        "ilce-7rm4", "ilce-7rm5", "ilce-7s", "ilce-7sm2", "ilce-7sm3", "ilce-7c", "ilce-9",
        "ilce-9m2", "ilce-1", "dsc-rx1", "dsc-rx1r", "dsc-rx1rm2", "slt-a99", "slt-a99v",
        "dslr-a850", "dslr-a900", "pentax k-1", "pentax k-1 mark ii", "leica m9", "leica q",
        "leica q2", "leica sl", "dc-s1", "dc-s1r", "dc-s5",
    ),
    APS_H: ("canon eos-1d mark ii", "canon eos-1d mark ii n", "canon eos-1d mark iii",
            "canon eos-1d mark iv"),
    CANON_APS_C: (
        "canon eos d30", "canon eos d60", "canon eos 10d", "canon eos 20d", "canon eos 30d",
        "canon eos 40d", "canon eos 50d", "canon eos 60d", "canon eos 70d", "canon eos 77d",
        "canon eos 80d", "canon eos 90d", "canon eos 7d", "canon eos 7d mark ii",
        "canon eos 300d digital", "canon eos 350d digital", "canon eos 400d digital",
        "canon eos 450d", "canon eos 500d", "canon eos 550d", "canon eos 600d", "canon eos 650d",
        "canon eos 700d", "canon eos 750d", "canon eos 760d", "canon eos 800d", "canon eos 850d",
        "canon eos 1000d", "canon eos 1100d", "canon eos 1200d", "canon eos 1300d",
        "canon eos 2000d", "canon eos 4000d", "canon eos 100d", "canon eos 200d",
        "canon eos 250d", "canon eos digital rebel", "canon eos digital rebel xt",
        "canon eos digital rebel xti", "canon eos rebel xsi", "canon eos rebel xs",
        "canon eos rebel t1i", "canon eos rebel t2i", "canon eos rebel t3", "canon eos rebel t3i",
        "canon eos rebel t4i", "canon eos rebel t5", "canon eos rebel t5i", "canon eos rebel t6",
        "canon eos rebel t6i", "canon eos rebel t7", "canon eos rebel t7i", "canon eos kiss x2",
        "canon eos m", "canon eos m3", "canon eos m5", "canon eos m6", "canon eos m6 mark ii",
        "canon eos m50", "canon eos m50m2", "canon eos m100", "canon eos m200", "canon eos r7",
        "canon eos r10", "canon eos r50", "canon eos r100",
    ),
    APS_C: (
        "nikon d1", "nikon d1h", "nikon d1x", "nikon d2h", "nikon d2x", "nikon d100",
        "nikon d200", "nikon d300", "nikon d300s", "nikon d500", "nikon d40", "nikon d40x",
        "nikon d50", "nikon d60", "nikon d70", "nikon d70s", "nikon d80", "nikon d90",
        "nikon d3000", "nikon d3100", "nikon d3200", "nikon d3300", "nikon d3400", "nikon d3500",
        "nikon d5000", "nikon d5100", "nikon d5200", "nikon d5300", "nikon d5500", "nikon d5600",
        "nikon d7000", "nikon d7100", "nikon d7200", "nikon d7500", "nikon z 50", "nikon z fc",
        "nikon z 30", "ilce-5000", "ilce-5100", "ilce-6000", "ilce-6100", "ilce-6300",
        "ilce-6400", "ilce-6500", "ilce-6600", "ilce-6700", "nex-3", "nex-5", "nex-5n",
        "nex-5r", "nex-5t", "nex-6", "nex-7", "dslr-a100", "dslr-a200", "dslr-a300",
        "dslr-a350", "dslr-a700", "slt-a55v", "slt-a57", "slt-a58", "slt-a65v", "slt-a77v",
        "ilca-77m2", "pentax k10d", "pentax k100d", "pentax k200d", "pentax k20d", "pentax k-7",
        "pentax k-5", "pentax k-5 ii", "pentax k-5 ii s", "pentax k-r", "pentax k-x",
        "pentax k-30", "pentax k-50", "pentax k-3", "pentax k-3 ii", "pentax k-3 mark iii",
        "pentax k-70", "pentax kp", "pentax *ist d", "pentax *ist ds", "x-t1", "x-t2", "x-t3",
        "x-t4", "x-t5", "x-t10", "x-t20", "x-t30", "x-t30 ii", "x-t50", "x-e1", "x-e2",
        "x-e2s", "x-e3", "x-e4", "x-pro1", "x-pro2", "x-pro3", "x-s10", "x-s20", "x-h1",
        "x-h2", "x-h2s", "x100", "x100s", "x100t", "x100f", "x100v", "x100vi",
    ),
    FOUR_THIRDS: (
        "e-m1", "e-m1markii", "e-m5", "e-m5markii", "e-m10", "e-m10markii", "e-p1", "e-p2",
        "e-p3", "e-p5",
        "e-pl1", "e-pl2", "e-pl3", "e-pl5", "e-pl6", "e-pl7", "e-pl8", "e-pl9", "e-pl10",
        "om-1", "om-5", "dmc-gh1", "dmc-gh2", "dmc-gh3", "dmc-gh4", "dc-gh5", "dc-gh5s",
        "dc-gh6", "dc-g9", "dmc-g1", "dmc-g2", "dmc-g3", "dmc-g5", "dmc-g6", "dmc-g7",
        "dmc-g80", "dmc-g85", "dmc-gx1", "dmc-gx7", "dmc-gx8", "dc-gx9", "dmc-gx80", "dmc-gx85",
        "dmc-gf1", "dmc-gf2", "dmc-gf3", "dmc-gf5", "dmc-gf6", "dmc-gf7",
    ),
    ONE_INCH: (
        "dsc-rx100", "dsc-rx100m2", "dsc-rx100m3", "dsc-rx100m4", "dsc-rx100m5",
        "dsc-rx100m5a", "dsc-rx100m6", "dsc-rx100m7", "dsc-rx10", "dsc-rx10m2", "dsc-rx10m3",
        "dsc-rx10m4", "canon powershot g7 x", "canon powershot g7 x mark ii",
        "canon powershot g7 x mark iii", "canon powershot g5 x", "canon powershot g9 x",
        "canon powershot g9 x mark ii", "dmc-tz100", "dmc-zs100", "dmc-fz1000", "dc-fz10002",
        "nikon 1 j1", "nikon 1 v1",
    ),
    TYPE_2_3: ("x10", "x20", "x30", "xf1"),
    TYPE_1_1_7: (
        "canon powershot g9", "canon powershot g10", "canon powershot g11",
        "canon powershot g12", "canon powershot g15", "canon powershot g16",
        "canon powershot s90", "canon powershot s95", "canon powershot s100",
        "canon powershot s120", "coolpix p7000", "coolpix p7100",
        "coolpix p7700", "coolpix p7800", "dmc-lx3", "dmc-lx5", "dmc-lx7",
    ),
    TYPE_1_1_8: (
        "canon digital ixus 400", "canon powershot s400", "canon powershot s40",
        "canon powershot s45", "canon powershot s50", "canon powershot g3", "canon powershot g5",
    ),
    TYPE_1_2_3: (
        "canon powershot sx60 hs", "canon powershot sx50 hs", "canon powershot sx40 hs",
        "canon powershot sx30 is", "canon powershot sx70 hs", "canon powershot sx730 hs",
        "canon powershot sx740 hs", "canon powershot sx260 hs", "canon powershot sx280 hs",
        "coolpix p900", "coolpix p1000", "coolpix p610", "coolpix p600", "dmc-tz70", "dmc-zs50",
        "dmc-fz200", "dmc-fz300", "dsc-hx90v", "dsc-hx400v", "dsc-wx350",
    ),
    TYPE_1_2_5: (
        "canon digital ixus 40", "canon powershot sd300", "canon digital ixus 50",
        "canon powershot sd400", "canon digital ixus 55", "canon powershot sd450",
    ),
    TYPE_1_2_7: ("canon digital ixus",),
}  # fmt: skip

SENSORS: dict[str, Size] = {body: size for size, bodies in _BODIES.items() for body in bodies}


def _key(model: str) -> str:
    return " ".join(model.lower().split())


def sensor_size_mm(model: str | None) -> Size | None:
    """The body's sensor (width, height) in mm, or ``None`` for a body the table lacks."""
    return SENSORS.get(_key(model)) if model else None


def sensor_diagonal_mm(model: str | None) -> float | None:
    """The body's sensor diagonal in mm (43.27 mm for full frame), or ``None``."""
    size = sensor_size_mm(model)
    return math.hypot(*size) if size else None
