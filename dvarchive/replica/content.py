"""Deterministic Vietnamese text about mass-mobilization work (công tác dân vận).

Every function takes the ``random.Random`` to draw from, so the same seed gives the same words.
All text is NFC; the renderer decides whether a page shows it decomposed or as entities.
"""
from __future__ import annotations

import functools
import random
import string
from collections.abc import Callable, Sequence
from datetime import datetime
from typing import TypeVar

T = TypeVar("T")

DISTRICTS = (
    "Thăng Bình", "Duy Xuyên", "Điện Bàn", "Núi Thành", "Phú Ninh", "Tiên Phước", "Hiệp Đức",
    "Quế Sơn", "Đại Lộc", "Nông Sơn", "Phước Sơn", "Bắc Trà My",
)
MOUNTAIN_DISTRICTS = ("Tây Giang", "Đông Giang", "Nam Giang", "Phước Sơn", "Nam Trà My", "Bắc Trà My")
COMMUNES = (
    "Bình Trung", "Bình Sa", "Tam Thăng", "Tam Phú", "Duy Hải", "Duy Sơn", "Điện Phương",
    "Điện Minh", "Đại Hiệp", "Quế Xuân", "Tiên Cảnh", "Tam Xuân", "Bình Nam", "Tam Anh Nam",
)
MOUNTAIN_COMMUNES = ("A Tiêng", "Lăng", "Bhalêê", "Tà Lu", "Sông Kôn", "Zuôih", "Chà Vàl", "Trà Leng",
                     "Trà Cang", "Phước Kim", "Trà Don")
VILLAGES = ("Châu Lâm", "Phú Quý", "Ngọc Tú", "Bút Nhan", "An Mỹ", "Trung Phường", "Thạnh Mỹ",
            "Tứ Sơn", "Hà Lam", "Xuân Mỹ", "Đồng Trì")
ETHNIC_GROUPS = ("Cơ Tu", "Xơ Đăng", "Giẻ Triêng", "Co", "Ca Dong", "Bh'noong")
ORGANISATIONS = (
    "Ủy ban MTTQ Việt Nam", "Hội Liên hiệp Phụ nữ", "Hội Nông dân", "Hội Cựu chiến binh",
    "Đoàn Thanh niên Cộng sản Hồ Chí Minh", "Liên đoàn Lao động", "Bộ Chỉ huy Quân sự",
)
FIELDS = (
    "vệ sinh môi trường", "xây dựng nông thôn mới", "giảm nghèo bền vững", "bảo đảm an ninh trật tự",
    "phát triển kinh tế hộ gia đình", "cải cách hành chính", "hiến đất làm đường giao thông",
    "giữ gìn bản sắc văn hóa dân tộc", "phòng, chống thiên tai", "chăm lo người có công",
)
MODELS = (
    "“Con đường hoa”", "“Tổ tự quản an ninh trật tự”", "“Nuôi heo đất tiết kiệm”",
    "“Ngày chủ nhật xanh”", "“Dòng họ văn hóa”", "“Chi hội phụ nữ không có người sinh con thứ ba”",
    "“Vườn mẫu”", "“Bò giống luân chuyển”", "“Thắp sáng đường quê”",
)
LEADERS = (
    ("Nguyễn Văn Hùng", "Ủy viên Ban Thường vụ, Trưởng Ban Dân vận Tỉnh ủy"),
    ("Trần Thị Thu Hà", "Phó Trưởng Ban Dân vận Tỉnh ủy"),
    ("Lê Văn Dũng", "Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"),
    ("Phan Thị Kim Oanh", "Trưởng Ban Dân vận Huyện ủy"),
    ("Huỳnh Minh Tuấn", "Bí thư Huyện ủy"),
    ("Võ Xuân Ca", "Phó Bí thư Thường trực Tỉnh ủy"),
)
PEOPLE = ("Alăng Ngước", "Bríu Pố", "Hồ Văn Thanh", "Nguyễn Thị Lài", "Zơrâm Thị Nhung",
          "Đinh Văn Lực", "Trần Văn Mười", "Bhling Mia")
