"""`summary.csv`: one row per document, for scripts and spreadsheets.

Stable machine columns (tables.DOCUMENT_COLUMNS: codes, not translated labels) so a script written
against one run reads the next; every row names the rules version, legal snapshot and as-of date.
UTF-8 with a BOM so Excel opens Vietnamese text correctly. Written in chunks from the result stream.
"""
from __future__ import annotations

from pathlib import Path
from typing import Callable, Iterator

from pipeline.report.outputs import batch_writer
from pipeline.report.tables import DOCUMENT_COLUMNS, document_row

CHUNK = 1000  # rows per pandas frame: memory stays flat whatever the batch size


@batch_writer("csv")
def write_csv(run: dict, results: Callable[[], Iterator[dict]], out_dir: Path, lang: str = "vi") -> list[Path]:
    import pandas as pd  # here, not at import: registering the writer must not cost every CLI run pandas

    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "summary.csv"
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        chunk: list[dict] = []
        header = True

        def flush() -> None:
            nonlocal header, chunk
            frame = pd.DataFrame(chunk, columns=DOCUMENT_COLUMNS)
            for col in ("n_new", "n_resolved"):  # blank without a baseline, whole numbers with one
                frame[col] = frame[col].astype("Int64")
            frame.to_csv(fh, header=header, index=False, lineterminator="\n")
            header, chunk = False, []

        for result in results():
            chunk.append(document_row(run, result))
            if len(chunk) >= CHUNK:
                flush()
        if chunk or header:
            flush()
    return [path]
