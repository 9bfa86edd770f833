"""Web service: `dccs serve` — an upload page and a JSON API; uploaded documents are never kept.

Entry points: `create_app(ServeConfig)` (the FastAPI app) and `cmd_serve(args)` (the CLI command).
"""
from __future__ import annotations

from pipeline.serve.config import MB, ServeConfig


def create_app(config: ServeConfig | None = None):
    from pipeline.serve.app import create_app as _create

    return _create(config)


def cmd_serve(args) -> int:
    import logging
    import sys

    try:
        import fastapi  # noqa: F401
        import uvicorn
    except ImportError as exc:
        print(f"dccs serve: thiếu gói {exc.name}; cài bằng: pip install 'dccs[serve]' / missing package "
              f"{exc.name}; install with: pip install 'dccs[serve]'", file=sys.stderr)
        return 2
    from pipeline.serve.pool import default_workers

    config = ServeConfig(workers=args.workers or default_workers(), max_upload=int(args.max_upload_mb * MB),
                         timeout=args.timeout, queue=args.queue, temp_root=args.temp_dir)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    print(f"dccs serve: http://{args.host}:{args.port}/  (API: /docs)", flush=True)
    uvicorn.run(create_app(config), host=args.host, port=args.port, log_level="info")
    return 0
