"""From an uploaded file's bytes to its text: one registry of the formats we read.

``EXTRACTORS`` maps a file suffix to a pure function ``bytes -> (text, how)``, where
*how* names the way the bytes were read ("utf-8", "gb18030", "html:gb2312", "docx",
"pdf"); ``extract_text`` picks one by the file's content where that is unmistakable
(a PDF or Word file saved as ``.txt``, a web page without a suffix) and otherwise by
its name. Formats we cannot read are refused with advice on what to do instead.

The command line and the admin upload both go through here. Library imports stay
inside the extractors, so importing the parser does not load python-docx or pdfminer.
"""

from __future__ import annotations

import codecs
import io
import re
import zipfile
from collections.abc import Callable, Iterator
from html.parser import HTMLParser
from pathlib import PurePath

from .decode import decode_bytes
from .errors import DecodeError, EmptyDocumentError, IngestError, UnsupportedFormatError

Extractor = Callable[[bytes], tuple[str, str]]


class CorruptFileError(DecodeError):
    """The file is (or is named as) a PDF, Word or HTML file, but cannot be opened as one."""


class EncryptedFileError(IngestError):
    """The file is locked with a password."""


class ScannedDocumentError(EmptyDocumentError):
    """A PDF whose pages carry no text layer: scanned images, or fonts that map to no characters."""


# --- registry -----------------------------------------------------------------------------


def read_html(data: bytes) -> tuple[str, str]:
    text, encoding = _decode_html(data)
    return _html_text(text), f"html:{encoding}"


def read_docx(data: bytes) -> tuple[str, str]:
    return _docx_text(data), "docx"


def read_pdf(data: bytes) -> tuple[str, str]:
    return _pdf_text(data), "pdf"


TEXT_SUFFIXES = (".txt", ".md", ".markdown", ".text")

EXTRACTORS: dict[str, Extractor] = {
    **dict.fromkeys(TEXT_SUFFIXES, decode_bytes),
    ".html": read_html,
    ".htm": read_html,
    ".shtml": read_html,  # how many government sites name their pages
    ".docx": read_docx,
    ".pdf": read_pdf,
}

SUPPORTED_LIST = " ".join(EXTRACTORS)  # for messages: ".txt .md .markdown .text .html …"

_SAVE_AS_DOCX = "请用 Word 或 WPS 打开，另存为 .docx 或 .txt 后再导入"
_UNSUPPORTED: dict[str, tuple[str, str]] = {
    ".doc": ("旧版 Word 文件", _SAVE_AS_DOCX),
    ".wps": ("WPS 文字文件", _SAVE_AS_DOCX),
    ".rtf": ("RTF 文件", _SAVE_AS_DOCX),
    ".odt": ("OpenDocument 文件", _SAVE_AS_DOCX),
    ".ofd": ("OFD 版式文件", "请用 OFD 阅读器（如数科阅读器）导出为 PDF 或 .txt 后再导入"),
    ".xls": ("Excel 表格", "政策正文请另存为 .docx、.pdf 或 .txt 后再导入"),
    ".xlsx": ("Excel 表格", "政策正文请另存为 .docx、.pdf 或 .txt 后再导入"),
    ".et": ("WPS 表格", "政策正文请另存为 .docx、.pdf 或 .txt 后再导入"),
    ".ppt": ("PowerPoint 演示文稿", "请另存为 PDF，或把文字复制到 .txt 后再导入"),
    ".pptx": ("PowerPoint 演示文稿", "请另存为 PDF，或把文字复制到 .txt 后再导入"),
    **dict.fromkeys(
        (".png", ".jpg", ".jpeg", ".gif", ".bmp", ".tif", ".tiff", ".webp"),
        ("图片", "请先进行文字识别（OCR），把文字保存为 .txt 或 .docx 后再导入"),
    ),
    **dict.fromkeys(
        (".zip", ".rar", ".7z", ".gz", ".tar"),
        ("压缩包", "请先解压，再导入其中的文件（可以导入整个文件夹）"),
    ),
}


def refusal(suffix: str) -> str:
    """What to tell the person who brought a file of type ``suffix`` that we do not read."""
    if suffix in _UNSUPPORTED:
        kind, advice = _UNSUPPORTED[suffix]
        return f"暂不支持导入{kind}（{suffix}）：{advice}。"
    return f"不支持的文件类型“{suffix or '无扩展名'}”：支持 {SUPPORTED_LIST}。"