AUTHORS = (
    "Minh Châu", "T.XUÂN - H.BIN", "Đ.ĐẠO", "Duy Nghi", "Phan Vinh", "Minh Khoa", "Hoàng Liên",
    "N.ĐIỀU", "Thanh Thắng", "VĂN PHIN - NGỌC ÁNH", "Hữu Thắng", "Trà My", "A.SỰ",
)
SOURCES = ("Báo Quảng Nam", "Ban Dân vận Trung ương", "Báo Nhân Dân", "Tạp chí Dân vận",
           "Cổng Thông tin điện tử tỉnh", "Đài Phát thanh - Truyền hình tỉnh")
OTHER_SITES = ("https://baoquangnam.example", "https://dangcongsan.example", "https://danvan.example.vn")
TIMES_OF_DAY = ("Sáng", "Chiều", "Sáng", "Chiều", "Tối")
QUARTERS = ("I", "II", "III", "IV")

TITLES: dict[str, tuple[str, ...]] = {
    "tin-hoat-dong": (
        "Hội nghị triển khai nhiệm vụ công tác dân vận năm {year}",
        "Ban Dân vận Tỉnh ủy kiểm tra công tác dân vận tại huyện {district}",
        "Tập huấn kỹ năng vận động quần chúng cho cán bộ thôn, khối phố huyện {district}",
        "Gặp mặt người có uy tín trong đồng bào dân tộc thiểu số huyện {mountain_district}",
        "Hội nghị giao ban khối dân vận quý {quarter} năm {year}",
        "Ký kết chương trình phối hợp giữa Ban Dân vận và {org} tỉnh",
        "Đoàn công tác Ban Dân vận Trung ương thăm và làm việc tại huyện {district}",
        "Đối thoại giữa người đứng đầu cấp ủy với nhân dân xã {commune}",
        "Huyện {district} sơ kết {n} năm thực hiện Quy chế dân chủ ở cơ sở",
        "Thăm, tặng quà đồng bào {ethnic} nhân dịp Tết Nguyên đán",
    ),
    "dan-van-kheo": (
        "Xã {commune} ra mắt mô hình “Dân vận khéo” trong {field}",
        "Tổng kết phong trào thi đua “Dân vận khéo” năm {year} ở huyện {district}",
        "Mô hình {model} ở thôn {village} mang lại hiệu quả thiết thực",
        "“Dân vận khéo” trong {field} ở huyện {mountain_district}",
        "Nhân rộng mô hình {model} tại xã {commune}",
        "Hiệu quả từ mô hình “Dân vận khéo” của {org} huyện {district}",
    ),
    "nghien-cuu-trao-doi": (
        "Một số giải pháp nâng cao chất lượng công tác dân vận trong {field}",
        "Công tác dân vận trong {field}: thực trạng và giải pháp",
        "Bàn về vai trò của {org} trong xây dựng khối đại đoàn kết toàn dân tộc",
        "Tầm quan trọng của công tác dân vận chính quyền trong tình hình mới ở huyện {district}",
        "Phát huy quyền làm chủ của nhân dân trong {field}",
        "Đổi mới phương thức công tác dân vận ở vùng đồng bào {ethnic}",
    ),
    "guong-dien-hinh": (
        "Già làng {person} hết lòng vì buôn làng",
        "{person} – tấm gương sáng trong {field}",
        "Người bí thư chi bộ tận tụy ở thôn {village}",
        "Nữ cán bộ dân vận gần dân, sát dân ở xã {mountain_commune}",
        "Cựu chiến binh {person} làm giàu từ mô hình {model}",
        "Người có uy tín {person} vận động bà con {ethnic} {field}",
    ),
    "van-ban": (
        "Kế hoạch số {doc_no}-KH/BDVTU thực hiện công tác dân vận năm {year}",
        "Hướng dẫn số {doc_no}-HD/BDVTW về tổ chức phong trào thi đua “Dân vận khéo”",
        "Quyết định số {doc_no}-QĐ/TU ban hành Quy chế công tác dân vận của hệ thống chính trị",
        "Công văn về việc tổ chức hội nghị đối thoại với nhân dân năm {year}",
        "Chỉ thị số {doc_no}-CT/TU về tăng cường công tác dân vận trong {field}",
        "Báo cáo sơ kết công tác dân vận quý {quarter} năm {year}",
    ),
}

