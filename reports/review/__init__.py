"""Review and delivery of a run's documents: who approved, held or sent which file, and when."""
