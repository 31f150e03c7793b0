"""Citation markers, offline follow-ups and the answer's period check."""

import numpy as np
import pytest

from rag.answer.checks import Case
from rag.answer.checks import judge as run_checks
from rag.answer.citations import cited_numbers, invalid_markers, strip_invalid_markers
from rag.answer.evidence import Evidence
from rag.infra.sentences import Sentence
from rag.query.analysis import analyze_question
from rag.query.followups import condense, is_follow_up, join_follow_up
from rag.settings import Settings


def test_strip_invalid_markers__keeps_valid_drops_unknown_splits_lists():
    text = "Exports grew [1, 3] and imports fell [2] ."
    assert strip_invalid_markers(text, {1, 2}) == "Exports grew [1] and imports fell [2]."
    assert invalid_markers(text, {1, 2}) == [3]
    assert cited_numbers("a [2] b [1][2]") == [2, 1]


@pytest.mark.parametrize(("question", "language"), [
    ("còn quan hệ đối tác chiến lược với các nước châu Âu thì sao?", "vi"),
    ("Còn xuất khẩu thì sao?", "vi"),
    ("Ông ấy giữ chức vụ gì?", "vi"),
    ("а сколько задач он поставил перед комитетом на этот год?", "ru"),
    ("А импорт?", "ru"),
    ("and in 2021?", "en"),
    ("And imports?", "en"),
    ("What about exports?", "en"),
    ("In 2021?", "en"),  # no content word of its own
    ("Năm 2023?", "vi"),
    ("А в 2023 году?", "ru"),
])
def test_follow_up__a_question_that_points_back(question, language):
    assert is_follow_up(question, language)


@pytest.mark.parametrize(("question", "language"), [
    ("How many passengers used the new airport terminal last year?", "en"),
    ("Who chaired the conference on January 15?", "en"),  # short, but stands alone
    ("Who is Bui Thanh Son?", "en"),
    ("Ai chủ trì hội nghị ngày 15/1?", "vi"),
    ("Ông Trần Khánh Thức đang đảm nhiệm cương vị nào?", "vi"),  # "ông" before a name is "Mr"
    ("Kiều hối về Nghệ An mỗi năm khoảng bao nhiêu?", "vi"),
    ("Какую должность занимает Хоанг Нгиа Хиеу?", "ru"),
    ("Когда состоялась конференция 15 января?", "ru"),
])
def test_follow_up__a_stand_alone_question_is_never_joined(question, language):
    assert not is_follow_up(question, language)


def test_join_follow_up__the_follow_ups_year_replaces_the_previous_one():
    assert join_follow_up("How many tourists visited Hue in 2022?", "and in 2021?") == (
        "How many tourists visited Hue in 2021? and in 2021?")


def test_condense__offline_uses_the_previous_user_question():
    history = [{"role": "user", "content": "Who opened the Hue festival?"},
               {"role": "assistant", "content": "The mayor [1]"}]
    out = condense("and when did he do it?", history, None, Settings(), deadline=0, language="en")
    assert out.startswith("Who opened the Hue festival?")
    assert condense("Who built the bridge?", [], None, Settings(), deadline=0) == "Who built the bridge?"


def judge(evidence, analysis, article_years=None, articles=None):
    """The answer checks' refusal for this evidence (None: it answers)."""
    return run_checks(Case(analysis, evidence, article_years or {},
                           (lambda: articles) if articles is not None else None))


def _evidence(text: str, language: str = "en") -> list[Evidence]:
    sentence = Sentence("s1", text, "doc-a", "chunk-a", language, np.zeros(4, dtype=np.float32))
    return [Evidence(sentence, 0.5, None)]


def test_judge__a_figure_without_a_year_speaks_of_its_articles_time():
    evidence = _evidence("The port handles about 2 million tonnes a year.")
    for asked, answers in (("2015", False), ("2023", True), ("2024", True)):
        verdict = judge(evidence, analyze_question(f"How much cargo did the port handle in {asked}?",
                                                   "en"), {"doc-a": 2024})
        assert (verdict is None) is answers, asked
    verdict = judge(evidence, analyze_question("How much cargo in 2015?", "en"), {"doc-a": 2024})
    assert verdict.code == "other_period" and verdict.details["given"] == {2024}
    assert verdict.details["by_article"]
    # an undated article: nothing to compare with
    assert judge(evidence, analyze_question("How much cargo in 2015?", "en"), {}) is None


def test_judge__a_year_in_the_sentence_decides_over_the_articles_date():
    evidence = _evidence("In 2015 the port handled 2 million tonnes.")
    verdict = judge(evidence, analyze_question("How much cargo in 2015?", "en"), {"doc-a": 2024})
    assert verdict is None


