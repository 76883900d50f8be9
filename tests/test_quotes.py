"""Quote extraction and attribution: one test per phenomenon, on texts written for these tests."""

from __future__ import annotations

from bot.models import Quote
from bot.text.quotes import extract_quotes


def _find(quotes: list[Quote], words: str) -> Quote:
    for q in quotes:
        if words in q.text:
            return q
    raise AssertionError(f"no quote containing {words!r} in {[q.text for q in quotes]}")


def _mention(text: str, q: Quote) -> str | None:
    if q.speaker_start is None or q.speaker_end is None:
        return None
    return text[q.speaker_start : q.speaker_end]


def test_offsets_point_at_the_quoted_words() -> None:
    text = "“We will win this county,” said Marta Quill, the mayor."
    (q,) = extract_quotes(text)
    assert text[q.start : q.end] == q.text
    assert q.text == "We will win this county"
    assert q.speaker == "Marta Quill"
    assert q.kind == "direct"


def test_quote_split_around_the_cue_keeps_the_speaker() -> None:
    text = (
        "Orla Benning chairs the harbour board.\n\n“The pier is safe,” she said, “but the road to it is not.”"
    )
    quotes = extract_quotes(text)
    first, second = _find(quotes, "pier is safe"), _find(quotes, "road to it")
    assert first.speaker == second.speaker == "Orla Benning"
    assert _mention(text, first) == _mention(text, second) == "she"


def test_multi_paragraph_quote_with_only_opening_marks() -> None:
    text = (
        "Tomas Verhoef, the budget chief, said: “We cut what we could.\n\n"
        "“Then we cut again, and the schools still need more.\n\n"
        "“Nobody should pretend this is easy.”\n\n"
        "The council meets again next week."
    )
    quotes = extract_quotes(text)
    for words in ("cut what we could", "cut again", "pretend this is easy"):
        q = _find(quotes, words)
        assert q.speaker == "Tomas Verhoef"
        assert _mention(text, q) == "Tomas Verhoef"
    assert all("council meets" not in q.text for q in quotes)


def test_quote_only_paragraph_continues_the_previous_speaker() -> None:
    text = (
        "“The river rose overnight,” Ines Carrow, the county engineer, said on Tuesday.\n\n"
        "“We moved the pumps before dawn and nobody was hurt.”"
    )
    q = _find(extract_quotes(text), "moved the pumps")
    assert q.speaker == "Ines Carrow"


def test_inverted_said_x() -> None:
    text = "“The vote is a warning to every incumbent,” said Sen. Wendell Ashby of Vermont."
    (q,) = extract_quotes(text)
    assert q.speaker == "Wendell Ashby"
    assert "Wendell Ashby" in (_mention(text, q) or "")


def test_appositive_between_name_and_cue() -> None:
    text = (
        "Sergei Ryabkov, the deputy foreign minister, said the talks were “useful but hard.”\n\n"
        "“We will not give up,” Ryabkov said."
    )
    quotes = extract_quotes(text)
    assert _find(quotes, "useful but hard").speaker == "Sergei Ryabkov"
    later = _find(quotes, "not give up")
    assert later.speaker == "Sergei Ryabkov"
    assert _mention(text, later) == "Ryabkov"


def test_according_to_x() -> None:
    text = (
        "Priya Lindqvist runs the clinic.\n\n"
        "The waiting list is “longer than it has ever been,” according to Ms. Lindqvist."
    )
    q = _find(extract_quotes(text), "longer than it has ever been")
    assert q.speaker == "Priya Lindqvist"
    assert q.kind == "partial"


def test_x_told_y() -> None:
    text = "Gareth Molloy told reporters: “The strike ends when the offer improves.”"
    (q,) = extract_quotes(text)
    assert q.speaker == "Gareth Molloy"
    assert _mention(text, q) == "Gareth Molloy"


def test_x_was_quoted_as_saying() -> None:
    text = "Hana Obuya was quoted as saying that the mine “will reopen within a month.”"
    (q,) = extract_quotes(text)
    assert q.speaker == "Hana Obuya"


