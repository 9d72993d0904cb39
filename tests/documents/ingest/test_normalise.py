"""Table tests for each normaliser: raw text in, expected text out."""

from __future__ import annotations

import pytest

from documents.ingest.normalise import (
    Line,
    collapse_spaces,
    drop_print_matter,
    extract_web_header,
    fold_width,
    is_footer_line,
    is_page_number,
    join_lines,
    markdown_line,
    normalise_layout,
    normalise_punctuation,
    normalise_text,
    strip_inline_markdown,
    unescape_markdown,
)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ｂ２Ｂ平台", "B2B平台"),
        ("２０２５年", "2025年"),
        ("ｅ天下", "e天下"),
        ("（一）、，；：《》〔〕", "（一）、，；：《》〔〕"),  # Chinese punctuation stays full-width
        ("“商品＋内容”", "“商品＋内容”"),  # only letters and digits are folded
        ("\u3000\u3000电子商务", "  电子商务"),
        ("电子\u200b商务\ufeff", "电子商务"),
        ("a\u00a0b", "a b"),
        ("", ""),
    ],
)
def test_fold_width(raw, expected):
    assert fold_width(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(一) 加快培育电子商务集聚区。", "（一）加快培育电子商务集聚区。"),
        ("(二十九)优化用地支持", "（二十九）优化用地支持"),
        ("（三） 培育电子商务龙头企业", "（三）培育电子商务龙头企业"),
        ("(1)第一点", "（1）第一点"),
        ("(市商务委牵头,市财政局、各区政府配合)", "（市商务委牵头，市财政局、各区政府配合）"),
        ("(市商务委牵头;市交委配合)", "（市商务委牵头；市交委配合）"),
        ("(市商务委牵头）", "（市商务委牵头）"),  # a mixed pair from a web copy
        ("落地,实现“一次认证”", "落地，实现“一次认证”"),
        ("认证服务机构(CA)认证", "认证服务机构(CA)认证"),  # nothing Chinese inside
        ("合计 3,000 万元", "合计 3,000 万元"),
        ("网址 http://example.cn/a", "网址 http://example.cn/a"),
        ("电话:0755-88916851", "电话：0755-88916851"),
        ("是否?", "是否？"),
    ],
)
def test_normalise_punctuation(raw, expected):
    assert normalise_punctuation(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("有效期  5年", "有效期 5年"),
        ("  大型 B2B  平台  ", "大型 B2B 平台"),
        ("", ""),
    ],
)
def test_collapse_spaces(raw, expected):
    assert collapse_spaces(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("(一)**加强平台企业培育引进**。大力培育", "(一)加强平台企业培育引进。大力培育"),
        ("**（三）推进产业园区提质增效。**推动产业园区", "（三）推进产业园区提质增效。推动产业园区"),
        ("(一)**加强培育**大力培育", "(一)加强培育。大力培育"),  # the title keeps a full stop
        ("__粗体__文字", "粗体文字"),
        ("*斜体*文字", "斜体文字"),
        ("post\\_10194106", "post_10194106"),
        ("post\\\\_10194106", "post_10194106"),
        ("[http://a.cn/x\\_1](http://a.cn/x_1)", "http://a.cn/x_1"),
        ("详见[通知](http://a.cn/n)", "详见通知（http://a.cn/n）"),
        ("![图](http://a.cn/p.png)", "图"),
        ("<http://a.cn/page>", "http://a.cn/page"),
        ("5*3=15", "5*3=15"),
        ("残留**", "残留"),
    ],
)
def test_strip_inline_markdown(raw, expected):
    assert strip_inline_markdown(raw) == expected


