"""The JSON API, mounted at ``PREFIX`` (``/api/``)."""

PREFIX = "api/"
