"""Converters from public dataset formats to the pipeline's event JSON (one object per line)."""
