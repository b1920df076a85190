"""Build ``templates/board/board.pptx``, the 16:9 board-deck master.

It reuses the QBR master's builder (``templates/qbr/build_master.py``: theme,
named layouts "Title", "Chart", "Table", "KPI", "Two Content", "Title and
Content" and their named placeholders), so both decks share one look and one
contract with the renderer. Run ``python templates/board/build_master.py``
after changing either builder; commit the result. The output is deterministic.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "board.pptx"


def build() -> bytes:
    spec = importlib.util.spec_from_file_location("_qbr_master", HERE.parent / "qbr" / "build_master.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.build()


if __name__ == "__main__":
    OUT.write_bytes(build())
    print(f"wrote {OUT}")