SAPOS = (
    "{time_of_day} {day}/{month}, Ban Dân vận Huyện ủy {district} tổ chức hội nghị tổng kết công tác dân vận.",
    "Mô hình nhằm huy động sức dân cùng chung tay {field}.",
    "Tạo chuyển biến mạnh mẽ, hiệu quả trong “Năm Dân vận chính quyền {year}”.",
    "Thời gian qua, công tác dân vận ở huyện {district} đã có nhiều chuyển biến tích cực.",
    "Nhiều cách làm hay, sáng tạo trong {field} đã được nhân rộng ở các địa phương.",
    "Đồng bào {ethnic} ở xã {mountain_commune} đồng lòng cùng chính quyền {field}.",
    "Phát huy vai trò của {org} trong thực hiện nhiệm vụ chính trị ở cơ sở.",
)

SENTENCES = (
    "Tham dự hội nghị có đồng chí {leader}, {leader_title}.",
    "Trong năm {year}, toàn huyện {district} đã có {n} mô hình “Dân vận khéo” được công nhận, tập trung vào các lĩnh vực {field} và {field2}.",
    "Các cấp ủy, chính quyền địa phương đã quan tâm lãnh đạo, chỉ đạo thực hiện tốt Quy chế dân chủ ở cơ sở, tạo sự đồng thuận cao trong nhân dân.",
    "Nhiều hộ dân thôn {village} đã tự nguyện hiến đất, góp công làm đường giao thông nông thôn với tổng chiều dài hơn {n} km.",
    "Đồng bào {ethnic} ở xã {mountain_commune} tích cực tham gia phát triển kinh tế, giữ gìn bản sắc văn hóa dân tộc.",
    "Phát biểu tại hội nghị, đồng chí {leader} ghi nhận, biểu dương những kết quả đạt được và đề nghị thời gian tới cần tiếp tục đổi mới nội dung, phương thức công tác dân vận.",
    "Theo báo cáo, {pct}% cán bộ, đảng viên đã đăng ký và thực hiện việc học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh.",
    "Hội nghị cũng chỉ ra một số hạn chế như: việc nắm tình hình nhân dân có lúc chưa kịp thời; một số mô hình chưa được nhân rộng.",
    "Mô hình {model} đã giúp nhiều hộ gia đình có thêm thu nhập, từng bước vươn lên thoát nghèo.",
    "{org} huyện {district} đã phối hợp tổ chức {n} đợt ra quân {field}, thu hút hàng nghìn lượt đoàn viên, hội viên tham gia.",
    "Cán bộ, công chức phải thực sự là công bộc của nhân dân, gần dân, sát cơ sở, “trọng dân, gần dân, hiểu dân, học dân và có trách nhiệm với dân”.",
    "Công tác dân vận là nhiệm vụ thường xuyên của cả hệ thống chính trị, trong đó công tác dân vận chính quyền có vai trò rất quan trọng.",
    "Thực hiện tốt phương châm “dân biết, dân bàn, dân làm, dân kiểm tra, dân giám sát, dân thụ hưởng”, nhiều công trình phúc lợi đã được xây dựng từ sức dân.",
    "Dịp này, Ban Dân vận Huyện ủy đã trao giấy khen cho {n} tập thể và cá nhân có thành tích xuất sắc trong phong trào thi đua “Dân vận khéo”.",
    "Người dân thôn {village} phấn khởi vì con đường bê tông mới đã giúp việc đi lại, giao thương thuận lợi hơn.",
    "Các đại biểu đã tập trung thảo luận, đề xuất nhiều giải pháp nhằm nâng cao hiệu quả công tác vận động quần chúng trong {field}.",
    "Tiếp tục thực hiện tốt chủ trương nhân dân chấm điểm đối với công chức bộ phận \"một cửa\" và lấy sự hài lòng của nhân dân làm thước đo.",
    "Già làng {person} thường xuyên đến từng nhà vận động bà con không nghe theo kẻ xấu, tích cực tham gia giữ gìn an ninh trật tự thôn bản.",
    "Năm {year}, toàn tỉnh có {pct}% thôn, khối phố đạt chuẩn văn hóa, tăng so với cùng kỳ năm trước.",
)

