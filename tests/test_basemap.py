"""The web UI's world basemap: TopoJSON decoding, SVG path data, and the file `make basemap` builds."""

from __future__ import annotations

import io
import json
import re
import tarfile
from pathlib import Path
from typing import Any

import pytest

from storyline.server.basemap import (
    SOURCE,
    convert,
    decode_arcs,
    dumps,
    load_basemap,
    main,
    read_topology,
    rings_path,
    split_antimeridian,
)

#: Two unit squares side by side, quantized (x = 10 + 0.5 qx, y = 20 + 0.25 qy) and delta-encoded.
#: Arc 0 is their shared edge, (2,0) -> (2,2); the left square takes it forwards, the right one reversed (~0).
TWO_SQUARES: dict[str, Any] = {
    "type": "Topology",
    "transform": {"scale": [0.5, 0.25], "translate": [10, 20]},
    "objects": {
        "countries": {
            "type": "GeometryCollection",
            "geometries": [
                {"type": "Polygon", "id": "356", "properties": {"name": "Left"}, "arcs": [[0, 1]]},
                {"type": "MultiPolygon", "id": 4, "properties": {"name": "Right"}, "arcs": [[[2, ~0]]]},
                {"type": "Polygon", "properties": {"name": "Nameless"}, "arcs": [[0, 1]]},
                {"type": "Point", "id": "999", "coordinates": [1, 1]},
            ],
        }
    },
    "arcs": [
        [[2, 0], [0, 2]],  # (2,0) (2,2)
        [[2, 2], [-2, 0], [0, -2], [2, 0]],  # (2,2) (0,2) (0,0) (2,0)
        [[2, 0], [2, 0], [0, 2], [-2, 0]],  # (2,0) (4,0) (4,2) (2,2)
    ],
}

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def bounds(d: str) -> tuple[float, float, float, float]:
    """min x, min y, max x, max y of absolute SVG path data."""
    values = [float(v) for v in NUMBER.findall(d)]
    xs, ys = values[0::2], values[1::2]
    return min(xs), min(ys), max(xs), max(ys)


def test_arcs_are_delta_decoded_and_transformed() -> None:
    arcs = decode_arcs(TWO_SQUARES)
    assert arcs[0] == [(11.0, 20.0), (11.0, 20.5)]
    assert arcs[1] == [(11.0, 20.5), (10.0, 20.5), (10.0, 20.0), (11.0, 20.0)]


def test_two_squares_sharing_an_arc() -> None:
    basemap = convert(TWO_SQUARES)
    assert basemap["source"] == SOURCE
    assert basemap["projection"] == "equirectangular"
    assert basemap["viewBox"] == [-180, -90, 360, 180]
    assert basemap["countries"] == [
        {"id": "356", "name": "Left", "iso2": "IN", "d": "M11,-20L11,-20.5 10,-20.5 10,-20Z"},
        {"id": "004", "name": "Right", "iso2": "AF", "d": "M11,-20L12,-20 12,-20.5 11,-20.5Z"},
        {"id": None, "name": "Nameless", "iso2": None, "d": "M11,-20L11,-20.5 10,-20.5 10,-20Z"},
    ]


def test_unquantized_topology_and_rounding() -> None:
    topology = {
        "type": "Topology",
        "objects": {"land": {"type": "Polygon", "arcs": [[0]]}},
        "arcs": [[[0.123, 0.456], [1.004, -0.5], [1.0, 1.0], [0.123, 0.456]]],
    }
    assert convert(topology)["countries"][0]["d"] == "M0.12,-0.46L1,0.5 1,-1Z"
    assert convert(topology, precision=1)["countries"][0]["d"] == "M0.1,-0.5L1,0.5 1,-1Z"
    # rounding that leaves fewer than three points drops the ring
    assert rings_path([[(0.0, 0.0), (0.001, 0.0), (0.0, 0.001)]]) == ""


def test_a_ring_across_the_antimeridian_is_cut_not_wrapped() -> None:
    ring = [(179.0, 10.0), (-179.0, 10.0), (-179.0, 12.0), (179.0, 12.0), (179.0, 10.0)]
    parts = split_antimeridian(ring)
    assert sorted(min(x for x, _ in part) for part in parts) == [-180.0, 179.0]
    assert rings_path([ring]) == "M179,-10L180,-10 180,-12 179,-12ZM-180,-10L-179,-10 -179,-12 -180,-12Z"
    # a ring cut at ±180 already (as Natural Earth's are) comes back as it is
    cut = [(170.0, 0.0), (180.0, 0.0), (180.0, 5.0), (170.0, 0.0)]
    assert split_antimeridian(cut) == [cut]


def test_a_ring_round_the_pole_is_closed_along_it() -> None:
    ring = [(-180.0, -80.0), (0.0, -70.0), (180.0, -80.0), (-180.0, -80.0)]
    (part,) = split_antimeridian(ring)
    assert (180.0, -90.0) in part
    assert (-180.0, -90.0) in part


def test_cli_reads_a_world_atlas_archive(tmp_path: Path) -> None:
    payload = json.dumps(TWO_SQUARES).encode()
    archive = tmp_path / "world-atlas-2.0.2.tgz"
    with tarfile.open(archive, "w:gz") as tar:
        info = tarfile.TarInfo("package/countries-110m.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
    assert read_topology(archive) == TWO_SQUARES
    out = tmp_path / "static" / "basemap.json"
    assert main(["--from", str(archive), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert json.loads(text) == convert(TWO_SQUARES)
    assert text == dumps(convert(TWO_SQUARES))
    assert main(["--from", str(tmp_path / "missing.json"), "--out", str(out)]) == 1


@pytest.fixture(scope="module")
def built() -> dict[str, Any]:
    basemap = load_basemap()
    if basemap is None:
        pytest.skip("src/storyline/server/static/basemap.json is not built (make basemap)")
    return basemap


def test_built_basemap(built: dict[str, Any]) -> None:
    assert built["viewBox"] == [-180, -90, 360, 180]
    assert built["projection"] == "equirectangular"
    assert "Natural Earth" in built["source"]
    countries = built["countries"]
    assert len(countries) >= 170
    for country in countries:
        assert set(country) == {"id", "name", "iso2", "d"}
        assert re.fullmatch(r"(M[^MZ]+Z)+", country["d"]), country["name"]
        min_x, min_y, max_x, max_y = bounds(country["d"])
        assert -180 <= min_x <= max_x <= 180 and -90 <= min_y <= max_y <= 90, country["name"]
    by_iso2 = {country["iso2"]: country for country in countries if country["iso2"]}
    assert len(by_iso2) >= 170
    for iso2, lon, lat in [("IN", 78, 21), ("RU", 100, 60), ("BR", -50, -10), ("US", -100, 40), ("AU", 135, -25)]:
        min_x, min_y, max_x, max_y = bounds(by_iso2[iso2]["d"])
        assert min_x <= lon <= max_x and min_y <= -lat <= max_y, iso2
    assert by_iso2["IN"]["id"] == "356" and by_iso2["IN"]["name"] == "India"