def extract_text(data: bytes, *, filename: str) -> tuple[str, str]:
    """The text of a file and how it was read; raises an ``IngestError`` for what we cannot read.

    The content decides where it is unmistakable (PDF or ZIP signature, an HTML start, an
    old Office file); otherwise the suffix of ``filename`` does, and no suffix means text.
    """
    if not data or not data.strip():
        raise EmptyDocumentError("文件为空：没有可导入的文字。")
    suffix = PurePath(filename).suffix.lower()
    kind = sniff(data) or suffix or ".txt"
    if kind == _OLE:
        raise _ole_refusal(data, suffix)
    extractor = EXTRACTORS.get(kind)
    if extractor is None:
        raise UnsupportedFormatError(refusal(kind))
    text, how = extractor(data)
    if not text.strip():
        raise EmptyDocumentError("文件中没有文字：没有可导入的内容。")
    return text, how


# --- recognising a file by its content ----------------------------------------------------------

_OLE = "ole"  # old Office / WPS compound file: .doc .xls .ppt .wps, or a password-locked .docx
_OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_HTML_START_RE = re.compile(
    rb"^(?:\xef\xbb\xbf)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.I | re.S
)


def sniff(data: bytes) -> str | None:
    """The format ``data`` unmistakably is, or None.

    A suffix (``.pdf``, ``.docx``, ``.html``, ``.xlsx`` …), or ``"ole"`` for an old Office or WPS file.
    """
    head = data[:2048]
    if head.startswith(b"PK\x03\x04"):
        return _zip_kind(data)
    if head.startswith(_OLE_SIGNATURE):
        return _OLE
    if b"%PDF-" in head[:1024]:  # readers accept the signature anywhere in the first kilobyte
        return ".pdf"
    if _HTML_START_RE.match(head):
        return ".html"
    return None


def _zip_kind(data: bytes) -> str:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            names = set(archive.namelist())
    except Exception:  # whatever zipfile makes of a damaged archive: the Word reader reports it
        return ".docx"
    if "word/document.xml" in names:
        return ".docx"
    if "xl/workbook.xml" in names:
        return ".xlsx"
    if "ppt/presentation.xml" in names:
        return ".pptx"
    if "OFD.xml" in names:
        return ".ofd"
    if "content.xml" in names:
        return ".odt"
    return ".zip"


def _ole_refusal(data: bytes, suffix: str) -> IngestError:
    # A .docx with an opening password is stored as a compound file holding an "EncryptedPackage" stream.
    if "EncryptedPackage".encode("utf-16-le") in data:
        return EncryptedFileError("Word 文件设置了打开密码：请用 Word 或 WPS 打开，取消密码后另存为 .docx 再导入。")
    suffix = suffix if suffix in (".doc", ".wps", ".xls", ".et", ".ppt") else ".doc"
    return UnsupportedFormatError(refusal(suffix))


# --- HTML ---------------------------------------------------------------------------------

