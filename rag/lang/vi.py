"""Vietnamese: the language pack (data only; the fields are described in rag.lang.pack)."""

from rag.lang.kinds import AnswerType, Measure
from rag.lang.pack import LanguagePack

_RANK_ASKED = r"\b(?:xếp|đứng|xếp hạng) thứ (?:mấy|bao nhiêu)\b|\bthứ hạng\b"
_AVERAGE = r"\bbình quân\b|\btrung bình\b|\bmỗi người\b|\bđầu người\b"
_STREAK = r"\bliên tiếp\b|\bliên tục\b"  # "năm thứ ba liên tiếp"
_TIME_UNITS = r"năm|tháng|tuần|ngày|giờ|tiếng|phút|giây|thập kỷ|thập niên|thế kỷ"
_MEASUREMENT_UNITS = (r"(?:mét vuông|mét khối|mét|m|km|cm|mm|m2|km2|kg|ki-lô-gam|gam|g|tấn|ha|héc-ta|"
                      r"lít|độ|°\w?|kw|mw|kwh|dặm|feet|inch)")
_PEOPLE = (r"người|đại biểu|du khách|khách|lượt khách|học sinh|sinh viên|công nhân|lao động|"
           r"cán bộ|thành viên|cử tri|bệnh nhân|tình nguyện viên|kiều bào|hành khách|hộ dân|"
           r"chữ ký|phiếu|vé|lượt|ca|nạn nhân|thương vong|hộ|gia đình|trẻ em|em|cháu|công dân|"
           r"người dân|nông dân|ngư dân|bác sĩ|giáo viên|chiến sĩ|vận động viên|thí sinh|nhà báo")
_POPULATION = r"dân số|dân cư|cư dân"
_ASKS_ATTENDANCE = r"(?:bao nhiêu|mấy) (?:\w+ ){0,2}(?:tham dự|tham gia|có mặt)\b"
_ASKS_POPULATION = r"\b(?:dân số|dân cư)\b"
_RATES = (r"\btốc độ tăng\b|\bmục tiêu tăng trưởng\b|\btăng trưởng (?:GDP|GRDP)\b|"
          r"\blạm phát\b|\blãi suất\b|\bthất nghiệp\b")

