"""The world basemap of the web UI: country outlines as SVG path data, drawn with no tile server or library.

The map is built at install time from Natural Earth's 1:110m countries (public domain) as packaged in
TopoJSON by the npm package world-atlas, and shipped as ``static/basemap.json``::

    python -m storyline.server.basemap --from world-atlas-2.0.2.tgz --out src/storyline/server/static/basemap.json

The output is one JSON object::

    {"source": "Natural Earth 1:110m via world-atlas 2.0.2 (public domain)",
     "projection": "equirectangular",
     "viewBox": [-180, -90, 360, 180],
     "countries": [{"id": "356", "name": "India", "iso2": "IN", "d": "M97.33,-28.26L97.4,-27.88 …Z"}, …]}

``d`` is SVG path data in equirectangular coordinates, x = longitude and y = -latitude (degrees, rounded
to ``precision`` decimals), so an ``<svg viewBox="-180 -90 360 180">`` draws the map and a point goes at
``(lon, -lat)``. Each ring is one closed subpath (``M x,y L x,y x,y … Z``); holes wind against their
polygon, so both fill rules draw them. ``id`` is the ISO 3166-1 numeric code and ``iso2`` the alpha-2 code
(from pycountry); both are null for the few areas without one (N. Cyprus, Somaliland, Kosovo).

The TopoJSON decoding follows the specification (https://github.com/topojson/topojson-specification):
quantized arcs are delta-encoded and mapped through the transform, rings are arcs joined end to start,
and an arc index ``~i`` (a negative number) stands for arc ``i`` reversed.
"""

from __future__ import annotations

import argparse
import importlib.resources
import io
import json
import math
import sys
import tarfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

SOURCE = "Natural Earth 1:110m via world-atlas 2.0.2 (public domain)"
PROJECTION = "equirectangular"
VIEWBOX = (-180, -90, 360, 180)
WORLD_ATLAS_MEMBER = "package/countries-110m.json"
DEFAULT_PRECISION = 2

Point = tuple[float, float]
Ring = list[Point]


class BasemapError(ValueError):
    """The input is not a TopoJSON topology (or world-atlas archive) this converter can read."""


# --- TopoJSON ---------------------------------------------------------------------------------------


def decode_arcs(topology: dict[str, Any]) -> list[list[Point]]:
    """The topology's arcs as absolute (x, y) positions: deltas summed and the transform applied when quantized."""
    transform = topology.get("transform")
    arcs: list[list[Point]] = []
    if transform is None:
        for arc in topology.get("arcs", []):
            arcs.append([(float(position[0]), float(position[1])) for position in arc])
        return arcs
    sx, sy = (float(v) for v in transform["scale"])
    tx, ty = (float(v) for v in transform["translate"])
    for arc in topology.get("arcs", []):
        x = y = 0
        points: list[Point] = []
        for position in arc:
            x += position[0]
            y += position[1]
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def ring_points(arc_indexes: Sequence[int], arcs: Sequence[Sequence[Point]]) -> Ring:
    """One ring from its arc indexes: arcs joined end to start, ``~i`` (negative) meaning arc ``i`` reversed."""
    ring: Ring = []
    for index in arc_indexes:
        arc = list(reversed(arcs[~index])) if index < 0 else list(arcs[index])
        if ring and arc:
            ring.pop()  # the previous arc's last position is this arc's first
        ring.extend(arc)
    return ring


def geometry_rings(geometry: dict[str, Any], arcs: Sequence[Sequence[Point]]) -> list[Ring]:
    """The rings (exterior and holes) of a Polygon, MultiPolygon or GeometryCollection of them; others have none."""
    kind = geometry.get("type")
    if kind == "Polygon":
        return [ring_points(ring, arcs) for ring in geometry.get("arcs", [])]
    if kind == "MultiPolygon":
        return [ring_points(ring, arcs) for polygon in geometry.get("arcs", []) for ring in polygon]
    if kind == "GeometryCollection":
        return [ring for member in geometry.get("geometries", []) for ring in geometry_rings(member, arcs)]
    return []


