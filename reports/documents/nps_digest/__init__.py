"""The quarterly NPS theme digest: context (:mod:`.context`), PDF (:mod:`.render`), CSV (:mod:`.csv_export`)."""
