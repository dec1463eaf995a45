"""Build the live page's world map from world-atlas's TopoJSON, once: a compact SVG.

The outline is Natural Earth's 1:110m Admin 0 countries (public domain), as redistributed in
TopoJSON by the npm package world-atlas (ISC). Fetch it with the npm client and convert it:

    npm pack world-atlas@2            # world-atlas-2.0.2.tgz, from the npm registry
    python tools/map/build_world.py world-atlas-2.0.2.tgz

which writes streams/serve/static/world-110m.svg (and the licence beside it). The page
never fetches map data at run time.

Projection: equirectangular (plate carree), 10 SVG units per degree, x = (lon + 180) * 10,
y = (90 - lat) * 10; Antarctica is left out and the view ends at 60 degrees south, so the
page places a marker at the same x, y. Each country is one path with its ISO 3166-1 alpha-2
code in `data-cc` (from the ISO numeric id; pycountry maps it).
"""

from __future__ import annotations

import argparse
import json
import tarfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import pycountry

OUT_DIR = Path(__file__).resolve().parents[2] / "streams" / "serve" / "static"
SVG_NAME = "world-110m.svg"
LICENCE_NAME = "world-110m.LICENSE.txt"
MEMBER = "package/countries-110m.json"
#: SVG units per degree: a tenth of a degree is one unit, finer than a pixel at page sizes.
SCALE = 10
#: Southern edge of the view in degrees: Antarctica (ISO numeric 010) is left out.
SOUTH = -60
ANTARCTICA = "010"

Point = tuple[int, int]


def read_topology(path: Path) -> tuple[dict[str, Any], str]:
    """The countries TopoJSON and world-atlas's licence, from the npm tarball or a folder."""
    if path.is_dir():
        topo = json.loads((path / "countries-110m.json").read_text("utf-8"))
        return topo, (path / "LICENSE").read_text("utf-8")
    with tarfile.open(path) as tar:
        topo_file = tar.extractfile(MEMBER)
        licence_file = tar.extractfile("package/LICENSE")
        if topo_file is None or licence_file is None:
            raise SystemExit(f"{path}: no {MEMBER} or package/LICENSE in it")
        return json.loads(topo_file.read()), licence_file.read().decode("utf-8")


def decode_arcs(topo: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The arcs in degrees: delta-decoded, then scaled and translated by the transform."""
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(ring: Sequence[int], arcs: list[list[tuple[float, float]]]) -> list[Point]:
    """A ring's points in SVG units: its arcs joined (a negative index ~i runs arc i backwards).

    Longitudes are unwrapped along the ring, so a ring across the antimeridian (Fiji, Russia's
    Chukotka) runs on past x = 3600 (or below 0) instead of jumping across the whole map.
    """
    points: list[Point] = []
    for index, arc_id in enumerate(ring):
        arc = arcs[arc_id] if arc_id >= 0 else arcs[~arc_id][::-1]
        for lon, lat in arc if index == 0 else arc[1:]:  # arcs share their end points
            x, y = round((lon + 180) * SCALE), round((90 - max(lat, SOUTH)) * SCALE)
            if points:
                x += round((points[-1][0] - x) / (360 * SCALE)) * 360 * SCALE
            points.append((x, y))
    return points


def ring_path(points: Sequence[Point]) -> str:
    """One closed subpath: an absolute move, then relative lines, repeated points dropped."""
    parts: list[str] = []
    last: Point | None = None
    for point in points:
        if last is None:
            parts.append(f"M{point[0]} {point[1]}")
        elif point != last:
            dx, dy = point[0] - last[0], point[1] - last[1]
            parts.append(f"{dx} {dy}" if parts[-1][0] != "M" else f"l{dx} {dy}")
        last = point
    return " ".join(parts) + "z" if len(parts) > 2 else ""


def wrapped_paths(points: list[Point]) -> Iterator[str]:
    """The ring, and a copy a world-width over when it runs past either edge (the SVG's
    view clips what lies outside)."""
    width = 360 * SCALE
    yield ring_path(points)
    if min(x for x, _ in points) < 0:
        yield ring_path([(x + width, y) for x, y in points])
    if max(x for x, _ in points) > width:
        yield ring_path([(x - width, y) for x, y in points])


def country_path(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> str:
    """The SVG path data of a Polygon or MultiPolygon geometry."""
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    rings = (
        path
        for polygon in polygons
        for ring in polygon
        for path in wrapped_paths(ring_points(ring, arcs))
    )
    return "".join(ring for ring in rings if ring)


def alpha2(numeric: str | None) -> str | None:
    """ISO 3166-1 alpha-2 code of an ISO numeric id; None for the few places without one."""
    if not numeric:
        return None
    country = pycountry.countries.get(numeric=numeric)
    return None if country is None else str(country.alpha_2)


def build_svg(topo: dict[str, Any]) -> str:
    """The whole SVG document: one path per country, in the file's order."""
    arcs = decode_arcs(topo)
    width, height = 360 * SCALE, (90 - SOUTH) * SCALE
    lines = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        'fill-rule="evenodd">',
        "<!-- Natural Earth 1:110m countries (public domain) via world-atlas 2 (ISC); "
        f"equirectangular, {SCALE} units per degree, x=(lon+180)*{SCALE}, "
        f"y=(90-lat)*{SCALE}; see {LICENCE_NAME} -->",
    ]
    for geometry in topo["objects"]["countries"]["geometries"]:
        if geometry.get("id") == ANTARCTICA or geometry["type"] not in ("Polygon", "MultiPolygon"):
            continue
        code = alpha2(geometry.get("id"))
        name = geometry.get("properties", {}).get("name", "")
        attrs = f' data-cc="{code}"' if code else ""
        lines.append(f'<path{attrs} data-name="{name}" d="{country_path(geometry, arcs)}"/>')
    lines.append("</svg>")
    return "\n".join(lines) + "\n"


LICENCE_HEAD = """\
world-110m.svg: country outlines of the live page's map.

Made by tools/map/build_world.py from countries-110m.json of the npm package world-atlas
2.0.2 (https://github.com/topojson/world-atlas), which redistributes Natural Earth's 1:110m
Admin 0 country boundaries, version 4.1.0, as TopoJSON.

Natural Earth (https://www.naturalearthdata.com/) is in the public domain: "No permission is
needed to use Natural Earth. Crediting the authors is unnecessary." Made with Natural Earth.

world-atlas is distributed under the ISC licence:

"""


def main(argv: Sequence[str] | None = None) -> None:
    """Convert the tarball (or unpacked folder) named on the command line."""
    parser = argparse.ArgumentParser(description=__doc__.partition("\n")[0])
    parser.add_argument("source", type=Path, help="world-atlas-2.x.tgz or its package/ folder")
    parser.add_argument("--out", type=Path, default=OUT_DIR, help="output folder")
    args = parser.parse_args(argv)
    topo, licence = read_topology(args.source)
    args.out.mkdir(parents=True, exist_ok=True)
    svg = build_svg(topo)
    (args.out / SVG_NAME).write_text(svg, "utf-8")
    (args.out / LICENCE_NAME).write_text(LICENCE_HEAD + licence, "utf-8")
    print(f"wrote {args.out / SVG_NAME} ({len(svg.encode()):,} bytes)")


if __name__ == "__main__":
    main()