# --- the antimeridian -------------------------------------------------------------------------------


def _clip(ring: Ring, bound: float, keep_below: bool) -> Ring:
    """Sutherland–Hodgman: the part of a closed ring on one side of the vertical line x = bound."""

    def inside(point: Point) -> bool:
        return point[0] <= bound if keep_below else point[0] >= bound

    out: Ring = []
    for i, current in enumerate(ring):
        previous = ring[i - 1]
        if inside(current) != inside(previous):
            t = (bound - previous[0]) / (current[0] - previous[0])
            out.append((bound, previous[1] + t * (current[1] - previous[1])))
        if inside(current):
            out.append(current)
    return out


def split_antimeridian(ring: Ring) -> list[Ring]:
    """A (lon, lat) ring without segments that wrap around the world.

    Natural Earth cuts its polygons at ±180°, so a ring normally comes back unchanged. A ring that does jump
    across the antimeridian (a step of more than 180° in longitude) is unwrapped into one continuous ring,
    closed along the pole when it goes round one, and cut into the parts that lie in [-180, 180].
    """
    if len(ring) < 2:
        return [ring]
    steps = [ring[i][0] - ring[i - 1][0] for i in range(1, len(ring))]
    if all(abs(step) <= 180 for step in steps):
        return [ring]
    unwrapped: Ring = [ring[0]]
    shift = 0.0
    for (x, y), step in zip(ring[1:], steps, strict=True):
        if step > 180:
            shift -= 360
        elif step < -180:
            shift += 360
        unwrapped.append((x + shift, y))
    if unwrapped[0] == unwrapped[-1]:
        unwrapped.pop()
    if abs(shift) >= 180:  # goes round a pole: close it along that pole
        pole = -90.0 if sum(y for _, y in unwrapped) < 0 else 90.0
        unwrapped += [(unwrapped[-1][0], pole), (unwrapped[0][0], pole)]
    low = min(x for x, _ in unwrapped)
    high = max(x for x, _ in unwrapped)
    parts: list[Ring] = []
    for turn in range(math.floor((low + 180) / 360), math.ceil((high - 180) / 360) + 1):
        shifted = [(x - 360 * turn, y) for x, y in unwrapped]
        part = _clip(_clip(shifted, 180.0, keep_below=True), -180.0, keep_below=False)
        if len(part) >= 3:
            parts.append(part)
    return parts


# --- SVG path data ----------------------------------------------------------------------------------


def _number(units: int, precision: int) -> str:
    if precision <= 0:
        return str(units)
    sign = "-" if units < 0 else ""
    whole, fraction = divmod(abs(units), 10**precision)
    digits = f"{fraction:0{precision}d}".rstrip("0")
    return f"{sign}{whole}.{digits}" if digits else f"{sign}{whole}"


def ring_path(ring: Ring, precision: int = DEFAULT_PRECISION) -> str:
    """A (lon, lat) ring as one closed SVG subpath at (lon, -lat); "" when rounding leaves fewer than 3 points."""
    scale = 10**precision
    points: list[tuple[int, int]] = []
    for lon, lat in ring:
        point = (round(lon * scale), round(-lat * scale))
        if not points or points[-1] != point:
            points.append(point)
    while len(points) > 1 and points[-1] == points[0]:
        points.pop()
    if len(points) < 3:
        return ""
    text = [f"{_number(x, precision)},{_number(y, precision)}" for x, y in points]
    return f"M{text[0]}L{' '.join(text[1:])}Z"


def rings_path(rings: Iterable[Ring], precision: int = DEFAULT_PRECISION) -> str:
    """SVG path data for rings in (lon, lat): each ring split at the antimeridian if need be, then a subpath."""
    return "".join(ring_path(part, precision) for ring in rings for part in split_antimeridian(ring))


# --- the basemap ------------------------------------------------------------------------------------


def _iso2(numeric: str | None) -> str | None:
    if not numeric:
        return None
    import pycountry

    record = pycountry.countries.get(numeric=numeric)
    return None if record is None else str(record.alpha_2)


