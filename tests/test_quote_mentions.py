"""Source-mention chunking and name resolution for quote attribution, on texts written for these tests."""

from __future__ import annotations

from bot.text.names import NameIndex
from bot.text.quotes import extract_quotes
from tests.support import find_quote, mention_of


def test_titles_joined_by_and_end_in_the_person() -> None:
    text = "“We will not blink,” said former Oregon Gov. and Farm Council Chairman Walt Dunmore."
    q = find_quote(extract_quotes(text), "not blink")
    assert q.speaker == "Walt Dunmore"
    assert mention_of(text, q) == "Oregon Gov. and Farm Council Chairman Walt Dunmore"


def test_ordinal_rank_inside_a_military_title() -> None:
    text = "“It is a hard road,” said Navy 2nd Lt. Rosa Quill."
    q = find_quote(extract_quotes(text), "hard road")
    assert q.speaker == "Rosa Quill"
    assert mention_of(text, q) == "Navy 2nd Lt. Rosa Quill"


def test_middle_initial_with_a_full_stop_stays_in_the_name() -> None:
    text = (
        "For the town, according to the mayor's former budget director Amos K. Tilden, the vote was "
        "“a turning point” for the harbour."
    )
    q = find_quote(extract_quotes(text), "turning point")
    assert q.speaker == "Amos K. Tilden"


def test_secretary_of_state_title_before_a_name() -> None:
    text = "Former Secretary of State Lena Marsh urged voters to turn out, saying, “Every vote counts here.”"
    q = find_quote(extract_quotes(text), "Every vote")
    assert q.speaker == "Lena Marsh"
    mention = mention_of(text, q)
    assert mention is not None and mention.endswith("Lena Marsh")


def test_lower_case_role_phrase_after_former() -> None:
    text = "Nell Ashby chaired the panel.\n\nFormer secretary of state Nell Ashby: “We knew the risks.”"
    q = find_quote(extract_quotes(text), "knew the risks")
    assert q.speaker == "Nell Ashby"


def test_new_opens_a_state_name_before_a_title() -> None:
    text = "New Mexico Gov. Paul Ortega said, “We are ready for the storm.”"
    q = find_quote(extract_quotes(text), "ready for the storm")
    assert mention_of(text, q) == "New Mexico Gov. Paul Ortega"
    assert q.speaker == "Paul Ortega"


def test_lower_case_particle_belongs_to_the_surname() -> None:
    text = "Marta Vieira da Costa spoke first. “We need water,” da Costa said."
    q = find_quote(extract_quotes(text), "need water")
    assert mention_of(text, q) == "da Costa"
    assert q.speaker == "Marta Vieira da Costa"


def test_upper_case_brand_before_a_name_is_kept() -> None:
    text = "HERALD Vermont reported that the council had cut the “river fund” last year."
    q = find_quote(extract_quotes(text), "river fund")
    assert mention_of(text, q) == "HERALD Vermont"


def test_that_clause_is_not_a_source_mention() -> None:
    text = (
        "Bixby went on to praise “Sunday Dinner,” note that he had just bought the Elm Street Diner, "
        "and boast about the menu."
    )
    q = find_quote(extract_quotes(text), "Sunday Dinner")
    mention = mention_of(text, q)
    assert mention is None or "that" not in mention.split()


def test_name_after_a_preposition_inside_a_nominal_is_not_the_speaker() -> None:
    text = "Wendy Pratt runs for mayor.\n\n“She will win,” said a longtime adviser to Wendy Pratt."
    q = find_quote(extract_quotes(text), "She will win")
    assert q.speaker != "Wendy Pratt"
    assert mention_of(text, q) == "a longtime adviser to Wendy Pratt"


def test_descriptor_before_a_surname_is_not_part_of_the_name() -> None:
    text = (
        "Liberal Emmy-winner Okafor said she was “thrilled” by the result. “It was a fine day,” Okafor said."
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "thrilled").speaker == "Okafor"
    assert find_quote(quotes, "fine day").speaker == "Okafor"


def test_dateline_before_the_subject_is_skipped() -> None:
    text = (
        "Lyon (AFP) – Mayor Odile Renard has criticised the plan, saying that “noise rules” must come first."
    )
    q = find_quote(extract_quotes(text), "noise rules")
    assert q.speaker == "Odile Renard"