# Every fixed phrase the system writes in Vietnamese (str.format fields in braces).
_PHRASES = {
    "according": "Theo các bài viết:",
    "quoted_in": {
        "en": "(trích nguyên văn tiếng Anh)",
        "ru": "(trích nguyên văn tiếng Nga)",
        "vi": "",
    },
    "small_talk_greeting": "Xin chào! Hãy hỏi về các bài viết, bằng tiếng Việt, tiếng Anh hoặc "
                           "tiếng Nga; câu trả lời sẽ trích dẫn đúng đoạn nguồn.",
    "small_talk_thanks": "Không có gì. Bạn cứ hỏi thêm về các bài viết nhé.",
    "abstain": "Các bài viết không có thông tin về câu hỏi này.",
    "not_mentioned": "Không bài viết nào nhắc đến {terms}.",
    "closest": "Đoạn gần nhất trong các bài viết:",
    "no_span": "Các bài viết không nêu {what} được hỏi.",
    "other_body": "Các bài viết chỉ nêu «{office}» của một cơ quan khác, không phải cơ quan được "
                  "hỏi.",
    "no_office": "Các bài viết không nêu ai giữ chức «{office}» được hỏi.",
    "only_deputy": "Các bài viết chỉ nêu cấp phó, không nêu «{office}» được hỏi.",
    "not_said": "Các bài viết không dẫn lời phát biểu nào của «{speaker}».",
    "only_upcoming": "Các bài viết chỉ nhắc đến «{event}» như một sự kiện sắp diễn ra, nên không "
                     "thể cho biết kết quả hay thời điểm của nó.",
    "after_articles": "Các bài viết được đăng năm {given}, nên không thể cho biết về năm {asked}.",
    "other_period": "Các bài viết không có số liệu cho năm {asked}; chúng nêu số liệu năm "
                    "{given}:",
    "other_period_date": "Các bài viết không nói về sự kiện năm {asked}; đoạn gần nhất nói về năm"
                         " {given}:",
    "other_period_article": "Các bài viết không có số liệu cho năm {asked}; số liệu gần nhất là "
                            "từ một bài năm {given}:",
    "answer_type": {
        "quantity": "con số",
        "date": "thời điểm",
        "person": "người",
        "country": "quốc gia",
    },
    "confidence_reason": {
        "span_in_quote": "câu trích chứa đúng loại thông tin được hỏi",
        "close_match": "đoạn trích khớp sát với câu hỏi",
        "partial_match": "đoạn trích chỉ khớp một phần với câu hỏi",
        "weak_match": "đoạn gần nhất chỉ liên quan một phần",
        "no_span": "không câu nào chứa loại thông tin được hỏi",
        "other_period": "đoạn gần nhất nói về một năm khác",
        "not_found": "không có đoạn nào đủ liên quan",
        "not_mentioned": "không bài viết nào nhắc đến tên hoặc ngày được hỏi",
        "only_deputy": "các bài viết chỉ nêu cấp phó của chức vụ được hỏi",
        "not_said": "các bài viết không dẫn lời người được hỏi",
        "after_articles": "các bài viết được đăng trước năm được hỏi",
        "only_upcoming": "các bài viết chỉ nói sự kiện được hỏi sắp diễn ra",
        "other_body": "các bài viết chỉ nêu chức vụ đó của cơ quan khác",
        "no_office": "các bài viết không nêu chức vụ được hỏi",
        "no_country": "không câu nào nêu tên quốc gia được hỏi",
    },
    "abstain_topic": "Câu hỏi: «{question}»",
    "llm_unavailable": "Mô hình ngôn ngữ hiện không khả dụng; câu trả lời dưới đây được soạn mà "
                       "không dùng mô hình.",
    "unsupported_language": "Câu hỏi không phải tiếng Việt, tiếng Anh hay tiếng Nga ({code}), nên"
                            " câu trả lời bằng tiếng Anh.",
    "understood_as": "Câu hỏi được hiểu là tiếp nối câu trước: «{question}».",
    "no_tone_marks": "Câu hỏi được gõ không dấu; đã tìm theo «{searched}». Gõ có dấu sẽ cho kết "
                     "quả chính xác hơn.",
    "llm_timeout": "Mô hình ngôn ngữ không trả lời trong {seconds} giây; câu trả lời dưới đây "
                   "được soạn mà không dùng mô hình.",
    "llm_rejected": "Máy chủ mô hình ngôn ngữ từ chối yêu cầu (HTTP {status}: hãy kiểm tra khóa "
                    "API và tên mô hình); câu trả lời dưới đây được soạn mà không dùng mô hình.",
    "llm_incomplete": "Câu trả lời của mô hình ngôn ngữ bị ngắt giữa chừng; câu trả lời dưới đây "
                      "được soạn mà không dùng mô hình.",
    "llm_wrong_language": "Mô hình ngôn ngữ không trả lời bằng tiếng Việt; câu trả lời dưới đây "
                          "được soạn mà không dùng mô hình.",
    "llm_uncited": "Câu trả lời của mô hình ngôn ngữ không dẫn nguồn cho mọi ý; câu trả lời dưới "
                   "đây được soạn mà không dùng mô hình.",
    "language_retry": "Mô hình ngôn ngữ ban đầu trả lời bằng ngôn ngữ khác; câu trả lời đã được "
                      "viết lại bằng tiếng Việt.",
    "citation_retry": "Câu trả lời đầu tiên của mô hình ngôn ngữ thiếu dẫn nguồn; dưới đây là bản"
                      " đã sửa.",
}