def test_participle_after_a_clause_whose_subject_is_x() -> None:
    text = (
        "Rafael Duarte released a statement on Friday, stating, "
        '"The factory will stay open as long as I run this company."'
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Rafael Duarte"
    assert q.kind == "direct"


def test_organisation_as_speaker() -> None:
    text = "The Kremlin said in a statement that the visit was “a useful exchange of views.”"
    (q,) = extract_quotes(text)
    assert q.speaker == "Kremlin"
    assert _mention(text, q) == "Kremlin"


def test_pronoun_resolved_when_clear() -> None:
    text = (
        "Mayor Delia Fenwick opened the new library on Saturday.\n\n"
        "“Every child in this town deserves a quiet place to read,” she said."
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Delia Fenwick"
    assert _mention(text, q) == "she"


def test_pronoun_without_antecedent_is_none() -> None:
    text = "“The numbers do not add up, and everyone in the room knew it,” he said."
    (q,) = extract_quotes(text)
    assert q.speaker is None
    assert _mention(text, q) == "he"


def test_nominal_resolved_to_the_person_with_that_title() -> None:
    text = (
        "Sen. Imogen Pratt visited the border town on Monday.\n\n"
        "“These families have waited long enough for an answer,” the senator said."
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Imogen Pratt"
    assert _mention(text, q) == "the senator"


def test_unnamed_nominal_is_none() -> None:
    text = "“The plan will not survive the committee vote,” a party spokesman said."
    (q,) = extract_quotes(text)
    assert q.speaker is None
    assert _mention(text, q) == "a party spokesman"


def test_apostrophes_are_not_quote_marks() -> None:
    text = (
        "Jonah Kessel said the team's plan wasn't ready. "
        "He called the idea 'a fantasy' and left, and the players' union didn't comment."
    )
    quotes = extract_quotes(text)
    marked = [q for q in quotes if q.kind != "reported"]
    assert [q.text for q in marked] == ["a fantasy"]
    assert marked[0].speaker == "Jonah Kessel"


def test_nested_quotes_stay_inside_the_outer_quote() -> None:
    text = "“My father told me, ‘Never sign what you have not read,’ and I never have,” said Amara Osei."
    (q,) = extract_quotes(text)
    assert q.text.startswith("My father told me, ‘Never sign")
    assert q.text.endswith("and I never have")
    assert q.speaker == "Amara Osei"


def test_scare_quotes_and_titles_are_not_attributed_quotes() -> None:
    text = (
        "The so-called “reform” bill reached the floor on Tuesday. "
        "Critics compared it to the novel “The Long Winter Road” in the debate hall."
    )
    quotes = extract_quotes(text)
    assert all(q.speaker is None and q.speaker_start is None for q in quotes)
    assert all(q.text != "The Long Winter Road" for q in quotes)


def test_curly_and_straight_marks_give_the_same_result() -> None:
    curly = "“We are ready for the storm,” Beatriz Lomas said."
    straight = '"We are ready for the storm," Beatriz Lomas said.'
    (a,) = extract_quotes(curly)
    (b,) = extract_quotes(straight)
    assert (a.text, a.speaker, a.start, a.end) == (b.text, b.speaker, b.start, b.end)


def test_reported_speech_with_that() -> None:
    text = "Aldo Brandt said that the bridge would close for repairs in March."
    (q,) = extract_quotes(text)
    assert q.kind == "reported"
    assert q.speaker == "Aldo Brandt"
    assert q.text.startswith("the bridge would close")


def test_surname_and_mr_form_map_to_the_full_name() -> None:
    text = (
        "Victor Alcazar, the finance minister, spoke first.\n\n"
        "“Inflation is falling,” Mr. Alcazar said.\n\n"
        "“Wages will follow,” Alcazar added."
    )
    quotes = extract_quotes(text)
    assert {q.speaker for q in quotes} == {"Victor Alcazar"}


def test_partial_quote_inside_reported_speech() -> None:
    text = "Lena Marsh said the new schedule was “a disaster for commuters” and should be scrapped."
    (q,) = extract_quotes(text)
    assert q.kind == "partial"
    assert q.speaker == "Lena Marsh"


def test_a_name_inside_a_nominal_is_not_the_speaker() -> None:
    text = "“We will appeal,” a spokesman for Nadia Korsakova said."
    (q,) = extract_quotes(text)
    assert q.speaker is None
    assert "spokesman" in (_mention(text, q) or "")


def test_empty_and_quote_free_text() -> None:
    assert extract_quotes("") == []
    assert extract_quotes("The market closed early.\n\nRain is expected.") == []


def test_pronoun_skips_a_person_the_article_refers_to_otherwise() -> None:
    text = (
        "Governor Lisa Hart met Senator Mark Oduya on Monday. Oduya said his staff had worked hard.\n\n"
        "Hart said she was pleased with the talks.\n\n"
        "“We are not there yet,” he said."
    )
    q = _find(extract_quotes(text), "not there yet")
    assert q.speaker == "Mark Oduya"
    assert _mention(text, q) == "he"


def test_passive_cue_is_not_the_subjects_speech() -> None:
    text = "Dana Whitlock was asked about the “last chance” budget on Tuesday."
    quotes = extract_quotes(text)
    assert all(q.speaker != "Dana Whitlock" for q in quotes)


def test_relayed_quote_credits_the_relaying_source() -> None:
    text = "“We will not sign,” Ortega said, according to the Daily Ledger."
    (q,) = extract_quotes(text)
    assert _mention(text, q) == "the Daily Ledger"


def test_named_subject_acting_on_a_partial_quote() -> None:
    text = "Maria Lopez supports “fair pay for every shift” in the new contract."
    (q,) = extract_quotes(text)
    assert q.speaker == "Maria Lopez"
    assert q.kind == "partial"
