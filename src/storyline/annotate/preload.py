"""Imported by the fork server the annotation workers are forked from: loads their models once.

See :mod:`storyline.annotate.pool`; importing this module anywhere else only costs that load.
"""

import signal

from storyline.annotate.pool import preload_worker

# A Ctrl-C while the models load is the command's to handle: the server, in the same process
# group, would otherwise die of it with a traceback of its own. The server ignores it afterwards
# anyway, and gives its workers the handler found here.
_handler = signal.signal(signal.SIGINT, signal.SIG_IGN)
try:
    preload_worker()
finally:
    signal.signal(signal.SIGINT, _handler)
