"""Output: safe file names and atomic writes, the run manifest, the figures a
document records, and the metrics files.
"""