DOCUMENT_SENTENCES = (
    "Thực hiện Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW, ngày 12/12/2013 của Bộ Chính trị, {org} tỉnh đã chủ động giám sát, phản biện xã hội và tham gia góp ý xây dựng Đảng, xây dựng chính quyền.",
    "Theo Chỉ thị số {doc_no}-CT/TU ngày {doc_day}/{doc_month}/{doc_year} của Ban Thường vụ Tỉnh ủy, các địa phương phải tổ chức đối thoại với nhân dân ít nhất một lần trong năm.",
    "Nghị quyết số 25-NQ/TW ngày 03/6/2013 của Ban Chấp hành Trung ương về tăng cường và đổi mới sự lãnh đạo của Đảng đối với công tác dân vận đã được quán triệt đến tận chi bộ.",
    "Kế hoạch số {doc_no}-KH/BDVTU ngày {doc_day}/{doc_month}/{doc_year} xác định rõ lộ trình thực hiện đến năm {year2}.",
    "Từ ngày {doc_day}/{doc_month}/{doc_year} đến nay, huyện {district} đã tổ chức {n} hội nghị quán triệt Quy chế công tác dân vận.",
)

CAPTIONS = (
    "Quang cảnh hội nghị.",
    "Đồng chí {leader} phát biểu tại hội nghị.",
    "Người dân thôn {village} dọn vệ sinh đường làng.",
    "Trao giấy khen cho các tập thể có thành tích xuất sắc.",
    "Đoàn công tác thăm mô hình {model} tại xã {commune}.",
    "Đồng bào {ethnic} tham gia ngày hội đại đoàn kết toàn dân tộc.",
    "Con đường bê tông do nhân dân thôn {village} góp công xây dựng.",
)

ATTACHMENTS = (
    ("Kế hoạch số {doc_no}-KH/BDVTU", "pdf"),
    ("Hướng dẫn số {doc_no}-HD/BDVTW", "pdf"),
    ("Quyết định số {doc_no}-QĐ/TU", "pdf"),
    ("Báo cáo tổng kết năm {year}", "doc"),
    ("Phụ lục kèm theo", "doc"),
    ("Mẫu đăng ký mô hình “Dân vận khéo”", "doc"),
)
ATTACHMENT_SUFFIX = {"pdf": " (bản PDF)", "doc": " (bản Word)"}

EDIT_SENTENCES = (
    "Bài viết được cập nhật lần thứ {revision}: bổ sung số liệu mới nhất của {org} huyện {district}.",
    "Cập nhật lần {revision}: thêm ý kiến của người dân thôn {village} về mô hình {model}.",
)


def pick(rng: random.Random, options: Sequence[T]) -> T:
    """``rng.choice`` with one ``random()`` call (several times faster; building 20k articles
    draws a few hundred thousand of these)."""
    return options[int(rng.random() * len(options))]


def _doc_year(rng: random.Random, when: datetime, drawn: dict[str, object]) -> int:
    return rng.randint(2008, max(2008, when.year - 1))


def _second_field(rng: random.Random, when: datetime, drawn: dict[str, object]) -> str:
    return pick(rng, [f for f in FIELDS if f != drawn.get("field")])


def _leader_title(rng: random.Random, when: datetime, drawn: dict[str, object]) -> str:
    return dict(LEADERS)[str(drawn["leader"])] if "leader" in drawn else pick(rng, LEADERS)[1]


SlotMaker = Callable[[random.Random, datetime, dict[str, object]], object]


def _pick(options: tuple[str, ...]) -> SlotMaker:
    return lambda rng, when, drawn: pick(rng, options)


def _number(low: int, high: int) -> SlotMaker:
    return lambda rng, when, drawn: rng.randint(low, high)