def test_unescape_markdown():
    assert unescape_markdown(r"a\_b\*c\#d") == "a_b*c#d"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("## 深圳市行动方案（2022-2025）", Line("深圳市行动方案（2022-2025）", standalone=True)),
        ("### 二、实施市场主体强本固元行动", Line("二、实施市场主体强本固元行动", standalone=True)),
        ("## **九、保障措施**", Line("九、保障措施", standalone=True)),
        ("---**产业规模质量国内领先**。力争", Line("——产业规模质量国内领先。力争", starts_paragraph=True)),
        ("- 列表项", Line("列表项", starts_paragraph=True)),
        ("> 引文", Line("引文")),
        ("——国际交流合作", Line("——国际交流合作", starts_paragraph=True)),
        ("普通一行", Line("普通一行")),
        ("---", None),
        ("* * *", None),
    ],
)
def test_markdown_line(raw, expected):
    assert markdown_line(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected_text", "expected_url"),
    [
        (
            "\n(以下附錄節錄自中華人民共和國廣州市人民政府的網站，全文可參閱\n<http://www.gz.gov.cn/a.shtml>)\n\n附錄\n\n标题\n",
            "\n\n\n标题\n",
            "http://www.gz.gov.cn/a.shtml",
        ),
        (
            "(以下附錄節錄自深圳市商務局的網站，全文可參閱  \n"
            "[http://commerce.sz.gov.cn/post\\\\_1.html](http://commerce.sz.gov.cn/post_1.html))\n\n附錄\n\n## 标题",
            "\n\n## 标题",
            "http://commerce.sz.gov.cn/post_1.html",
        ),
        ("（以下附录节录自某网站，全文可参阅 https://a.cn/x）\n正文", "\n正文", "https://a.cn/x"),
        ("没有页眉的正文\n附錄", "没有页眉的正文\n附錄", ""),
    ],
)
def test_extract_web_header(raw, expected_text, expected_url):
    assert extract_web_header(raw) == (expected_text, expected_url)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("-1-", True),
        ("- 12 -", True),
        ("— 3 —", True),
        ("－4－", True),
        ("第 2 页 共 10 页", True),
        ("3/10", True),
        ("2013", False),
        ("-1-正文", False),
        ("（一）", False),
    ],
)
def test_is_page_number(line, expected):
    assert is_page_number(line) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("公开属性：主动公开", True),
        ("深圳市人民政府办公厅                   2013年12月31日印发", True),
        ("2019年1月2日印发", True),
        ("（此件公开发布）", True),
        ("2013 年 12 月 27 日", False),
        ("现将《若干措施》印发给你们，请遵照执行。", False),
    ],
)
def test_is_footer_line(line, expected):
    assert is_footer_line(line) is expected


def test_drop_print_matter_removes_copy_to_with_its_continuation():
    lines = [
        "（二十五）以上措施自发布之日起实施。",
        "-9-",
        "公开属性：主动公开",
        "抄送：市委办公厅，市人大常委会办公厅，市纪委办",
        "公厅，市中级法院，市检察院。",
        "深圳市人民政府办公厅 2013年12月31日印发",
    ]
    assert drop_print_matter(lines) == ["（二十五）以上措施自发布之日起实施。"]


def test_drop_print_matter_stops_continuation_at_structure():
    assert drop_print_matter(["抄送：市委办公厅", "（二）下一条。"]) == ["（二）下一条。"]


