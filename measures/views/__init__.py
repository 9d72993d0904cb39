"""Measure pages, one module per area: browse (home, themes, measure), search (the measure list)."""
