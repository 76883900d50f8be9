"""Quote extraction and attribution: one test per phenomenon, on texts written for these tests."""

from __future__ import annotations

from bot.text.names import NameIndex
from bot.text.quotes import extract_quotes
from tests.support import find_quote, mention_of


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
    first, second = find_quote(quotes, "pier is safe"), find_quote(quotes, "road to it")
    assert first.speaker == second.speaker == "Orla Benning"
    assert mention_of(text, first) == mention_of(text, second) == "she"


def test_multi_paragraph_quote_with_only_opening_marks() -> None:
    text = (
        "Tomas Verhoef, the budget chief, said: “We cut what we could.\n\n"
        "“Then we cut again, and the schools still need more.\n\n"
        "“Nobody should pretend this is easy.”\n\n"
        "The council meets again next week."
    )
    quotes = extract_quotes(text)
    for words in ("cut what we could", "cut again", "pretend this is easy"):
        q = find_quote(quotes, words)
        assert q.speaker == "Tomas Verhoef"
        assert mention_of(text, q) == "Tomas Verhoef"
    assert all("council meets" not in q.text for q in quotes)


def test_quote_only_paragraph_continues_the_previous_speaker() -> None:
    text = (
        "“The river rose overnight,” Ines Carrow, the county engineer, said on Tuesday.\n\n"
        "“We moved the pumps before dawn and nobody was hurt.”"
    )
    q = find_quote(extract_quotes(text), "moved the pumps")
    assert q.speaker == "Ines Carrow"


def test_inverted_said_x() -> None:
    text = "“The vote is a warning to every incumbent,” said Sen. Wendell Ashby of Vermont."
    (q,) = extract_quotes(text)
    assert q.speaker == "Wendell Ashby"
    assert "Wendell Ashby" in (mention_of(text, q) or "")


def test_appositive_between_name_and_cue() -> None:
    text = (
        "Sergei Ryabkov, the deputy foreign minister, said the talks were “useful but hard.”\n\n"
        "“We will not give up,” Ryabkov said."
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "useful but hard").speaker == "Sergei Ryabkov"
    later = find_quote(quotes, "not give up")
    assert later.speaker == "Sergei Ryabkov"
    assert mention_of(text, later) == "Ryabkov"


def test_according_to_x() -> None:
    text = (
        "Priya Lindqvist runs the clinic.\n\n"
        "The waiting list is “longer than it has ever been,” according to Ms. Lindqvist."
    )
    q = find_quote(extract_quotes(text), "longer than it has ever been")
    assert q.speaker == "Priya Lindqvist"
    assert q.kind == "partial"


def test_x_told_y() -> None:
    text = "Gareth Molloy told reporters: “The strike ends when the offer improves.”"
    (q,) = extract_quotes(text)
    assert q.speaker == "Gareth Molloy"
    assert mention_of(text, q) == "Gareth Molloy"


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
    assert mention_of(text, q) == "Kremlin"


