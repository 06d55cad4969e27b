"""Reading: every file a user sends → one structured :class:`bot.report.Report` (issue #3).

``read_bytes`` never raises; ``read_in_worker`` runs it in a process pool with a hard timeout.
"""

from bot.reading.api import read_bytes, read_in_worker, read_path, run_in_worker, shutdown_pool
from bot.reading.errors import MAX_FILE_BYTES, ReadError, ReadResult

__all__ = [
    "MAX_FILE_BYTES",
    "ReadError",
    "ReadResult",
    "read_bytes",
    "read_in_worker",
    "read_path",
    "run_in_worker",
    "shutdown_pool",
]
