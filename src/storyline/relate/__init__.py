"""Relations between documents: near-duplicates (and, later, explained similarity)."""

from storyline.relate.dedup import MinHasher, NearDuplicateFinder, band_params, jaccard, shingles

__all__ = ["MinHasher", "NearDuplicateFinder", "band_params", "jaccard", "shingles"]