PACK = LanguagePack(
    code="vi",
    english_name="Vietnamese",
    babel_locale="vi",
    lingua="VIETNAMESE",
    syllabic=True,
    # Vietnamese is not stemmed: its words are syllables. NLTK has no Vietnamese
    # list: grammar syllables that say nothing about which figure or date answers.
    function_words=frozenset("""
của các những là có được cho này đó và với trong về ở tại bao nhiêu gì nào ai khi đâu mấy
đã sẽ đang thì mà một theo như từ khoảng trên đến ra vào lại cũng còn rằng nếu hay hoặc
do bởi để nhằm tới qua
""".split()),
    answer_types=(
        (AnswerType.QUANTITY, r"\bbao nhiêu\b|\bmấy\b|\bbao lâu\b|\bbao xa\b|\btỷ lệ\b"),
        (AnswerType.DATE, r"\bkhi nào\b|\bbao giờ\b|\blúc nào\b|\b(?:ngày|năm|tháng|hôm|thời điểm) nào\b"),
        (AnswerType.PERSON, r"(?:^|\s)ai(?:\s|\?|$)|\bngười nào\b|\bvị nào\b"),
        (AnswerType.PLACE, r"\bở đâu\b|\bnơi nào\b|\b(?:tỉnh|nước|quốc gia|thành phố|địa phương) nào\b"
                           r"|\bđâu\b"),
        (AnswerType.ORGANIZATION, r"\b(?:cơ quan|tổ chức|bộ|ban|công ty|doanh nghiệp) nào\b"),
        (AnswerType.REASON, r"\bvì sao\b|\btại sao\b|\blý do\b|\bnguyên nhân\b"),
        (AnswerType.YES_NO, r"\bcó\b.*\bkhông\s*\??$|\bphải không\b|\bchưa\s*\??$"),
    ),
    asking_word_last=True,
    measures=(
        (Measure.STREAK, _STREAK),
        (Measure.RANK, _RANK_ASKED),
        (Measure.AVERAGE, _AVERAGE),
        (Measure.COUNT, r"bao nhiêu lần|mấy lần"),
        (Measure.PERCENT, r"phần trăm|%|\btỷ lệ\b"),
        # "giá" alone is also in "đánh giá" (assess) and "lạnh giá" (cold)
        (Measure.EXCHANGE_RATE, r"\btỷ giá\b"),
        (Measure.MONEY, r"bao nhiêu (?:tiền|vốn)|(?:tỷ|triệu|nghìn|ngàn) đồng|\bUSD\b|đô la|"
                        r"kinh phí|ngân sách|chi phí|\b(?:mức )?giá (?:vàng|xăng|dầu|điện|nhà|"
                        r"bán|thuê|cả|vé|gạo)\b"),
        (Measure.DURATION, rf"\bbao lâu\b|(?:bao nhiêu|mấy) (?:{_TIME_UNITS})\b"),
        (Measure.PERCENT, _RATES),
        (Measure.MEASUREMENT, rf"(?:bao nhiêu|mấy) (?:{_MEASUREMENT_UNITS})\b"),
        (Measure.ATTENDANCE, _ASKS_ATTENDANCE),
        (Measure.POPULATION, _ASKS_POPULATION),
        # the counted noun may come first: "Số kiều bào … là bao nhiêu?" (not "một số": some)
        (Measure.PEOPLE, rf"(?:bao nhiêu|mấy) (?:{_PEOPLE})\b"
                         rf"|(?<!một )\bsố (?:lượng )?(?:{_PEOPLE})\b"
                         rf"|\b(?:{_POPULATION})\b"),
        (Measure.COUNT, r"(?:bao nhiêu|mấy) (?:dự án|quốc gia|nước|lần|đoàn|doanh nghiệp|"
                        r"công ty|tổ chức|hiệp định|văn bản|trường|lượt)\b"),
    ),
    date_parts=(("year", r"\bnăm (?:nào|bao nhiêu|mấy)\b"), ("day", r"\bngày (?:nào|bao nhiêu|mấy)\b")),
    # "Ai là …" or "… là ai": a question with neither is not one
    asks_identity=r"^(?=ai là |[\s\S]*là ai$)(?:ai là )?(?:ông |bà |đồng chí )?(?P<name>.+?)(?: là ai)?$",
    asks_country=r"\b(?:nước|quốc gia) nào\b",
    # "Tuyên bố" (proclaim) is left out: states and bodies proclaim things
    asks_speaker=r"^(?P<who>.+?) (?:đã |sẽ )?(?:phát biểu|nói|cho biết|nhấn mạnh)(?: về)?(?: những| điều)?"
                 r" gì\b",
    asking_words=frozenset("bao nhiêu khi nào ai gì năm ngày tháng mấy đâu là khoảng tổng số "
                           "lượng mức đạt thì sao".split()),
    offices={
        "chair": r"chủ tịch",
        "secretary": r"bí thư",
        "head": r"giám đốc|cục trưởng|vụ trưởng|viện trưởng|trưởng ban|trưởng phòng"
                r"|đứng đầu(?= (?:sở|bộ|ban|cục|vụ|ủy ban|uỷ ban|phòng)\b)",
        "minister": r"bộ trưởng",
        "prime_minister": r"thủ tướng",
        "ambassador": r"đại sứ",
        "governor": r"thống đốc|thị trưởng",
    },
    deputy=r"phó\s+",
    bodies={"people_committee": r"ủy ban nhân dân|uỷ ban nhân dân|ubnd",
            "people_council": r"hội đồng nhân dân|hđnd",
            "party_committee": r"(?:tỉnh|thành|huyện|đảng) ủy|(?:tỉnh|thành|huyện|đảng) uỷ",
            "national_assembly": r"quốc hội"},
    # not "năm" (five): it is also "year"
    number_words=r"\b(?:một|hai|ba|bốn|sáu|bảy|tám|chín|mười|mươi|trăm|nghìn|ngàn|triệu|tỷ|nhất|đôi|"
                 r"nửa)\b",
    counting_words=frozenset({"một", "mấy", "vài"}),
    scales={"nghìn": 1e3, "ngàn": 1e3, "triệu": 1e6, "tỷ": 1e9, "tỉ": 1e9, "nghìn tỷ": 1e12},
    currencies={"đô la mỹ": "USD", "đô la": "USD", "vnd": "VND", "đồng": "VND"},
    percent_words=("phần trăm",),
    approx={"khoảng": "about", "gần": "nearly", "hơn": "over", "trên": "over"},
    identifier_before=r"(?i:\btốp)",  # "tốp 10" names a rank
    range_words=("đến", "tới"),
    time_units=_TIME_UNITS,
    measurement_units=_MEASUREMENT_UNITS,
    people_nouns=_PEOPLE,
    population_words=_POPULATION,
    resident_words=r"dân số|dân cư|cư dân",
    rate_words=r"tỷ giá",
    attendance_words=r"tham dự|tham gia|đại biểu|khách mời|có mặt",
    rank_given=r"\b(?:thứ|hạng) (?:\d+|nhất|nhì|hai|ba|tư|năm|sáu|bảy|tám|chín|mười)\b",
    average_words=_AVERAGE,
    streak_words=_STREAK,
    open_duration=r"cho đến|đến khi|tới khi|đến hết|suốt",
    period_words=r"thế kỷ|thập kỷ|thập niên|năm trước",
    year_before=r"năm",
    day_word=r"ngày",
    month_word=r"tháng",
    decade_prefix=r"những năm",
    year_cues_before=r"năm|từ|đến",
    year_cues_after=("và", "đến"),
    date_format="dd/MM/yyyy",
    day_month_format="d/M",
    decade_format="những năm {}",
    year_format="năm {}",
    counted_noun_words=8,  # syllables: "8 nhà máy điện mặt trời nổi"
    marks_tell_words_apart=True,
    # lower case, with diacritics: folded, "thành" (city) would meet the name "Thanh"
    title_words=frozenset("""
phó thủ tướng bộ trưởng chủ tịch bí thư ban ủy hội đồng nhân dân quốc chính phủ nhà nước
đảng trung ương cục sở vụ viện tổng thứ đại sứ thống đốc giám đốc ngoại giao tuyên giáo
dân vận nghị quyết kết luận chỉ thị luật tỉnh thành huyện xã quận phường liên hiệp thường
trực mặt trận tổ đoàn kiểm hội nghị đồng chí ông bà
""".split()),
    honorifics=r"đồng chí|ông|bà|anh|chị",
    # the common family names, diacritics folded: a run that starts with one is a
    # person even when a later syllable is a title word ("Nguyễn Thị Hồng Hoa")
    surnames=frozenset("""
nguyen tran le pham hoang huynh phan vu vo dang bui do ho ngo duong ly doan dinh trinh
truong mai luong cao ha ta chu lam la kieu quach thai tang trieu luu van khuat nghiem
""".split()),
    country_aliases={"US": ("Mỹ",)},
    acronym_joiners=frozenset({"và", "của"}),
    dot_abbreviations=frozenset("tp tr ths ts pgs gs q p".split()),
    # public bodies and terms, which English articles spell out ("UBND": "People's
    # Committee"); ones with "Đ" are no Latin acronyms anyway
    abbreviations=frozenset("""
UBND TW TP MTTQ THPT THCS BCH BCT BTV CAND QĐND CSGT HTX DN DNNN NSNN BHXH BHYT KTXH
ANQP KCN KKT KCX GPMB CNTT CQ NQ QD KL CT TT ND UBKT VKSND TAND CHXHCN XHCN VN
""".split()),
    speech_verbs=r"phát biểu|nói|cho biết|nhấn mạnh|khẳng định|đề nghị|yêu cầu|chỉ đạo|lưu ý|"
                 r"tuyên bố|chia sẻ|bày tỏ|đề xuất|nêu rõ|kêu gọi|theo",
    upcoming_words=r"chuẩn bị|tiến tới|hướng tới|sắp tới|sắp diễn ra|sẽ diễn ra|sẽ được tổ chức|"
                   r"chào mừng",
    ordinals=(r"\bthứ (\d{1,3})\b",),
    names_as_phrases=True,
    # Vietnamese people and places keep their names in English, without tone marks
    names_kept_in=frozenset({"en"}),
    followup_openers=("còn ", "thế còn ", "vậy ", "và ", "thế "),
    # ("ông", "bà" alone are also "Mr", "Mrs" before a name: only "ông ấy" points back)
    pointers=frozenset({"ấy", "họ", "đó", "nó", "này"}),
    greetings=r"xin ch[àa]o|ch[àa]o(?: b[ạa]n)?|alo",
    thanks=r"c[ảáa]m [ơo]n(?: b[ạa]n)?(?: nhi[ềe]u)?",
    # short function words: with one accented letter ("Bui Dinh Long là ai?") they
    # tell Vietnamese from French, which shares à/á
    marker_words=frozenset({"là", "ai", "gì", "nào", "của", "và", "được", "có", "không", "bao",
                            "nhiêu", "những", "các", "cho", "với", "trong", "khi", "ở", "đâu",
                            "mấy", "người"}),
    # typed without tone marks ("kieu hoi nghe an bao nhieu"), which lingua reads
    # as English: words no English question uses
    unmarked_words=frozenset({"khong", "nhieu", "nhung", "duoc", "cua", "nao", "voi", "nguoi",
                              "trong", "nhu", "thi", "cac", "nuoc", "gi", "bao", "dau", "moi",
                              "sao", "nhat", "tinh", "ngay", "thang", "hoi", "nghi", "quan",
                              "ngoai", "giao", "kinh", "te", "nghe", "viec", "cong", "tac", "dong",
                              "chi", "ong", "ba", "la", "va", "cho", "ve"}),
    # one syllable, tone marks folded: onset, vowels, coda
    syllable=r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[aeiouy]{1,3}(?:ch|ng|nh|[cmnpt])?",
    phrases=_PHRASES,
)