def _paragraphs(*texts: str) -> list[str]:
    return join_lines([Line(text) for text in texts])


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        # PDF lines broken mid-word are joined without spaces.
        (
            ("鼓励大型电子商务平台企业通过兼并重组、战略合作等方式", "扩大市场份额。"),
            ["鼓励大型电子商务平台企业通过兼并重组、战略合作等方式扩大市场份额。"],
        ),
        # A paragraph broken by a blank line (seed 002) is joined too.
        (("按照政策规定综合考虑", "给予奖励；"), ["按照政策规定综合考虑给予奖励；"]),
        # After a sentence end a new paragraph starts.
        (("第一段。", "第二段。"), ["第一段。", "第二段。"]),
        (("以下措施：", "第二段"), ["以下措施：", "第二段"]),
        (("他说：“好。”", "下一段"), ["他说：“好。”", "下一段"]),
        # A closing quote alone does not end a sentence.
        (("工业和信息化部《电子商务“十二五”", "发展规划》"), ["工业和信息化部《电子商务“十二五”发展规划》"]),
        # Numbered items and chapter headings start paragraphs and headings end them.
        (
            ("二、深化普及电子商务应用", "（五）推动制造业电子商务扩大应用。"),
            ["二、深化普及电子商务应用", "（五）推动制造业电子商务扩大应用。"],
        ),
        (("一、总体要求", "以习近平新时代"), ["一、总体要求", "以习近平新时代"]),
        (
            ("（二十五）以上措施有效期 5年。实施", "期间，适时调整。"),
            ["（二十五）以上措施有效期 5年。实施期间，适时调整。"],
        ),
        # A two-line title before the first item, the addressee, the signature and the date.
        (
            (
                "深圳市人民政府印发深圳市关于进一步促进",
                "电子商务发展的若干措施的通知",
                "各区人民政府：",
                "深圳市人民政府",
                "2013 年 12 月 27 日",
                "深圳市关于进一步促进电子商务",
                "发展的若干措施",
                "为贯彻落实《若干意见》",
                "（国发〔2013〕32 号），特制定以下措施。",
            ),
            [
                "深圳市人民政府印发深圳市关于进一步促进电子商务发展的若干措施的通知",
                "各区人民政府：",
                "深圳市人民政府",
                "2013 年 12 月 27 日",
                "深圳市关于进一步促进电子商务发展的若干措施",
                "为贯彻落实《若干意见》（国发〔2013〕32 号），特制定以下措施。",
            ],
        ),
        (
            ("广州市人民政府办公厅关于印发若干措施的通知", "穗府办函〔2019〕2号", "各区人民政府："),
            ["广州市人民政府办公厅关于印发若干措施的通知", "穗府办函〔2019〕2号", "各区人民政府："],
        ),
        # A department parenthesis ends a paragraph.
        (("……宣传推介等服务。（市商务委牵头）", "鼓励新业态"), ["……宣传推介等服务。（市商务委牵头）", "鼓励新业态"]),
        # Latin words broken across lines keep a space; Chinese text does not gain one.
        (("支持 SaaS", "service 模式"), ["支持 SaaS service 模式"]),
        (("大型 B2B（企业对企业", "电子商务）"), ["大型 B2B（企业对企业电子商务）"]),
    ],
)
def test_join_lines(lines, expected):
    assert _paragraphs(*lines) == expected


def test_join_lines_keeps_markdown_headings_apart():
    lines = [Line("标题", standalone=True), Line("正文第一行"), Line("——目标一。", starts_paragraph=True)]
    assert join_lines(lines) == ["标题", "正文第一行", "——目标一。"]


def test_normalise_text_whole_pipeline():
    raw = (
        "(以下附錄節錄自某網站，全文可參閱\n<http://a.cn/x>)\n\n附錄\n\n"
        "## 深圳市某行动方案（2022-2025）\n\n"
        "### 一、总体要求\n\n"
        "(一)**加强平台企业培育引进**。大力培育本土  \n\n"
        "综合类平台。（市商务局负责）  \n"
        "-2-\n"
        "\u3000\u3000（二）第二条措施。\n"
    )
    normalised = normalise_text(raw)
    assert normalised.source_url == "http://a.cn/x"
    assert normalised.paragraphs == (
        "深圳市某行动方案（2022-2025）",
        "一、总体要求",
        "（一）加强平台企业培育引进。大力培育本土综合类平台。（市商务局负责）",
        "（二）第二条措施。",
    )
    assert normalised.text == "\n".join(normalised.paragraphs)


def test_normalise_layout_keeps_lines_and_page_marks():
    text, url = normalise_layout("目录\n\n\n\n风起扬帆正当时······ 1\n-1-\n**卷首语**  \n")
    assert (text, url) == ("目录\n\n风起扬帆正当时······ 1\n-1-\n卷首语", "")


@pytest.mark.parametrize(
    "line",
    [
        "扫一扫在手机打开当前页",
        "【打印本页】",
        "【打印】 【关闭】",
        "字体：大 中 小",
        "【字体：大 中 小】",
        "分享到：",
        "当前位置：首页 > 政策 > 文件",
    ],
)
def test_web_page_noise_is_not_text(line):
    assert is_footer_line(line)


@pytest.mark.parametrize("line", ["（一）打印行业加快转型。", "当前位置优越的产业园区要发挥示范作用。"])
def test_text_that_starts_like_noise_stays(line):
    assert not is_footer_line(line)
