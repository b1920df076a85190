"""QBR decks: per-account context, PPTX deck, PDF leave-behind and follow-up email."""
