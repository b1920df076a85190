"""One package per document kind (QBR, leadership reports, NPS digest, weekly
email), declared once in :mod:`reports.documents.kinds`. Documents select,
format and arrange what the run computed; they never call a cs_calc computation.
"""
