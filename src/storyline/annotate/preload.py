"""Imported by the fork server the annotation workers are forked from: loads their models once.

See :mod:`storyline.annotate.pool`; importing this module anywhere else only costs that load.
"""

from storyline.annotate.pool import preload_worker

preload_worker()