def test_state_after_a_city_is_not_the_speaker() -> None:
    text = 'Gantz, during a town hall meeting in Dayton, Ohio, said she was "ready to fight" for the plant.'
    q = find_quote(extract_quotes(text), "ready to fight")
    assert mention_of(text, q) == "Gantz"


def test_name_after_an_outlet_possessive_and_a_capitalised_preposition() -> None:
    text = 'Amid the noise, The Ledger\'s Tom Barr stayed calm, saying it was "just theatre" in the end.'
    q = find_quote(extract_quotes(text), "just theatre")
    assert q.speaker == "Tom Barr"


def test_lone_surname_does_not_expand_to_a_thing_named_after_the_person() -> None:
    text = (
        "Fans rode the Vance Express all week.\n\n"
        "“We will win big,” Vance said at the fair.\n\n"
        "Mr. Vance spoke for an hour."
    )
    q = find_quote(extract_quotes(text), "win big")
    assert q.speaker == "Vance"


def test_first_name_still_expands_to_the_one_full_name() -> None:
    index = NameIndex.build("Carla Mendes won the vote. Later Carla thanked the Carla Mendes Fund.")
    assert index.resolve("Carla") == "Carla Mendes"


def test_she_skips_a_group_and_a_company_named_after_the_speaker() -> None:
    text = (
        "Rosa Lind met the Brazilian Americans of the district. Lind Mercury LLC paid for the hall.\n\n"
        "“We are one town,” she said."
    )
    q = find_quote(extract_quotes(text), "one town")
    assert q.speaker == "Rosa Lind"


def test_titled_name_in_a_title_case_line_gives_the_full_name() -> None:
    text = (
        "Former Iowa Gov. Dana Whitcombe Is Backing The Bridge Plan Today\n\n"
        "Former Iowa Gov. Dana Whitcombe is endorsing Jo Pell.\n\n"
        "“She gets things built,” Whitcombe said."
    )
    index = NameIndex.build(text, [(0, text.index("\n")), (text.index("Former", 5), text.index("Pell.") + 5)])
    assert index.resolve("Whitcombe") == "Dana Whitcombe"
    assert index.resolve("Plan") == "Plan"


def test_first_name_expands_to_the_person_not_a_longer_phrase_starting_with_it() -> None:
    text = "Nadia Brook spoke. A Nadia Brook City Hall would be open late. Nadia smiled."
    assert NameIndex.build(text).resolve("Nadia") == "Nadia Brook"


def test_a_name_and_an_ordinal_at_the_end_of_a_paragraph_do_not_crash() -> None:
    for text in ("Ann Lee 1st", "Pvt. Tom Barr 1st", "Ann Lee 1st\nMore text here.", "Barr 1st \n R"):
        assert extract_quotes(text) == []


def test_a_long_chain_of_titles_does_not_recurse_without_end() -> None:
    text = "“We will win,” said " + " and ".join(["Gov."] * 2000) + " Ann Lee."
    (q,) = extract_quotes(text)
    assert q.text == "We will win"


def test_a_person_after_a_city_and_a_comma_is_still_the_speaker() -> None:
    text = "The mayor of Dayton, Ann Lee, said the plan was “a joke.”"
    (q,) = extract_quotes(text)
    assert q.speaker == "Ann Lee"
    state = "Clinton, at a rally in Columbus, Ohio, said she was “going to win.”"
    (q,) = extract_quotes(state)
    assert q.speaker == "Clinton"


def test_a_party_label_is_not_a_dateline() -> None:
    text = "Sen. Tom Barr (R) — a longtime critic of the mayor — voted no, saying the plan was “a joke.”"
    (q,) = extract_quotes(text)
    assert q.speaker == "Tom Barr"


def test_surnames_that_are_also_common_words_and_titled_first_names() -> None:
    assert extract_quotes("“We will win,” said Ann More.")[0].speaker == "Ann More"
    text = "The march was led by the Rev. Al Sharpton.\n\n“We march today,” Al said."
    assert extract_quotes(text)[0].speaker == "Al Sharpton"


def test_spelled_out_ranks_are_titles_not_first_names() -> None:
    text = "Crews worked. “We saved the pier,” said Captain Ines Duarte. “Close,” said Sergeant Ben Ito."
    quotes = extract_quotes(text)
    assert [q.speaker for q in quotes] == ["Ines Duarte", "Ben Ito"]
