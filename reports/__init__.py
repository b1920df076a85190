"""csreports: documents from Customer Success data.

The ``reports`` package loads and validates data, turns ``cs_calc`` results
into document contexts, renders them and runs the command line.
"""

from __future__ import annotations

__version__ = "0.1.0"