def test_pronoun_resolved_when_clear() -> None:
    text = (
        "Mayor Delia Fenwick opened the new library on Saturday.\n\n"
        "“Every child in this town deserves a quiet place to read,” she said."
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Delia Fenwick"
    assert mention_of(text, q) == "she"


def test_pronoun_without_antecedent_is_none() -> None:
    text = "“The numbers do not add up, and everyone in the room knew it,” he said."
    (q,) = extract_quotes(text)
    assert q.speaker is None
    assert mention_of(text, q) == "he"


def test_nominal_resolved_to_the_person_with_that_title() -> None:
    text = (
        "Sen. Imogen Pratt visited the border town on Monday.\n\n"
        "“These families have waited long enough for an answer,” the senator said."
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Imogen Pratt"
    assert mention_of(text, q) == "the senator"


def test_unnamed_nominal_is_none() -> None:
    text = "“The plan will not survive the committee vote,” a party spokesman said."
    (q,) = extract_quotes(text)
    assert q.speaker is None
    assert mention_of(text, q) == "a party spokesman"


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
    assert "spokesman" in (mention_of(text, q) or "")


def test_empty_and_quote_free_text() -> None:
    assert extract_quotes("") == []
    assert extract_quotes("The market closed early.\n\nRain is expected.") == []


def test_pronoun_skips_a_person_the_article_refers_to_otherwise() -> None:
    text = (
        "Governor Lisa Hart met Senator Mark Oduya on Monday. Oduya said his staff had worked hard.\n\n"
        "Hart said she was pleased with the talks.\n\n"
        "“We are not there yet,” he said."
    )
    q = find_quote(extract_quotes(text), "not there yet")
    assert q.speaker == "Mark Oduya"
    assert mention_of(text, q) == "he"


def test_passive_cue_is_not_the_subjects_speech() -> None:
    text = "Dana Whitlock was asked about the “last chance” budget on Tuesday."
    quotes = extract_quotes(text)
    assert all(q.speaker != "Dana Whitlock" for q in quotes)


def test_relayed_quote_credits_the_relaying_source() -> None:
    text = "“We will not sign,” Ortega said, according to the Daily Ledger."
    (q,) = extract_quotes(text)
    assert mention_of(text, q) == "the Daily Ledger"


def test_named_subject_acting_on_a_partial_quote() -> None:
    text = "Maria Lopez supports “fair pay for every shift” in the new contract."
    (q,) = extract_quotes(text)
    assert q.speaker == "Maria Lopez"
    assert q.kind == "partial"


def test_pronoun_or_role_subject_acting_on_a_partial_quote() -> None:
    text = (
        "Sen. Ana Ruiz toured the flooded valley on Monday.\n\n"
        "She praised the “quick and quiet work” of the volunteers.\n\n"
        "The senator opposes the “river toll” that the county proposed."
    )
    work = find_quote(extract_quotes(text), "quick and quiet")
    assert work.speaker == "Ana Ruiz"
    assert mention_of(text, work) == "She"
    toll = find_quote(extract_quotes(text), "river toll")
    assert toll.speaker == "Ana Ruiz"
    assert mention_of(text, toll) == "The senator"


def test_subject_without_a_clear_person_gives_no_speaker() -> None:
    text = "She praised the “quick and quiet work” of the volunteers."
    (q,) = extract_quotes(text)
    assert q.speaker is None


def test_named_subject_preferred_over_pronoun_in_what_he_calls() -> None:
    text = (
        "Senator Bram Okafor spoke twice. Okafor has attacked what he calls the “harbour cartel” for years."
    )
    q = find_quote(extract_quotes(text), "harbour cartel")
    assert q.speaker == "Bram Okafor"
    assert mention_of(text, q) == "Okafor"


def test_sentence_opening_adverb_is_not_a_speaker() -> None:
    text = (
        "Mayor Lise Dunmore closed the market.\n\n"
        "Outside the hall, about forty traders gathered, chanting “Open the gates.”\n\n"
        "Likewise, the traders’ union said the closure was “a mistake.”"
    )
    quotes = extract_quotes(text)
    for words in ("Open the gates", "a mistake"):
        q = find_quote(quotes, words)
        assert q.speaker not in ("Outside", "Likewise")


def test_secretary_of_state_title_is_dropped() -> None:
    text = "Secretary of State Ruth Adebayo said the talks were “nearly done.” Adebayo left on Friday."
    q = find_quote(extract_quotes(text), "nearly done")
    assert q.speaker == "Ruth Adebayo"


def test_sentence_opening_verb_form_is_not_a_first_name() -> None:
    text = (
        "Carl Bettany runs the ferry company.\n\n"
        "Stated Bettany: “The boats will run all winter.”\n\n"
        "Continued Bettany: “Prices will not rise.”"
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "boats will run").speaker == "Carl Bettany"
    assert find_quote(quotes, "Prices will not rise").speaker == "Carl Bettany"


def test_name_modifying_a_noun_is_not_a_fuller_name() -> None:
    text = "Glenna Voss won the vote. Several Ohio Voss supporters cheered.\n\n“We earned this,” Voss said."
    q = find_quote(extract_quotes(text), "earned this")
    assert q.speaker == "Glenna Voss"


def test_descriptive_titles_are_dropped_from_names() -> None:
    text = "Actor Dev Marlowe praised the festival. “It is the best in years,” Marlowe said."
    q = find_quote(extract_quotes(text), "best in years")
    assert q.speaker == "Dev Marlowe"


def test_second_participle_shares_the_first_ones_source() -> None:
    text = (
        "The council adjourned, with Mayor Ann Coley tweeting that the meeting was a “mess” "
        "and asking, “Who will pay for the new bridge?”"
    )
    q = find_quote(extract_quotes(text), "Who will pay")
    assert q.speaker == "Ann Coley"


def test_the_plus_capitalised_word_frame_is_a_mention() -> None:
    text = "Ray Pollard quit the race. “Those were skilled governors,” the Texan said."
    q = find_quote(extract_quotes(text), "skilled governors")
    assert mention_of(text, q) == "the Texan"


def test_inverted_frame_after_a_short_tail() -> None:
    text = "“We are extremely happy” about the ruling, said Lena Ortiz, the union’s director."
    q = find_quote(extract_quotes(text), "extremely happy")
    assert q.speaker == "Lena Ortiz"


def test_role_noun_before_an_inverted_name() -> None:
    text = "“It is the best play in years,” said conservative activist Bob Klane, who saw it twice."
    q = find_quote(extract_quotes(text), "best play")
    assert q.speaker == "Bob Klane"
    assert mention_of(text, q) == "Bob Klane"


def test_name_with_place_of_origin_is_the_subject() -> None:
    text = "House Speaker Paul Randt of Iowa lamented the “disheartened” mood of the race."
    q = find_quote(extract_quotes(text), "disheartened")
    assert q.speaker == "Paul Randt"


def test_outer_reporter_of_nested_speech() -> None:
    text = "Rep. Sol Imber said Governor Kay Dunn called on members to be “closely coordinated.”"
    q = find_quote(extract_quotes(text), "closely coordinated")
    assert q.speaker == "Sol Imber"


def test_frame_after_a_when_clause_is_not_the_speaker() -> None:
    text = (
        "Gus Tarrant spoke at the arena.\n\n"
        "When Tarrant said he would “protect every worker,” the crowd applauded loudly."
    )
    q = find_quote(extract_quotes(text), "protect every worker")
    assert q.speaker == "Gus Tarrant"
    text = "When asked, Gus Tarrant said: “There will be exceptions,” the Ledger reported."
    q = find_quote(extract_quotes(text), "exceptions")
    assert mention_of(text, q) == "the Ledger"  # "When asked," has no subject of its own


def test_unresolved_relative_pronoun_gives_no_mention() -> None:
    text = "Nobody expected a candidate who promised “free ferries for all” to win."
    q = find_quote(extract_quotes(text), "free ferries")
    assert q.speaker is None
    assert q.speaker_start is None


def test_quoted_as_saying_after_the_quote() -> None:
    text = "“We call likely voters first,” Matt Brennard is quoted as saying."
    q = find_quote(extract_quotes(text), "likely voters")
    assert q.speaker == "Matt Brennard"


def test_inverted_possessive_role_phrase_names_the_person() -> None:
    text = "“This is a first for any campaign,” said the mayor’s top housing aide Jon Sellick."
    q = find_quote(extract_quotes(text), "first for any campaign")
    assert q.speaker == "Jon Sellick"
    text = "“Leave your boats at home,” opined Ashford’s Evening Ledger."
    q = find_quote(extract_quotes(text), "boats at home")
    assert mention_of(text, q) == "Ashford’s Evening Ledger"


def test_named_subject_after_an_opening_adverb_governs_a_partial_quote() -> None:
    text = "First, Dora Kessling attacked the old mayor for being a “failed manager.”"
    q = find_quote(extract_quotes(text), "failed manager")
    assert q.speaker == "Dora Kessling"


def test_group_name_is_never_he_or_she() -> None:
    text = (
        "Republicans blocked the bill on Monday.\n\n"
        "“I have never heard of it,” she said, speaking to reporters."
    )
    q = find_quote(extract_quotes(text), "never heard")
    assert q.speaker is None


def test_phrasal_speech_verbs_are_cues() -> None:
    text = "Mara Kellin spoke.\n\n“You know, it happens, right?” Don Trumble went on, as if deaf."
    assert find_quote(extract_quotes(text), "it happens").speaker == "Don Trumble"
    text = "“Voters reject the old guard,” Rick Vigne points out."
    assert find_quote(extract_quotes(text), "old guard").speaker == "Rick Vigne"


def test_prepared_remarks_with_will_say() -> None:
    text = "Ben Olafsen will speak tonight. “You don’t know what it is like,” he will say."
    q = find_quote(extract_quotes(text), "what it is like")
    assert q.speaker == "Ben Olafsen"
    assert mention_of(text, q) == "he"


def test_place_before_a_name_is_not_part_of_the_full_name() -> None:
    text = (
        "Voters in New Hampshire met Bernard Sandor on Monday. New Hampshire Sandor volunteers "
        "knocked on doors.\n\n“We can win here,” Sandor said."
    )
    q = find_quote(extract_quotes(text), "win here")
    assert q.speaker == "Bernard Sandor"


def test_organisation_names_keep_their_words() -> None:
    text = (
        "The Senate Reform Fund paid for the ads.\n\n"
        "“The emails are top secret,” the State Department said. “Nothing more will be released.”"
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "top secret").speaker == "State Department"
    names = NameIndex.build("The Senate Reform Fund paid for the ads. The Senate voted on Friday.")
    assert names.resolve("Senate") == "Senate"  # no organisation is the "full name" of its first word


def test_document_nouns_can_be_sources() -> None:
    text = "“The mayor requested a meeting,” the statement read."
    q = find_quote(extract_quotes(text), "requested a meeting")
    assert mention_of(text, q) == "the statement"
    assert q.speaker is None


def test_body_form_of_a_name_beats_the_headline_form_on_a_tie() -> None:
    text = (
        "Rob Tallis praises the new bridge\n\n"
        "Robert Tallis, the former engineer, toured the site on Monday.\n\n"
        "“It is a fine piece of work,” Tallis said."
    )
    q = find_quote(extract_quotes(text), "fine piece")
    assert q.speaker == "Robert Tallis"


def test_a_colon_hands_the_next_paragraph_to_the_cue_of_its_sentence() -> None:
    text = (
        "Ana Ruiz, a planner, watched the debate.\n\n"
        "As Ana Ruiz observed afterwards in the lobby:\n\n"
        "“The clear winner tonight was the room, which let every speaker be heard.”"
    )
    q = find_quote(extract_quotes(text), "clear winner tonight")
    assert q.speaker == "Ana Ruiz"
    assert mention_of(text, q) == "Ana Ruiz"


def test_an_as_clause_does_not_hand_over_a_main_clause_with_its_own_subject() -> None:
    text = "As Ana Ruiz reported in March, the memo from the mayor’s office ends:\n\n“Do not share this.”"
    (q,) = extract_quotes(text)
    assert q.speaker is None


def test_a_dash_line_signs_the_quotation_above() -> None:
    text = (
        "The candidates met in Dayton.\n\n"
        "“We will build more homes than any city in the state.”\n\n"
        "- Ana Ruiz, mayor of Dayton.\n\n"
        "The claim is mostly true, as Ruiz has shown.\n\n"
        "“Taxes will fall for every family.”\n\n"
        "– Inside the campaign –.\n\n"
        "“Buses will be free.”\n\n"
        "— Reuters."
    )
    quotes = extract_quotes(text)
    homes = find_quote(quotes, "more homes")
    assert homes.speaker == "Ana Ruiz"
    assert mention_of(text, homes) == "Ana Ruiz"
    assert find_quote(quotes, "Buses will be free").speaker is None  # a credit line, not a signature


def test_credit_lines_lists_and_titles_are_not_signatures() -> None:
    credit = "Ann Lee won the vote.\n\n“Victory at last.”\n\n— Getty Images"
    assert extract_quotes(credit)[0].speaker is None
    listing = "The vote ended.\n\n“We will win.”\n\n- Ann Lee, Dayton\n\n- Tom Barr, Akron"
    assert extract_quotes(listing)[0].speaker is None
    song = "Ann Lee has a new hit.\n\n“Blue Moon Rising”\n\n— Ann Lee, 2019"
    assert extract_quotes(song) == []  # a title in quotation marks, whoever signs below it


def test_a_signature_beats_a_guess_from_the_previous_paragraph() -> None:
    text = "Ann Lee spoke on Monday. Lee said more.\n\n“Vote no.”\n\n— Tom Barr, Dayton"
    assert extract_quotes(text)[0].speaker == "Tom Barr"


def test_who_clause_after_a_name_in_a_prepositional_phrase() -> None:
    text = (
        "The mayor won an endorsement from Nadia Brook, who declared at the rally, “It is time to unite.”"
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Nadia Brook"
    assert mention_of(text, q) == "who"


def test_when_asked_does_not_hide_the_speaker_before_it() -> None:
    text = (
        "The inquiry rests with Judge Ruth K. Okoro, who told reporters when asked about it on Monday: "
        "“The matter is in good hands.”"
    )
    (q,) = extract_quotes(text)
    assert q.speaker == "Ruth K. Okoro"


def test_but_that_continues_the_reported_speech() -> None:
    text = "Omar Diaz lost. He says he wishes he had more time, but that his team “did all it could.”"
    q = find_quote(extract_quotes(text), "did all it could")
    assert q.speaker == "Omar Diaz"


def test_an_echoed_phrase_is_not_the_subjects_own_quote() -> None:
    text = (
        "Tom Barr called the inquiry a witch hunt on Monday. Ann Lee laughed.\n\n"
        "She rejected Barr’s “witch hunt” line. Lee dismissed the “deep state” label."
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "witch hunt").speaker is None


def test_but_that_before_a_noun_phrase_starts_a_new_clause() -> None:
    text = "Tom Barr said the plan was sound, but that “hoax” tweet from Ann Lee hurt him."
    (q,) = extract_quotes(text)
    assert q.speaker is None


def test_a_who_clause_after_a_place_has_no_speaker() -> None:
    text = "Tom Barr held a rally with farmers from Iowa, who called the tariffs “a disaster.”"
    (q,) = extract_quotes(text)
    assert q.speaker is None


def test_surnames_that_are_also_organisation_words_stay_people() -> None:
    text = (
        "Tom Barr testified first. Then Sen. Frank Church spoke.\n\n“We found abuses,” he said.\n\n"
        "Bill Press hosted the debate. “That was a fair fight,” he said."
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "found abuses").speaker == "Frank Church"
    assert find_quote(quotes, "fair fight").speaker == "Bill Press"


def test_a_cue_after_a_finished_quote_opens_the_next_quote() -> None:
    # '“….” Tom Barr says, “…”': the full stop ends the first sentence; the cue belongs to the next.
    text = (
        "Ana Ruiz said the council would wait because “the bridge is unsafe.” "
        "Tom Barr says, “We will fix it by June.”"
    )
    quotes = extract_quotes(text)
    first, second = find_quote(quotes, "bridge is unsafe"), find_quote(quotes, "fix it by June")
    assert (first.speaker, mention_of(text, first)) == ("Ana Ruiz", "Ana Ruiz")
    assert second.speaker == "Tom Barr"
    # a frame that ends its own sentence still signs the quote before it
    (only,) = extract_quotes("“We will fix it by June.” Tom Barr said.")
    assert only.speaker == "Tom Barr"


def test_accented_capitals_resolve_to_the_full_name() -> None:
    text = (
        "Élodie Brun, the mayor, spoke on Monday. “We will rebuild,” Brun said.\n\n"
        "José Ñúñez-Caldera runs the port. “Ships are late,” Ñúñez-Caldera said.\n\n"
        "Örjan Lind agreed. “It is slow,” Lind said. Later Łukasz Wójcik arrived. “Fine,” Wójcik said."
    )
    quotes = extract_quotes(text)
    assert find_quote(quotes, "rebuild").speaker == "Élodie Brun"
    assert find_quote(quotes, "Ships are late").speaker == "José Ñúñez-Caldera"
    assert find_quote(quotes, "It is slow").speaker == "Örjan Lind"
    assert find_quote(quotes, "Fine").speaker == "Łukasz Wójcik"
    signed = (
        "Édouard Marchal directs the port.\n\n“The harbour will reopen in spring.”\n\n"
        "— Édouard Marchal, port director."
    )
    assert find_quote(extract_quotes(signed), "harbour will reopen").speaker == "Édouard Marchal"


def test_sentence_final_cue_with_a_role_before_the_name() -> None:
    text = "The grant will give towns the “firepower” they need, party spokesman Neil Sroka said."
    (q,) = extract_quotes(text)
    assert (q.speaker, mention_of(text, q)) == ("Neil Sroka", "Neil Sroka")
    text = "“Boots on the ground” would be right, Republican candidate Bea Carsten said on Monday."
    (q,) = extract_quotes(text)
    assert q.speaker == "Bea Carsten"
    # the inverted form is unchanged
    text = "The grant gives towns the “firepower” they need to win over voters, said Neil Sroka."
    (q,) = extract_quotes(text)
    assert q.speaker == "Neil Sroka"


def test_quote_sentence_after_a_sentence_of_speech_in_the_same_paragraph() -> None:
    text = "Lena Ortiz said the port would reopen soon. “We expect the first ships by June.”"
    q = find_quote(extract_quotes(text), "first ships")
    assert (q.speaker, mention_of(text, q)) == ("Lena Ortiz", "Lena Ortiz")
    # no speech in the sentence before: no speaker
    (q,) = extract_quotes("Lena Ortiz toured the port on Monday. “We expect the first ships by June.”")
    assert q.speaker is None
    (q,) = extract_quotes("The port reopened on Monday. “We expect the first ships by June.”")
    assert q.speaker is None
    # the speaker of the sentence before must be a named person, and the only person it names
    for text in (
        "Reporters told Ana Ruiz about the vote. “I am stunned.”",
        "Doctors said Lina Moss would recover. “I feel lucky to be alive.”",
        "Ana Ruiz said Tom Barr had called the plan a gamble. “It is reckless and we will pay for it.”",
    ):
        quote = next(q for q in extract_quotes(text) if q.kind != "reported")
        assert quote.speaker is None, text