@pytest.mark.parametrize("question, language, sentence, sentence_language, answers", [
    ("Who is the chairman of the Binh Dinh People's Committee?", "en",
     "Vice Chairman Le Van Hai opened the fair.", "en", False),
    ("Who is the chairman of the Binh Dinh People's Committee?", "en",
     "Chairman Tran Van Binh and Vice Chairman Le Van Hai opened the fair.", "en", True),
    ("Ai là Giám đốc Sở Du lịch tỉnh Bình Định?", "vi",
     "Phó Giám đốc Sở Du lịch Lê Văn Hải phát biểu tại hội chợ.", "vi", False),
    ("Кто является председателем комитета?", "ru",
     "Заместитель председателя комитета Анна Берг открыла ярмарку.", "ru", False),
    # the deputy is what was asked for
    ("Who is the vice chairman of the committee?", "en",
     "Vice Chairman Le Van Hai opened the fair.", "en", True),
    # across languages
    ("Кто является председателем комитета?", "ru",
     "Deputy Chairwoman Olga Smirnova opened the fair.", "en", False),
    ("Chủ tịch UBND tỉnh Bình Định là ai?", "vi",
     "Заместитель председателя Ле Ван Хай открыл ярмарку.", "ru", False),
])
def test_judge__an_office_held_only_by_a_deputy_does_not_answer(
        question, language, sentence, sentence_language, answers):
    verdict = judge(_evidence(sentence, sentence_language), analyze_question(question, language))
    assert (verdict is None) is answers
    if not answers:
        assert verdict.code == "only_deputy" and verdict.details["office"]


@pytest.mark.parametrize("question, language, sentence, code", [
    # the passages never name the office: whoever they name is not known to hold it
    ("Who is the chairman of the committee?", "en", "Le Van Hai opened the fair.", "no_office"),
    ("Giám đốc đầu tiên của bảo tàng là ai?", "vi", "The museum opened in 1852.", "no_office"),
    # named for another body than the one asked about
    ("Кто является председателем народного комитета провинции?", "ru",
     "Hoang Nghia Hieu, Chairman of the Provincial People's Council, spoke.", "other_body"),
    ("Bí thư Tỉnh ủy là ai?", "vi",
     "Standing Deputy Secretary of the Provincial Party Committee Hoang Nghia Hieu spoke.",
     "only_deputy"),
    # the body asked about, named with its head
    ("Who is the Chairman of the Provincial People's Committee?", "en",
     "Chairman of the Provincial People's Committee Nguyen Duc Trung and Chairman of the "
     "Provincial People's Council Hoang Nghia Hieu spoke.", None),
])
def test_judge__who_holds_an_office_the_passages_must_say(question, language, sentence, code):
    verdict = judge(_evidence(sentence, "en"), analyze_question(question, language))
    assert (verdict is None) is (code is None)
    if code:
        assert verdict.code == code and verdict.details["office"]


ATTENDED = ("The conference was attended by Comrade Tran Quoc Vinh, Deputy Minister. "
            "Speaking at the conference, comrade Le Thi Hoa said that the work had improved.")


@pytest.mark.parametrize("question, language, answers", [
    ("What did Deputy Minister Tran Quoc Vinh say at the conference?", "en", False),
    ("What did Le Thi Hoa say at the conference?", "en", True),
    ("Что сказал заместитель министра Чан Куок Винь на конференции?", "ru", False),
    ("Что сказала Ле Тхи Хоа на конференции?", "ru", True),
    ("Thứ trưởng Trần Quốc Vinh đã phát biểu những gì tại hội nghị?", "vi", False),
    ("Bà Lê Thị Hoa đã nói gì tại hội nghị?", "vi", True),
    # not a "what did X say" question, or one that names nobody: not judged
    ("Who attended the conference?", "en", True),
    ("What did the deputy minister say?", "en", True),
])
def test_judge__what_a_person_said_needs_a_sentence_where_they_speak(question, language, answers):
    evidence = _evidence("The conference was attended by Comrade Tran Quoc Vinh, Deputy Minister.")
    verdict = judge(evidence, analyze_question(question, language), {},
                    [(ATTENDED, "en")])
    assert (verdict is None) is answers
    if not answers:
        assert verdict.code == "not_said" and verdict.details["speaker"]


@pytest.mark.parametrize("question, language, documents, answers", [
    ("Who won the 2027 provincial election?", "en", [], False),
    ("Ai thắng cuộc bầu cử năm 2027?", "vi", [], False),
    ("Кто победил на выборах 2027 года?", "ru", [], False),
    # the article speaks of that year (a plan), or of the year asked
    ("Who won the 2027 provincial election?", "en",
     [("The province plans to hold the election in 2027.", "en")], True),
    ("Who won the 2024 provincial election?", "en", [], True),
])
def test_judge__a_year_after_the_articles_were_published(question, language, documents,
                                                         answers):
    evidence = _evidence("Tran Van Binh won the provincial election.")
    verdict = judge(evidence, analyze_question(question, language), {"doc-a": 2025},
                    documents or None)
    assert (verdict is None) is answers
    if not answers:
        assert verdict.code == "after_articles" and verdict.details["given"] == 2025