def convert(topology: dict[str, Any], precision: int = DEFAULT_PRECISION, source: str = SOURCE) -> dict[str, Any]:
    """The basemap object (see the module's docstring) from a world-atlas countries TopoJSON topology."""
    if topology.get("type") != "Topology" or not isinstance(topology.get("objects"), dict):
        raise BasemapError("not a TopoJSON topology (no type 'Topology' with objects)")
    objects = topology["objects"]
    countries_object = objects.get("countries")
    if countries_object is None:
        if len(objects) != 1:
            raise BasemapError(f"no 'countries' object among {sorted(objects)}")
        countries_object = next(iter(objects.values()))
    members = (
        countries_object.get("geometries", [])
        if countries_object.get("type") == "GeometryCollection"
        else [countries_object]
    )
    arcs = decode_arcs(topology)
    countries: list[dict[str, Any]] = []
    for member in members:
        d = rings_path(geometry_rings(member, arcs), precision)
        if not d:
            continue
        numeric = None if member.get("id") is None else str(member["id"])
        if numeric is not None and numeric.isdigit():
            numeric = numeric.zfill(3)
        name = (member.get("properties") or {}).get("name")
        countries.append({"id": numeric, "name": name, "iso2": _iso2(numeric), "d": d})
    return {"source": source, "projection": PROJECTION, "viewBox": list(VIEWBOX), "countries": countries}


def read_topology(path: str | Path) -> dict[str, Any]:
    """A TopoJSON file, or ``package/countries-110m.json`` inside a world-atlas npm archive (.tgz)."""
    path = Path(path)
    if path.name.endswith((".tgz", ".tar.gz", ".tar")):
        with tarfile.open(path) as archive:
            try:
                member = archive.extractfile(WORLD_ATLAS_MEMBER)
            except KeyError:
                member = None
            if member is None:
                raise BasemapError(f"{path}: no {WORLD_ATLAS_MEMBER} in the archive (is it world-atlas?)")
            data: Any = json.load(io.TextIOWrapper(member, encoding="utf-8"))
    else:
        with path.open(encoding="utf-8") as handle:
            data = json.load(handle)
    if not isinstance(data, dict):
        raise BasemapError(f"{path}: not a TopoJSON topology")
    return data


def dumps(basemap: dict[str, Any]) -> str:
    """Compact JSON, one country per line."""
    head = {key: value for key, value in basemap.items() if key != "countries"}
    lines = [json.dumps(country, ensure_ascii=False, separators=(",", ":")) for country in basemap["countries"]]
    opening = json.dumps(head, ensure_ascii=False, separators=(",", ":"))[:-1]
    return opening + ',"countries":[\n' + ",\n".join(lines) + "\n]}\n"


def load_basemap() -> dict[str, Any] | None:
    """The shipped ``static/basemap.json``, or None when it was not built (``make basemap``)."""
    resource = importlib.resources.files(__package__ or "storyline.server").joinpath("static", "basemap.json")
    try:
        text = resource.read_text(encoding="utf-8")
    except (FileNotFoundError, NotADirectoryError):
        return None
    data = json.loads(text)
    return data if isinstance(data, dict) else None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m storyline.server.basemap",
        description="Build the web UI's world basemap (SVG path data) from world-atlas's countries-110m TopoJSON.",
    )
    parser.add_argument("--from", dest="source", required=True, help="world-atlas .tgz from npm pack, or a .json")
    parser.add_argument("--out", required=True, help="where to write basemap.json")
    parser.add_argument("--precision", type=int, default=DEFAULT_PRECISION, help="decimals of a degree (default 2)")
    args = parser.parse_args(argv)
    try:
        basemap = convert(read_topology(args.source), precision=args.precision)
    except (OSError, tarfile.TarError, json.JSONDecodeError, BasemapError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    partial.write_text(dumps(basemap), encoding="utf-8")
    partial.replace(out)
    size = out.stat().st_size
    print(f"wrote {out}: {len(basemap['countries'])} countries, {size / 1024:.0f} KiB", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