SLOTS: dict[str, SlotMaker] = {
    "year": lambda rng, when, drawn: when.year,
    "year2": lambda rng, when, drawn: when.year + rng.randint(1, 5),
    "day": lambda rng, when, drawn: when.day,
    "month": lambda rng, when, drawn: when.month,
    "time_of_day": _pick(TIMES_OF_DAY), "district": _pick(DISTRICTS), "mountain_district": _pick(MOUNTAIN_DISTRICTS),
    "commune": _pick(COMMUNES), "mountain_commune": _pick(MOUNTAIN_COMMUNES), "village": _pick(VILLAGES),
    "ethnic": _pick(ETHNIC_GROUPS), "org": _pick(ORGANISATIONS), "field": _pick(FIELDS), "field2": _second_field,
    "model": _pick(MODELS), "leader": _pick(tuple(name for name, _ in LEADERS)), "leader_title": _leader_title,
    "person": _pick(PEOPLE), "quarter": _pick(QUARTERS), "n": _number(2, 60), "pct": _number(62, 99),
    "doc_no": _number(12, 260), "doc_day": _number(1, 28), "doc_month": _number(1, 12), "doc_year": _doc_year,
}


@functools.cache
def _fields(template: str) -> tuple[str, ...]:
    """Slot names of a template, in order of appearance, each once."""
    names = [name for _, name, _, _ in string.Formatter().parse(template) if name]
    return tuple(dict.fromkeys(names))


def fill(rng: random.Random, template: str, when: datetime, **extra: object) -> str:
    """Fill a template, drawing only the slots it uses (so generation stays cheap)."""
    drawn: dict[str, object] = dict(extra)
    for name in _fields(template):
        if name not in drawn:
            drawn[name] = SLOTS[name](rng, when, drawn)
    return template.format(**drawn)


class SentenceDeck:
    """Sentence templates without repetition within one article (reshuffled when used up)."""

    def __init__(self, rng: random.Random, templates: tuple[str, ...] = SENTENCES) -> None:
        self._rng = rng
        self._templates = templates
        self._left: list[str] = []

    def sentence(self, when: datetime) -> str:
        left = self._left
        if not left:
            left = self._left = list(self._templates)
        index = int(self._rng.random() * len(left))
        left[index], left[-1] = left[-1], left[index]
        return fill(self._rng, left.pop(), when)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def title(rng: random.Random, category_slug: str, when: datetime) -> str:
    return _capitalised(fill(rng, pick(rng, TITLES[category_slug]), when))


def sapo(rng: random.Random, when: datetime) -> str:
    return fill(rng, pick(rng, SAPOS), when)


def paragraph(deck: SentenceDeck, rng: random.Random, when: datetime, *, with_document: bool = False) -> str:
    sentences = [deck.sentence(when) for _ in range(rng.randint(2, 4))]
    if with_document:
        sentences.insert(rng.randint(0, len(sentences)), fill(rng, pick(rng, DOCUMENT_SENTENCES), when))
    return " ".join(sentences)


def opening_paragraph(deck: SentenceDeck, rng: random.Random, when: datetime) -> str:
    """'Sáng 7/11, …' — news opens with the day and month of the event (not a full date)."""
    first = fill(rng, "{time_of_day} {day}/{month}, Ban Dân vận Huyện ủy {district} phối hợp với {org} huyện "
                      "tổ chức hội nghị về {field}.", when)
    return first + " " + deck.sentence(when)


def paragraphs(rng: random.Random, when: datetime, *, with_documents: bool) -> list[str]:
    """The body paragraphs of one article; with ``with_documents`` one of them cites a document
    with its number and date ('Quyết định số 217-QĐ/TW ngày 12/12/2013')."""
    deck = SentenceDeck(rng)
    count = rng.randint(3, 7)
    document_at = rng.randrange(count) if with_documents else -1
    found = [opening_paragraph(deck, rng, when)]
    found += [paragraph(deck, rng, when, with_document=(i == document_at)) for i in range(1, count)]
    if document_at == 0:
        found[0] += " " + fill(rng, pick(rng, DOCUMENT_SENTENCES), when)
    return found


def caption(rng: random.Random, when: datetime) -> str:
    return fill(rng, pick(rng, CAPTIONS), when)


def attachment_name(rng: random.Random, when: datetime) -> tuple[str, str]:
    """(link text, file extension)."""
    template, extension = pick(rng, ATTACHMENTS)
    return fill(rng, template, when) + ATTACHMENT_SUFFIX[extension], extension


def edit_sentence(rng: random.Random, when: datetime, revision: int) -> str:
    return fill(rng, pick(rng, EDIT_SENTENCES), when, revision=revision)