def test_by_document__the_next_article_only_when_it_scores_near_the_first():
    from llama_index.core.schema import NodeWithScore, TextNode

    from rag.answer.extractive import _by_document

    def passage(doc, n, score):
        return NodeWithScore(node=TextNode(id_=f"{doc}#{n}", text="t", metadata={"doc_id": doc}),
                             score=score)

    # "b" ranks second (its translation group ranks lower) but scores higher than "a"
    nodes = [passage("a", 0, 0.41), passage("a", 1, 0.40), passage("b", 0, 0.43),
             passage("c", 0, 0.30)]
    tries = [[n.node.node_id for n in part] for part in _by_document(nodes, 3, 0.05)]
    assert tries == [["a#0", "a#1", "b#0", "c#0"], ["b#0", "c#0"]]  # "c" is too far below
    assert len(list(_by_document(nodes, 1, 0.05))) == 1


def test_holder__the_person_in_the_same_list_entry_as_the_office_asked_for():
    from rag.query.offices import asked_offices, holder

    sentence = ("Comrades: Le Van Hai - Member of the Provincial Committee, Vice Chairman of the "
                "Provincial People's Committee; Tran Van Binh - Director of the Department of "
                "Tourism chaired the meeting.")
    people = ["Le Van Hai", "Tran Van Binh"]
    vice = asked_offices("Ai là Phó Chủ tịch UBND tỉnh?", "vi")
    assert vice[0].deputy and holder(sentence, "en", people, vice) == 0
    director = asked_offices("Кто является директором департамента туризма?", "ru")
    assert not director[0].deputy and holder(sentence, "en", people, director) == 1
    # an office no entry holds: no decision
    assert holder(sentence, "en", people, asked_offices("Who is the ambassador?", "en")) is None
    # a deputy asked for is never refused as "only a deputy"
    verdict = judge(_evidence(sentence), analyze_question("Who is the Vice Chairman?", "en"))
    assert verdict is None


@pytest.mark.parametrize("question, language, speakers", [
    ("What did Tesla say about Edison?", "en", ["Tesla"]),  # the one who speaks
    ("What does the Islamic State lack from the international community?", "en", []),
    ("What did the Islamic State proclaim itself in 2014?", "en", []),
    ("Nhà nước Hồi giáo đã tuyên bố điều gì vào năm 2014?", "vi", []),  # states proclaim
    ("Bộ trưởng Bùi Thanh Sơn đã phát biểu những gì tại hội nghị?", "vi", ["Bùi Thanh Sơn"]),
    ("Что сказала Ле Тхи Хоа на конференции?", "ru", ["Ле Тхи Хоа"]),
])
def test_asked_speakers__the_person_whose_words_are_asked_for(question, language, speakers):
    from rag.query.statements import asked_speakers

    assert asked_speakers(question, language) == speakers


UPCOMING = [("The country is completing the goals of the 13th Congress, preparing for the "
             "14th National Party Congress.", "en")]


@pytest.mark.parametrize("question, language, refused", [
    ("What resolutions did the 14th National Party Congress adopt?", "en", True),
    ("Đại hội XIV của Đảng đã thông qua những nghị quyết gì?", "vi", True),
    ("Какие решения принял XIV съезд партии?", "ru", True),
    ("Какие решения принял 14-й съезд партии?", "ru", True),
    # spoken of as done, not as upcoming
    ("What goals did the 13th Congress set?", "en", False),
    ("What did World War II change?", "en", False),
])
def test_judge__an_event_the_articles_only_announce(question, language, refused):
    evidence = _evidence(UPCOMING[0][0])
    verdict = judge(evidence, analyze_question(question, language), {}, UPCOMING)
    assert (verdict is None) is not refused
    if refused:
        assert verdict.code == "only_upcoming" and verdict.details["event"]


def test_only_upcoming__a_sentence_that_reports_the_event_decides():
    from rag.query.events import asked_events, only_upcoming

    events = asked_events("When did the 14th Congress open?")
    assert events and events[0][0] == 14
    reported = [*UPCOMING, ("The 14th Congress opened on 19 January 2026.", "en")]
    assert only_upcoming(events, UPCOMING) == "14th Congress"
    assert only_upcoming(events, reported) is None  # one sentence reports it
    assert only_upcoming(events, [("Nothing about it.", "en")]) is None
