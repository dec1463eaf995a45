"""The shipped world map: built by tools/map/build_world.py, with its licence beside it."""

from __future__ import annotations

import importlib.util
import re
import sys
from pathlib import Path
from types import ModuleType

from streams.serve.app import STATIC_DIR

ROOT = Path(__file__).resolve().parents[2]


def _builder() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_world", ROOT / "tools/map/build_world.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_world"] = module
    spec.loader.exec_module(module)
    return module


def test_map_ships_with_its_licence_and_country_codes() -> None:
    svg = (STATIC_DIR / "world-110m.svg").read_text("utf-8")
    licence = (STATIC_DIR / "world-110m.LICENSE.txt").read_text("utf-8")
    assert 'viewBox="0 0 3600 1500"' in svg
    codes = set(re.findall(r'data-cc="([A-Z]{2})"', svg))
    assert {"UA", "SD", "PE", "TW", "EE", "AU", "US", "RU", "FJ"} <= codes
    assert len(codes) > 160
    assert "public domain" in licence and "ISC" in licence and "Michael Bostock" in licence
    assert len(svg.encode()) < 100_000


def test_map_builder_decodes_arcs_and_wraps_the_antimeridian() -> None:
    build = _builder()
    topo = {
        "transform": {"scale": [1, 1], "translate": [-180, -90]},
        "arcs": [[[170, 100], [10, 0], [10, 10], [-20, 0]]],  # runs over +180 and back
        "objects": {
            "countries": {
                "geometries": [{"type": "Polygon", "arcs": [[0]], "id": "242"}],
            }
        },
    }
    (arc,) = build.decode_arcs(topo)
    assert arc == [(-10, 10), (0, 10), (10, 20), (-10, 20)]
    points = build.ring_points([0], [[(170.0, 0.0), (180.0, 0.0), (-170.0, 10.0), (170.0, 10.0)]])
    assert points == [(3500, 900), (3600, 900), (3700, 800), (3500, 800)]  # unwrapped
    paths = list(build.wrapped_paths(points))
    assert paths[0].startswith("M3500 900") and paths[1].startswith("M-100 900")
    svg = build.build_svg(topo)
    assert 'data-cc="FJ"' in svg and "<path" in svg
