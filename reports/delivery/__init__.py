"""Delivering approved QBR documents to each account's contacts (``csreports deliver``)."""
