"""Table tests for the gazetteer and the regions read from issuers, titles and 文号."""

from __future__ import annotations

from collections import Counter

import pytest

from documents.ingest.places import (
    LEVELS,
    display_name,
    gazetteer,
    level_of,
    region_in_name,
    region_of_doc_number,
)

SHENZHEN_DISTRICTS = "罗湖区 福田区 南山区 宝安区 龙岗区 盐田区 龙华区 坪山区 光明区"
GUANGZHOU_DISTRICTS = "荔湾区 越秀区 海珠区 天河区 白云区 黄埔区 番禺区 花都区 南沙区 从化区 增城区"
PROVINCE_ABBRS = "京津冀晋蒙辽吉黑沪苏浙皖闽赣鲁豫鄂湘粤桂琼渝川贵云藏陕甘青宁新港澳台"


def test_counts():
    places = gazetteer()
    assert len(places.of_level("national")) == 1
    assert len(places.of_level("province")) == 34
    assert len(places.of_level("city")) >= 333


@pytest.mark.parametrize(
    ("city", "districts"),
    [("深圳市", SHENZHEN_DISTRICTS), ("广州市", GUANGZHOU_DISTRICTS)],
)
def test_districts(city, districts):
    places = gazetteer()
    children = places.children(places.get(city))
    assert {child.name for child in children} == {city + district for district in districts.split()}
    assert {child.level for child in children} == {"district"}


def test_every_row_is_consistent():
    places = gazetteer()
    assert len({place.code for place in places.places}) == len(places.places)
    names = Counter(name for place in places.places for name in (place.name, *place.aliases))
    assert [name for name, count in names.items() if count > 1] == []
    for place in places.places:
        assert place.level in LEVELS
        assert len(place.code) == 6 and place.code.isdigit()
        parent = places.parent(place)
        if place.level == "national":
            assert parent is None
        else:
            assert LEVELS.index(parent.level) == LEVELS.index(place.level) - 1


def test_province_abbreviations():
    provinces = gazetteer().of_level("province")
    assert "".join(sorted(place.abbr for place in provinces)) == "".join(sorted(PROVINCE_ABBRS))


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("全国", "全国"),
        ("中国", "全国"),
        ("广东省", "广东省"),
        ("广东", "广东省"),
        ("深圳", "深圳市"),
        (" 深圳市 ", "深圳市"),
        ("深圳经济特区", "深圳市"),
        ("内蒙古", "内蒙古自治区"),
        ("广西", "广西壮族自治区"),
        ("香港", "香港特别行政区"),
        ("黔", "贵州省"),
        ("蜀", "四川省"),
        ("蓉", "成都市"),
        ("吉林", "吉林省"),
        ("吉林市", "吉林市"),
        ("海南", "海南省"),
        ("海南州", "海南藏族自治州"),
        ("延边", "延边朝鲜族自治州"),
        ("延边州", "延边朝鲜族自治州"),
        ("阿里地区", "阿里地区"),
        ("锡林郭勒", "锡林郭勒盟"),
        ("襄樊市", "襄阳市"),
        ("深圳市南山区", "深圳市南山区"),
        ("深圳市龙华新区", "深圳市龙华区"),
    ],
)
def test_get(name, expected):
    assert gazetteer().get(name).name == expected


@pytest.mark.parametrize("name", ["南山区", "天河区", "粤", "某市", ""])
def test_get_unknown(name):
    assert gazetteer().get(name) is None


@pytest.mark.parametrize(
    ("name", "ancestors", "province"),
    [
        ("深圳市南山区", ("深圳市", "广东省", "全国"), "广东省"),
        ("延边朝鲜族自治州", ("吉林省", "全国"), "吉林省"),
        ("北京市", ("全国",), "北京市"),
        ("全国", (), None),
    ],
)
def test_ancestors(name, ancestors, province):
    places = gazetteer()
    place = places.get(name)
    parent = places.parent(place)
    found = places.province_of(place)
    assert tuple(ancestor.name for ancestor in places.ancestors(place)) == ancestors
    assert (parent.name if parent else None) == (ancestors[0] if ancestors else None)
    assert (found.name if found else None) == province


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国务院", "全国"),
        ("国务院办公厅", "全国"),
        ("全国人民代表大会常务委员会", "全国"),
        ("人力资源社会保障部", "全国"),
        ("人力资源和社会保障部 财政部", "全国"),
        ("财政部", "全国"),
        ("商务部关于促进电子商务发展的意见", "全国"),
        ("工业和信息化部", "全国"),
        ("教育部", "全国"),
        ("国家发展改革委", "全国"),
        ("国家发展和改革委员会", "全国"),
        ("中国人民银行", "全国"),
        ("海关总署", "全国"),
        ("国家税务总局", "全国"),
        ("国家市场监督管理总局", "全国"),
        ("中共中央 国务院", "全国"),
        ("中共中央办公厅", "全国"),
        ("中华人民共和国海关总署公告", "全国"),
        ("广东省人民政府", "广东省"),
        ("广东省人民政府办公厅关于加快发展电子商务的意见", "广东省"),
        ("深圳市商务局", "深圳市"),
        ("深圳市推动跨境电子商务高质量发展行动方案", "深圳市"),
        ("深圳经济特区前海深港现代服务业合作区条例", "深圳市"),
        ("《深圳经济特区数据条例》", "深圳市"),
        ("浙江省第十三届人民代表大会常务委员会", "浙江省"),
        ("中共深圳市委", "深圳市"),
        ("中共广东省委办公厅", "广东省"),
        ("中国共产党深圳市委员会", "深圳市"),
        ("关于深圳市加快跨境电子商务发展的意见", "深圳市"),
        ("深圳市南山区人民政府", "深圳市南山区"),
        ("广州市天河区人民政府办公室", "广州市天河区"),
        ("广州市人民政府", "广州市"),
        ("广东省深圳市南山区", "深圳市南山区"),
        ("内蒙古自治区人民政府", "内蒙古自治区"),
        ("广西壮族自治区人民政府", "广西壮族自治区"),
        ("北京市人民政府", "北京市"),
        ("香港特别行政区政府", "香港特别行政区"),
        ("延边朝鲜族自治州人民政府", "延边朝鲜族自治州"),
        ("阿里地区行政公署", "阿里地区"),
        ("锡林郭勒盟行政公署", "锡林郭勒盟"),
        ("吉林市人民政府", "吉林市"),
        ("吉林省人民政府", "吉林省"),
        ("襄樊市人民政府", "襄阳市"),
        ("中国（广东）自由贸易试验区深圳前海蛇口片区管理委员会", "广东省"),
    ],
)
def test_region_in_name(text, expected):
    assert region_in_name(text).name == expected


