"""Rendering: number and date formatting, charts, PDFs (WeasyPrint) and PPTX decks.

Nothing here computes a metric; it turns what a document arranged into bytes.
"""
