"""Settings of `dccs serve`, one object handed to the app factory (tests point temp_root at tmp_path)."""
from __future__ import annotations

from dataclasses import dataclass

MB = 1024 * 1024


@dataclass
class ServeConfig:
    workers: int = 1  # document worker processes
    max_upload: int = 20 * MB  # bytes of the uploaded file
    timeout: float = 60.0  # seconds per document in a worker
    memory: int = 2 * 1024 ** 3  # bytes of address space per worker
    queue: int = 64  # requests that may wait for a worker; beyond that the answer is 503
    temp_root: str | None = None  # parent of the per-request private directories (None: the system's)
    lang: str = "vi"  # the page's language
