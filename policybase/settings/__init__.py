"""Settings are split by environment: base (shared), dev (local default), test, production."""
