"""Render the application and action icons in resources/ from their SVG sources.

A developer tool, not a runtime dependency of SLA Modeler: run it after editing an SVG, and commit
the SVG together with what it generates.

    pip install cairosvg pillow      # cairosvg needs the Cairo library: apt-get install libcairo2
                                     # (Debian, Ubuntu), brew install cairo (macOS)
    python scripts/build_icons.py

Sources (edited by hand):
- resources/icon.svg: the application icon. It holds two drawings: ``id="large"``, shown by
  default and rendered for 48 px and above, and ``id="small"`` (hidden in the file), rendered
  below 48 px: a bigger shield and a thicker gauge, without the details that would only blur.
- resources/actions/NAME.svg: the action icons, on a 24 px grid with 2 px strokes.

Generated in resources/icons/:
- app-N.png for N in 16, 24, 32, 48, 64, 128, 256, 512, 1024 (for Linux, install app-N.png as
  share/icons/hicolor/NxN/apps/slamodeler.png, to match ``Icon=slamodeler`` in
  resources/slamodeler.desktop);
- slamodeler.ico (Windows: 16, 24, 32, 48, 64, 128 and 256 px, each rendered at its size);
- slamodeler.icns (macOS: 16 to 1024 px, including the @2x retina entries);
- actions/NAME-24.png, NAME-24@2x.png, NAME-48.png, NAME-48@2x.png (Qt picks the ``@2x`` file
  by itself on a high-DPI screen when it loads the plain name);
- actions-dark/: the same files for a dark theme, where the navy strokes are drawn light and the
  white fills navy (the amber accents stay).
"""

from __future__ import annotations

import io
import re
import struct
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

try:
    import cairosvg
    from PIL import Image
except ImportError as exc:  # a developer tool: say what to install rather than fail obscurely
    sys.exit(f"build_icons.py needs cairosvg and Pillow ({exc}): pip install cairosvg pillow")

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = ROOT / "resources"
APP_SVG = RESOURCES / "icon.svg"
ACTIONS_SVG = RESOURCES / "actions"
OUT = RESOURCES / "icons"
OUT_ACTIONS = OUT / "actions"

SVG_NS = "http://www.w3.org/2000/svg"
APP_SIZES = (16, 24, 32, 48, 64, 128, 256, 512, 1024)
SMALL_BELOW = 48  # points: below this the "small" drawing of icon.svg is used
ICO_SIZES = (16, 24, 32, 48, 64, 128, 256)
# ICNS element types, each with (pixels, points): the @2x entries show a point size at twice the
# pixels, so their drawing is chosen by points, as on a retina screen.
ICNS_TYPES = (
    (b"icp4", 16, 16),
    (b"icp5", 32, 32),
    (b"icp6", 64, 64),
    (b"ic07", 128, 128),
    (b"ic08", 256, 256),
    (b"ic09", 512, 512),
    (b"ic10", 1024, 512),
    (b"ic11", 32, 16),
    (b"ic12", 64, 32),
    (b"ic13", 256, 128),
    (b"ic14", 512, 256),
)
ACTION_SIZES = (24, 48)
OUT_ACTIONS_DARK = OUT / "actions-dark"
# The action icons' colours on a dark background: navy strokes become light, white fills navy.
DARK_COLOURS = {b"#1F3B5C": b"#D8E3EE", b"#FFFFFF": b"#1F3B5C"}

ET.register_namespace("", SVG_NS)


def render(svg: bytes, pixels: int) -> Image.Image:
    """The SVG drawn on a transparent square of ``pixels`` x ``pixels``."""
    png = cairosvg.svg2png(bytestring=svg, output_width=pixels, output_height=pixels)
    image = Image.open(io.BytesIO(png))
    image.load()
    return image.convert("RGBA")


def app_svg(points: int) -> bytes:
    """icon.svg with only the drawing meant for this size shown."""
    root = ET.parse(APP_SVG).getroot()
    shown = "small" if points < SMALL_BELOW else "large"
    drawings = {g.get("id"): g for g in root.iter(f"{{{SVG_NS}}}g") if g.get("id")}
    if set(drawings) < {"small", "large"}:
        sys.exit(f'{APP_SVG}: needs a <g id="large"> and a <g id="small">')
    for name in ("small", "large"):
        if name == shown:
            drawings[name].attrib.pop("display", None)
        else:
            drawings[name].set("display", "none")
    return ET.tostring(root, encoding="utf-8")


def app_icon(pixels: int, points: int | None = None) -> Image.Image:
    return render(app_svg(points or pixels), pixels)


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def write(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    print(f"wrote {path.relative_to(ROOT)} ({len(data):,} bytes)")


def write_icns(path: Path) -> None:
    """An ICNS file of PNG elements: the magic, the total length, then type, length, data."""
    elements = b""
    for kind, pixels, points in ICNS_TYPES:
        data = png_bytes(app_icon(pixels, points))
        elements += kind + struct.pack(">I", 8 + len(data)) + data
    write(path, b"icns" + struct.pack(">I", 8 + len(elements)) + elements)


def write_ico(path: Path) -> None:
    images = [app_icon(size) for size in ICO_SIZES]
    buffer = io.BytesIO()
    images[-1].save(
        buffer,
        "ICO",
        sizes=[(s, s) for s in ICO_SIZES],
        append_images=images[:-1],
        bitmap_format="png",
    )
    write(path, buffer.getvalue())


def dark(svg: bytes) -> bytes:
    """The action icon for a dark theme (colours swapped in one pass, so none is swapped twice)."""
    pattern = re.compile(b"|".join(re.escape(c) for c in DARK_COLOURS), re.IGNORECASE)
    return pattern.sub(lambda m: DARK_COLOURS[m.group(0).upper()], svg)


def check(path: Path, sizes: set[int]) -> None:
    """Read an .ico or .icns back and check that it holds the sizes it should."""
    with Image.open(path) as image:
        found = {size[0] for size in image.info["sizes"]}
    if not sizes <= found:
        sys.exit(f"{path}: sizes {sorted(found)}, missing {sorted(sizes - found)}")


def main() -> None:
    for size in APP_SIZES:
        write(OUT / f"app-{size}.png", png_bytes(app_icon(size)))
    write_ico(OUT / "slamodeler.ico")
    check(OUT / "slamodeler.ico", set(ICO_SIZES))
    write_icns(OUT / "slamodeler.icns")
    check(OUT / "slamodeler.icns", {16, 32, 64, 128, 256, 512})

    sources = sorted(ACTIONS_SVG.glob("*.svg"))
    if not sources:
        sys.exit(f"no action icons found in {ACTIONS_SVG}")
    for source in sources:
        light = source.read_bytes()
        for folder, svg in ((OUT_ACTIONS, light), (OUT_ACTIONS_DARK, dark(light))):
            for size in ACTION_SIZES:
                write(folder / f"{source.stem}-{size}.png", png_bytes(render(svg, size)))
                write(folder / f"{source.stem}-{size}@2x.png", png_bytes(render(svg, 2 * size)))


if __name__ == "__main__":
    main()
