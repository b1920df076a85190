"""Month labels of a QBR's charts, formatted for a locale and memoised (every deck of a run shares them).

The months and periods themselves are :class:`cs_calc.account_facts.AccountPeriods`.
"""

from __future__ import annotations

from functools import lru_cache

import pandas as pd

from reports.render.formatting import format_month


@lru_cache(maxsize=256)
def month_labels(months: tuple[pd.Timestamp, ...], locale: str) -> tuple[str, ...]:
    """Each month formatted for ``locale`` ("Sep 2026", Swedish "sep. 2026")."""
    return tuple(format_month(month, locale) for month in months)
