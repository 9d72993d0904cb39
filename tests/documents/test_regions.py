"""Regions are placed in the national hierarchy the first time a document names them."""

from __future__ import annotations

import pytest

from documents.services import region_get_or_create

pytestmark = pytest.mark.django_db


def test_a_city_outside_guangdong_is_placed_under_its_province():
    region = region_get_or_create(name="杭州市")
    assert (region.level, region.parent.name, region.parent.level) == ("city", "浙江省", "province")
    assert region.parent.parent.name == "全国"


def test_a_district_sits_under_its_city():
    region = region_get_or_create(name="深圳市南山区")
    assert (region.level, region.parent.name, region.parent.parent.name) == ("district", "深圳市", "广东省")


def test_a_name_the_gazetteer_does_not_know_gets_a_guessed_level():
    region = region_get_or_create(name="前海合作区")
    assert (region.level, region.parent) == ("district", None)
