"""Bounds on the numbers a query string may carry, so a value no record can have is a clear validation error
(a notice on a page, a 400 in the API) and never reaches the database as an out-of-range integer.

One definition for every filter that takes a year or an id: the measure and document FilterSets, the compare
page's parameters and the department filter.
"""

from __future__ import annotations

import django_filters
from django import forms

YEAR_MIN, YEAR_MAX = 1900, 2100
ID_MAX = 2**31 - 1  # the largest id PostgreSQL's integer keys hold


class IntegerFilter(django_filters.NumberFilter):
    """A whole number (``1e10`` and ``2.5`` are not), between the bounds given as ``min_value``/``max_value``."""

    field_class = forms.IntegerField


def year_filter(**kwargs) -> IntegerFilter:
    return IntegerFilter(min_value=YEAR_MIN, max_value=YEAR_MAX, **kwargs)


def id_filter(**kwargs) -> IntegerFilter:
    return IntegerFilter(min_value=1, max_value=ID_MAX, **kwargs)


def parse_id(value: str) -> int | None:
    """An id written in a query string, or ``None`` when it is not one a record can have."""
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii():
        return None
    number = int(value)
    return number if 1 <= number <= ID_MAX else None


def parse_year(value: str | None) -> int | None:
    value = (value or "").strip()
    if not value.isdigit() or not value.isascii():
        return None
    number = int(value)
    return number if YEAR_MIN <= number <= YEAR_MAX else None
