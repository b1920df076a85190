"""Batch runs: ``csreports run JOB.yaml`` (job files, plans, executors, resumable manifest)."""
