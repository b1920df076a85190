"""Input: the data contract, loading (folders, SQL), validation, the typed dataset,
the bundled sample and its generator, and the YAML configuration.
"""
