"""Pure Customer Success metrics: DataFrames in, DataFrames or dataclasses out.

Nothing in this package reads or writes files, opens connections or formats
numbers for display. Money is in the reporting currency; rates are fractions.
"""

from __future__ import annotations

DEFINITIONS_VERSION = "csreports-metrics/1.1"
"""Version of the metric definitions; written into every output."""