@pytest.mark.parametrize(
    "text",
    [
        "",
        "在深圳市开展试点",
        "关于在深圳市开展跨境电子商务试点的通知",
        "关于推动电子商务的若干措施",
        "支持广东省企业开拓国际市场",
        "深圳建设中国特色社会主义先行示范区综合改革试点实施方案",  # a short name is not read
        "中山大学",
        "南山区人民政府",  # a district needs its city: 南山区 is also in 鹤岗
        "某市人民政府",
    ],
)
def test_region_in_name_none(text):
    assert region_in_name(text) is None


@pytest.mark.parametrize(
    ("doc_number", "expected"),
    [
        ("国发〔2019〕1号", "全国"),
        ("国办发〔2020〕24号", "全国"),
        ("国办函〔2019〕9号", "全国"),
        ("国函〔2020〕8号", "全国"),
        ("国令第708号", "全国"),
        ("国务院令第708号", "全国"),
        ("中华人民共和国国务院令第708号", "全国"),
        ("中发〔2020〕9号", "全国"),
        ("人社部发〔2019〕1号", "全国"),
        ("人社部函〔2020〕6号", "全国"),
        ("财税〔2019〕13号", "全国"),
        ("财建〔2019〕5号", "全国"),
        ("商务部公告2020年第1号", "全国"),
        ("工信部规〔2020〕1号", "全国"),
        ("发改高技〔2019〕1号", "全国"),
        ("教发〔2019〕2号", "全国"),
        ("国市监注〔2019〕1号", "全国"),
        ("银发〔2020〕1号", "全国"),
        ("粤府〔2020〕1号", "广东省"),
        ("粤府办〔2012〕131号", "广东省"),
        ("粤府函〔2019〕3号", "广东省"),
        ("粤府令第270号", "广东省"),
        ("广东省人民政府令第270号", "广东省"),
        ("深府〔2020〕1号", "深圳市"),
        ("深府办〔2020〕1号", "深圳市"),
        ("深府规〔2020〕1号", "深圳市"),
        ("深商务规〔2020〕3号", "深圳市"),
        ("深圳市人民政府令（第300号）", "深圳市"),
        ("穗府〔2011〕15号", "广州市"),
        ("穗府办〔2015〕56号", "广州市"),
        ("穗府办函〔2019〕2号", "广州市"),
        ("穗府办函[2019]2号", "广州市"),
        ("沪府发〔2020〕1号", "上海市"),
        ("浙政发〔2020〕1号", "浙江省"),
        ("浙政办发〔2020〕1号", "浙江省"),
        ("京政发〔2020〕1号", "北京市"),
        ("苏政发〔2020〕1号", "江苏省"),
        ("苏府〔2020〕1号", "苏州市"),
        ("苏府办〔2020〕1号", "苏州市"),
        ("宁政发〔2019〕3号", "宁夏回族自治区"),
        ("黔府办发〔2017〕68号", "贵州省"),
        ("筑府办发〔2018〕10号", "贵阳市"),
        ("内政发〔2020〕1号", "内蒙古自治区"),
        ("杭政〔2020〕1号", "杭州市"),
        ("甬政发〔2020〕1号", "宁波市"),
        ("成府发〔2020〕1号", "成都市"),
        ("榕政〔2020〕1号", "福州市"),
        ("东府〔2021〕54号", "东莞市"),
        ("东委发〔2015〕1号", "东莞市"),
        ("中府〔2020〕1号", "中山市"),
        ("中发改〔2020〕1号", "中山市"),
        ("汕府〔2020〕1号", "汕头市"),
        ("汕尾府〔2020〕1号", "汕尾市"),
        ("云政发〔2020〕1号", "云南省"),
        ("云府〔2020〕1号", "云浮市"),
    ],
)
def test_region_of_doc_number(doc_number, expected):
    assert region_of_doc_number(doc_number).name == expected


@pytest.mark.parametrize("doc_number", ["", "纳府办发〔2022〕2号", "某府〔2020〕1号", "〔2020〕1号"])
def test_region_of_doc_number_unknown(doc_number):
    assert region_of_doc_number(doc_number) is None


@pytest.mark.parametrize(
    ("name", "level"),
    [("全国", "national"), ("北京市", "province"), ("深圳市", "city"), ("深圳市南山区", "district"), ("某市", "")],
)
def test_level_of(name, level):
    assert level_of(name) == level
    place = gazetteer().get(name)
    if place:
        assert level_of(place) == level


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("全国", "全国"),
        ("广东省", "广东"),
        ("内蒙古自治区", "内蒙古"),
        ("深圳市", "深圳"),
        ("延边朝鲜族自治州", "延边"),
        ("深圳市南山区", "南山区"),
    ],
)
def test_display_name(name, expected):
    assert display_name(gazetteer().get(name)) == expected
