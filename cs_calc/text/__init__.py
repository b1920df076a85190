"""Text analysis of free-text comments: tokens and stemming, sentiment, themes and
emerging topics. Pure functions, no I/O.
"""