_META_CHARSET_RE = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.I)
_XML_ENCODING_RE = re.compile(rb"""^\s*<\?xml[^>]*encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
# Declarations honoured, by Python's codec name. Latin-1 and windows-1252 are left out: they decode
# any bytes, so a wrong declaration (common on Chinese sites) cannot be caught and would give mojibake.
_DECLARABLE = frozenset(
    {"utf-8", "gb2312", "gbk", "gb18030", "big5", "big5hkscs", "cp950", "euc_jp", "shift_jis", "cp932", "euc_kr"}
)
# What browsers decode the Chinese labels as: pages that say gb2312 routinely hold GBK characters.
_SUPERSET = {"gb2312": "gb18030", "gbk": "gb18030", "big5": "big5hkscs", "cp950": "big5hkscs"}


def _decode_html(data: bytes) -> tuple[str, str]:
    """Decode a page: a byte-order mark first, then what the page declares, then ``decode_bytes``."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_bytes(data)
    declared = _declared_charset(data[:4096])
    if declared:
        try:
            return data.decode(_SUPERSET.get(declared, declared)), declared
        except UnicodeDecodeError:
            pass  # the declaration is wrong; let the bytes speak
    return decode_bytes(data)


def _declared_charset(head: bytes) -> str | None:
    match = _META_CHARSET_RE.search(head) or _XML_ENCODING_RE.match(head)
    if not match:
        return None
    label = match.group(1).decode("ascii").lower()
    try:
        name = codecs.lookup({"x-gbk": "gbk", "x-gb18030": "gb18030"}.get(label, label)).name
    except LookupError:
        return None
    return name if name in _DECLARABLE else None


_SKIP_TAGS = frozenset({"script", "style", "head", "title", "noscript", "template"})
_BLOCK_TAGS = frozenset(
    {"address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details", "dialog", "div"}
    | {"dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6"}
    | {"header", "hr", "html", "legend", "li", "main", "nav", "ol", "p", "pre", "section", "summary"}
    | {"tbody", "tfoot", "thead", "ul"}
)
_CELL_TAGS = frozenset({"td", "th"})
_CJK = "\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef"
# A line break in the source between two Chinese characters is no space (CSS Text 3, segment breaks).
_CJK_SEGMENT_BREAK_RE = re.compile(rf"(?<=[{_CJK}])[ \t]*[\r\n]+[ \t]*(?=[{_CJK}])")
_HTML_SPACE_RE = re.compile(r"[ \t\r\n\f]+")
_LAYOUT_CELL_LINES = 10  # a cell with more lines than this holds a page's layout, not a table's datum


class _Table:
    """An open ``<table>``: where its text goes back to, its current row and cell."""

    def __init__(self, outer: list[str]) -> None:
        self.outer = outer
        self.row: list[tuple[str, bool]] | None = None
        self.cell: list[str] | None = None
        self.cell_has_table = False


class _PageText(HTMLParser):
    """Collects what a reader sees: blocks and ``<br>`` as line breaks, table rows as lines of cells.

    Cells are split by tabs. A row whose cells hold tables or many paragraphs is page layout (old
    government pages put the whole article in one cell), so its cells' lines stay lines.
    Missing ``</td>`` and ``</tr>`` are inferred, as browsers do.
    """

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)  # entities arrive unescaped in handle_data
        self.parts: list[str] = []
        self._out = self.parts
        self._skipping: list[str] = []
        self._pre = 0
        self._tables: list[_Table] = []

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag == "body" and "head" in self._skipping:  # a page that never closes its <head>
            self._skipping.clear()
        if tag in _SKIP_TAGS:
            self._skipping.append(tag)
        elif tag == "br":
            self._out.append("\n")
        elif tag == "table":
            self._out.append("\n")
            self._tables.append(_Table(self._out))
        elif tag == "tr" and self._tables:
            self._close_row(self._tables[-1])
            self._tables[-1].row = []
        elif tag in _CELL_TAGS and self._tables:
            table = self._tables[-1]
            self._close_cell(table)
            if table.row is None:
                table.row = []
            table.cell = self._out = []
        elif tag in _BLOCK_TAGS or tag in _CELL_TAGS or tag == "tr":
            self._out.append("\n")
            self._pre += tag == "pre"

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag not in _SKIP_TAGS:  # <script/> has nothing to skip
            self.handle_starttag(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        if tag in self._skipping:
            del self._skipping[self._skipping.index(tag) :]
        elif tag == "table" and self._tables:
            self._close_table()
        elif tag == "tr" and self._tables:
            self._close_row(self._tables[-1])
        elif tag in _CELL_TAGS and self._tables:
            self._close_cell(self._tables[-1])
        elif tag in _BLOCK_TAGS:
            self._out.append("\n")
            if tag == "pre" and self._pre:
                self._pre -= 1

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if not self._pre:
            data = _HTML_SPACE_RE.sub(" ", _CJK_SEGMENT_BREAK_RE.sub("", data))
        self._out.append(data)

    def close(self) -> None:
        super().close()
        while self._tables:
            self._close_table()

    def _close_table(self) -> None:
        table = self._tables.pop()
        self._close_row(table)
        self._out = table.outer
        self._out.append("\n")
        if self._tables and self._tables[-1].cell is not None:
            self._tables[-1].cell_has_table = True

    def _close_cell(self, table: _Table) -> None:
        if table.cell is not None and table.row is not None:
            table.row.append(("".join(table.cell), table.cell_has_table))
        table.cell, table.cell_has_table = None, False
        self._out = table.outer

    def _close_row(self, table: _Table) -> None:
        self._close_cell(table)
        if table.row:
            table.outer.append(_row_text(table.row))
        table.row = None


def _row_text(cells: list[tuple[str, bool]]) -> str:
    lines = [[line.strip() for line in text.split("\n") if line.strip()] for text, _ in cells]
    layout = len(cells) == 1 or any(
        has_table or len(cell) > _LAYOUT_CELL_LINES for (_, has_table), cell in zip(cells, lines, strict=True)
    )
    if layout:
        return "\n" + "\n".join(line for cell in lines for line in cell) + "\n"
    return "\n" + "\t".join(" ".join(cell) for cell in lines) + "\n"


def _html_text(markup: str) -> str:
    # The standard library's parser: it never gives up on broken markup (which old government pages
    # are full of), needs no dependency, and all we need from it is a stream of tags and text.
    page = _PageText()
    try:
        page.feed(markup)
        page.close()
    except Exception as exc:  # the parser's contract is to be lenient; a failure is still the file's fault
        raise CorruptFileError(f"网页内容无法解析（{type(exc).__name__}）：请检查文件是否完整。") from exc
    lines = (line.strip(" ") for line in "".join(page.parts).split("\n"))
    return "\n".join(line for line in lines if line.strip())


# --- Word (.docx) -------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC_FALLBACK = "{http://schemas.openxmlformats.org/markup-compatibility/2006}Fallback"
# Inside a paragraph: deleted or moved-away text, drawings and text boxes (a letterhead, a seal) and
# the second copy of content that Word writes for older readers are not part of the running text.
_SKIP_IN_PARAGRAPH = frozenset(
    {
        _W + "pPr",
        _W + "rPr",
        _W + "del",
        _W + "moveFrom",
        _W + "drawing",
        _W + "pict",
        _W + "object",
        _W + "txbxContent",
        _MC_FALLBACK,
    }
)
_SKIP_IN_BODY = frozenset({_W + "sectPr", _W + "sdtPr", _W + "del", _W + "moveFrom"})


def _docx_text(data: bytes) -> str:
    """Paragraphs and tables in body order, with the list numbers Word draws added back.

    Page headers, footers, footnotes, comments and text boxes are not read.
    """
    import docx
    from docx.opc.constants import RELATIONSHIP_TYPE

    if not data.startswith(b"PK\x03\x04"):
        raise CorruptFileError("这不是有效的 .docx 文件（.docx 应为 ZIP 格式）：文件可能已损坏，或扩展名有误。")
    try:
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
        try:
            numbering = document.part.part_related_by(RELATIONSHIP_TYPE.NUMBERING).element
        except KeyError:
            numbering = None
        numbers = _ListNumbers(numbering, document.styles.element)
        return "\n".join(_block_lines(body, numbers))
    except Exception as exc:  # python-docx and lxml raise many kinds; all mean the file is damaged
        raise CorruptFileError(
            f"无法打开 Word 文件（{type(exc).__name__}）：文件已损坏，无法按 ZIP/.docx 读取。"
            "请用 Word 或 WPS 打开后重新另存为 .docx 再导入。"
        ) from exc


def _block_lines(container, numbers: _ListNumbers) -> Iterator[str]:
    for child in container:
        if child.tag == _W + "p":
            yield numbers.label(child) + _paragraph_text(child)
        elif child.tag == _W + "tbl":
            yield from _table_lines(child, numbers)
        elif child.tag not in _SKIP_IN_BODY:  # content controls, custom XML, tracked insertions
            yield from _block_lines(child, numbers)


def _table_lines(table, numbers: _ListNumbers) -> Iterator[str]:
    for row in table.iter(_W + "tr"):
        if next(row.iterancestors(_W + "tbl")) is not table:
            continue  # a nested table is read as part of its cell
        cells = []
        for cell in row.iterchildren(_W + "tc"):
            merge = cell.find(f"{_W}tcPr/{_W}vMerge")
            if merge is not None and merge.get(_W + "val", "continue") != "restart":
                cells.append("")  # the lower part of a vertically merged cell shows nothing
                continue
            cells.append(" ".join(line.strip() for line in _block_lines(cell, numbers) if line.strip()))
        if any(cells):
            yield "\t".join(cells)


def _paragraph_text(paragraph) -> str:
    # Unlike python-docx's Paragraph.text this keeps text in tracked insertions, content controls
    # and simple fields, which a reader of the document sees.
    parts: list[str] = []

    def walk(element) -> None:
        for child in element:
            tag = child.tag
            if tag in _SKIP_IN_PARAGRAPH:
                continue
            if tag == _W + "t":
                parts.append(child.text or "")
            elif tag in (_W + "tab", _W + "ptab"):
                parts.append("\t")
            elif tag in (_W + "br", _W + "cr"):
                parts.append("\n")
            elif tag == _W + "noBreakHyphen":
                parts.append("-")
            else:
                walk(child)

    walk(paragraph)
    return "".join(parts)


class _ListNumbers:
    """The labels Word draws before numbered paragraphs ("（一）", "1."), which are not in their text.

    Counts as Word does for the common cases: per list definition, restarting deeper levels when a
    level above advances and honouring a list's start override. Not covered: ``numStyleLink``
    indirections, ``lvlRestart`` exceptions and custom formats (read as decimal); bullets are left out.
    """

    def __init__(self, numbering, styles) -> None:
        self._abstract = {}
        self._nums: dict[str, tuple[str, dict[int, int]]] = {}
        if numbering is not None:
            self._abstract = {a.get(_W + "abstractNumId"): a for a in numbering.iterchildren(_W + "abstractNum")}
            for num in numbering.iterchildren(_W + "num"):
                overrides = {
                    int(o.get(_W + "ilvl", "0")): int(_val(o.find(_W + "startOverride"), "1"))
                    for o in num.iterchildren(_W + "lvlOverride")
                    if o.find(_W + "startOverride") is not None
                }
                self._nums[num.get(_W + "numId")] = (_val(num.find(_W + "abstractNumId"), ""), overrides)
        self._styles = {s.get(_W + "styleId"): s for s in styles.iterchildren(_W + "style")}
        self._default_style = next(
            (i for i, s in self._styles.items() if s.get(_W + "type") == "paragraph" and s.get(_W + "default") == "1"),
            None,
        )
        self._counters: dict[str, dict[int, int]] = {}
        self._started: set[str] = set()

    def label(self, paragraph) -> str:
        num_id, ilvl, style_id = self._numbering_of(paragraph)
        if not num_id or num_id == "0" or num_id not in self._nums:
            return ""
        abstract_id, overrides = self._nums[num_id]
        abstract = self._abstract.get(abstract_id)
        if abstract is None:
            return ""
        levels = {int(lvl.get(_W + "ilvl", "0")): lvl for lvl in abstract.iterchildren(_W + "lvl")}
        if ilvl is None:  # a style linked to a multilevel list names its level in the list
            ilvl = next((i for i, lvl in levels.items() if _val(lvl.find(_W + "pStyle"), None) == style_id), 0)
        level = levels.get(ilvl)
        if level is None:
            return ""
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._started:
            self._started.add(num_id)
            for at, start in overrides.items():
                counters[at] = start - 1
        counters[ilvl] = counters.get(ilvl, _start(level) - 1) + 1
        for deeper in [at for at in counters if at > ilvl]:
            del counters[deeper]
        fmt = _val(level.find(_W + "numFmt"), "decimal")
        if fmt in ("bullet", "none"):
            return ""
        legal = level.find(_W + "isLgl") is not None

        def number(match: re.Match[str]) -> str:
            at = int(match.group(1)) - 1
            other = levels.get(at)
            value = counters.get(at, _start(other) if other is not None else 1)
            other_fmt = _val(other.find(_W + "numFmt"), "decimal") if other is not None else "decimal"
            return format_list_number(value, "decimal" if legal else other_fmt)

        text = re.sub(r"%([1-9])", number, _val(level.find(_W + "lvlText"), ""))
        return text + {"nothing": "", "space": " "}.get(_val(level.find(_W + "suff"), "tab"), "\t")

    def _numbering_of(self, paragraph) -> tuple[str | None, int | None, str | None]:
        properties = paragraph.find(_W + "pPr")
        style_id = _val(properties.find(_W + "pStyle"), None) if properties is not None else None
        style_id = style_id or self._default_style
        num_id, ilvl = _num_pr(properties)
        seen: set[str] = set()
        current = style_id
        while (num_id is None or ilvl is None) and current and current not in seen:
            seen.add(current)
            style = self._styles.get(current)
            if style is None:
                break
            style_num, style_ilvl = _num_pr(style.find(_W + "pPr"))
            num_id = num_id if num_id is not None else style_num
            if ilvl is None and style_num is not None and style_ilvl is not None:
                ilvl = style_ilvl
            current = _val(style.find(_W + "basedOn"), None)
        return num_id, ilvl, style_id


def _val(element, default):
    return default if element is None else element.get(_W + "val", default)


def _num_pr(properties) -> tuple[str | None, int | None]:
    num_pr = properties.find(_W + "numPr") if properties is not None else None
    if num_pr is None:
        return None, None
    ilvl = _val(num_pr.find(_W + "ilvl"), None)
    return _val(num_pr.find(_W + "numId"), None), int(ilvl) if ilvl is not None else None


def _start(level) -> int:
    return int(_val(level.find(_W + "start"), "1"))


_CN_DIGITS = "零一二三四五六七八九"
_CN_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_ROMAN = ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"))
_ROMAN += ((50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I"))


def format_list_number(value: int, fmt: str) -> str:
    """``value`` written in Word's number format ``fmt`` (``chineseCounting`` 11 → "十一")."""
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese_number(value, _CN_DIGITS, "十", "百", bare_ten=True)
    if fmt == "chineseLegalSimplified":
        return _chinese_number(value, _CN_LEGAL_DIGITS, "拾", "佰", bare_ten=False)
    if fmt == "ideographTraditional" and value >= 1:
        return "甲乙丙丁戊己庚辛壬癸"[(value - 1) % 10]
    if fmt == "ideographZodiac" and value >= 1:
        return "子丑寅卯辰巳午未申酉戌亥"[(value - 1) % 12]
    if fmt in ("ideographDigital", "taiwaneseDigital"):
        return "".join("〇一二三四五六七八九"[int(d)] for d in str(value))
    enclosed = {"decimalEnclosedCircle": 0x2460, "decimalEnclosedCircleChinese": 0x2460}
    enclosed |= {"decimalEnclosedParen": 0x2474, "decimalEnclosedFullstop": 0x2488}
    if fmt in enclosed and 1 <= value <= 20:
        return chr(enclosed[fmt] + value - 1)
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(ord(d) + 0xFEE0) for d in str(value))
    if fmt == "decimalZero":
        return f"{value:02d}"
    if fmt in ("upperLetter", "lowerLetter") and value >= 1:
        letter = chr(ord("A") + (value - 1) % 26) * ((value - 1) // 26 + 1)
        return letter if fmt == "upperLetter" else letter.lower()
    if fmt in ("upperRoman", "lowerRoman") and 1 <= value < 4000:
        roman = ""
        for amount, numeral in _ROMAN:
            count, value = divmod(value, amount)
            roman += numeral * count
        return roman if fmt == "upperRoman" else roman.lower()
    return str(value)


def _chinese_number(value: int, digits: str, ten: str, hundred: str, *, bare_ten: bool) -> str:
    if not 0 <= value < 1000:
        return str(value)
    if value < 10:
        return digits[value]
    hundreds, rest = divmod(value, 100)
    tens, ones = divmod(rest, 10)
    text = digits[hundreds] + hundred if hundreds else ""
    if tens:
        text += ("" if tens == 1 and bare_ten and not hundreds else digits[tens]) + ten
    elif hundreds and ones:
        text += digits[0]
    return text + (digits[ones] if ones else "")


# --- PDF ------------------------------------------------------------------------------------------

_CID_RE = re.compile(r"\(cid:\d+\)")


def _pdf_text(data: bytes) -> str:
    from pdfminer.high_level import extract_text as pdfminer_text
    from pdfminer.pdfdocument import PDFEncryptionError

    if b"%PDF-" not in data[:1024]:
        raise CorruptFileError("这不是有效的 PDF 文件（缺少 PDF 文件头）：文件可能已损坏，或扩展名有误。")
    try:
        text = pdfminer_text(io.BytesIO(data))
    except PDFEncryptionError as exc:
        raise EncryptedFileError(
            "PDF 文件设置了打开密码：请用密码打开后另存为不加密的 PDF，或导出为 .docx/.txt 后再导入。"
        ) from exc
    except Exception as exc:  # pdfminer raises many kinds for a damaged file
        raise CorruptFileError(
            f"无法读取 PDF 文件（{type(exc).__name__}）：文件可能已损坏或不完整，请重新下载或另存后再导入。"
        ) from exc
    if not text.strip():
        raise ScannedDocumentError(
            "PDF 中没有可提取的文字（可能是扫描件或图片）：请先进行文字识别（OCR），或找到可复制文字的版本再导入。"
        )
    visible = re.sub(r"\s", "", text)
    if len("".join(_CID_RE.findall(visible))) > len(visible) / 2:
        raise ScannedDocumentError(
            "PDF 的字体没有文字编码，提取出的是乱码：请用 PDF 阅读器另存为文本，或进行文字识别（OCR）后再导入。"
        )
    return text
