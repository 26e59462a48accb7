"""Imported by the fork server the annotation workers are forked from: loads their models once.

See :func:`storyline.annotate.preload_worker`; importing this module anywhere else only costs
that load.
"""

from storyline.annotate import preload_worker

preload_worker()
