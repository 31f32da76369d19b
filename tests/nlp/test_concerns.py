"""Concern detection (`jcpp_concerns`): what counts as a concern follows labels.md.

Examples are made up; none is copied from the labelled minutes.
"""

from __future__ import annotations

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.components  # noqa: F401  (Span extensions)
from nlp.components import actions, concerns, lemmas, segment  # noqa: F401


@pytest.fixture(scope="module")
def pipe() -> Language:
    language = spacy.blank("en")
    for name in ("jcpp_lemmatizer", "jcpp_segmenter", "jcpp_concerns", "jcpp_actions"):
        language.add_pipe(name)
    language.initialize()
    return language


def found(pipe: Language, text: str) -> list[str]:
    doc = pipe(text)
    return [span.text for span in doc.spans["concerns"]]


@pytest.mark.parametrize(
    "text",
    [
        # worry, fear, frustration
        "Ms. Okonkwo said residents near Cedar Park are worried about cars speeding on 58th St.",
        "Tenants at the Birch Court apartments are afraid to call 911 because of their landlord.",
        "Mr. Farouk said shop owners are frustrated that graffiti is never cleaned up.",
        # complaint, raised an issue, a problem with
        "Mr. Haile complained that the bus shelter on Main Street has no lighting.",
        "Ms. Tran raised the issue of officers parking in the bike lane outside the station.",
        "Pastor Boateng said there is a problem with people racing on Lakeview Drive at night.",
        # residents say / report, relayed concerns
        "Residents on Oak Avenue say break-ins keep happening at night.",
        "Residents report that cars run the stop sign at Elm and 3rd every morning.",
        "Staff shared that residents at Maple Court feel unsafe walking to the bus stop.",
        "The liaison relayed a complaint from a family whose interpreter never arrived.",
        "Liaison Ode relayed a concern from a tenant whose neighbor keeps parking in her spot.",
        # a member's recommendation asks for a change
        "Ms. Omar agreed and added that the policy should be posted online in Somali.",
        "Mr. Lind said the department should recruit at the technical college, not at job fairs.",
        # questions that imply a problem
        "A member asked why officers do not carry language line cards.",
        "Mr. Said asked whether anything can be done about trucks idling on Fourth Street.",
        # keeps rising, there is no, not enough
        "Car thefts keep rising near the transit station.",
        "There is no crosswalk between the school and the library.",
        "Ms. Reyes said there are not enough Spanish-speaking officers on the night shift.",
        # labels and passive forms of notes
        "Concern: speeding on Birch Road near the middle school after dismissal.",
        "Issue raised by a member regarding lack of lighting in Riverside Park.",
        "Concerns were raised about the lack of Karen-speaking dispatchers.",
        "Members discussed concerns regarding the new curfew at the skate park.",
        "Ms. Shah noted that the grocery on Winnetka was burglarized twice in January.",
        "A resident voiced frustration that calls to the non-emergency line wait 20 minutes.",
        "Residents requested more patrols along the river trail at night.",
        "Mr. Tesfaye inquired why the community room is locked on weekends.",
        # rising numbers
        "Sgt. Ray said thefts from cars are up 30% over last year.",
        # asks for a change
        "Pastor Lee asked that the department put interpreters at the front desk.",
        "Ms. Diaz would like the department to post crime alerts in Spanish.",
        "Mr. Abdi requested that officers stop parking across the mosque driveway.",
        # no one hurt, and still a worry
        "No one was hurt, but neighbors on Elm Street are afraid to let their children outside.",
        # "nothing further" that is not a roundtable's pass
        "A resident said she called twice about a shooting and heard nothing further from police.",
    ],
)
def test_a_concern_is_found_as_the_whole_sentence(pipe: Language, text: str) -> None:
    assert found(pipe, text) == [text.rstrip()]


@pytest.mark.parametrize(
    "text",
    [
        # neutral reports and statistics
        "Lt. Okafor reviewed last month's calls for service.",
        "Sgt. Vang presented the quarterly numbers; thefts went down slightly.",
        # procedure
        "Motion by Diaz, second by Lee, to approve the minutes. Motion carried 6-0.",
        "Roll call was taken and a quorum was present.",
        "Chair Diaz called the meeting to order at 6:30 and asked for a moment of silence.",
        # event announcements and invitations
        "National Night Out will be held on August 5 at Central Park.",
        "Members are encouraged to attend the spring festival.",
        # the body's own business
        "Members discussed changes to the bylaws and the meeting schedule.",
        "Ms. Kim asked that the annual report list attendance by month.",
        # thanks and praise
        "Mr. Haile thanked the officers for their help at the block party.",
        # commitments are action items, not concerns
        "Staff will look for a larger room.",
        # falling numbers, and "minutes" of time are not procedure of minutes
        "Burglaries are down 12% from last year.",
        # a report that says the harm did not happen
        "Officers found shell casings on Elm Street; no one was hurt.",
        "A car went into the ditch on County Road 81; nobody injured.",
        "A car hit a light pole on Main Street early Sunday. Nobody was seriously injured.",
        # nothing to report
        "Other business: none.",
        "Ms. Abdi: nothing to report.",
        "Captain Rhee stated there was nothing new to report this month.",
        "Member Villaseñor: Nothing further.",
        "There was no unfinished business, and there were no additional questions.",
        "Ms. Chan, Ms. Holmgren: Nothing to add.",
        "Member Ali: nothing else to share.",
        "Public Comment: There was no public input.",
        "Public Comments: There were no hands raised for public comments.",
        # a resolved concern, a comparison, a rise of something good
        "Member Ali said her concerns have been resolved.",
        "Member Ali said foot patrols, as opposed to car patrols, build trust.",
        "Member Lee said attendance at the forums went up this year.",
        "Co-Chair Updates: There were no co-chair updates.",
        "We were told several things are in process, but there was nothing currently to report.",
    ],
)
def test_not_a_concern(pipe: Language, text: str) -> None:
    assert found(pipe, text) == []


def test_a_question_block_is_one_concern_and_the_answer_is_not(pipe: Language) -> None:
    text = "Q: Why are there so few officers on patrol at night?\nA: No, staffing is short.\n"
    assert found(pipe, text) == ["Q: Why are there so few officers on patrol at night?"]


def test_two_separate_concerns_in_one_sentence_are_two_clauses(pipe: Language) -> None:
    text = (
        "Ms. Diaz said parents are worried about speeding on Elm Street, "
        "and that there is no crossing guard at Lincoln Elementary."
    )
    assert found(pipe, text) == [
        "Ms. Diaz said parents are worried about speeding on Elm Street",
        "that there is no crossing guard at Lincoln Elementary.",
    ]


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        (
            "Ms. Diaz said the crosswalk at Elm has no signal; and parents are worried about "
            "speeding on 5th Street.",
            ["Ms. Diaz said the crosswalk at Elm has no signal", "parents are worried about"],
        ),
        (
            "Mr. Ko said the park lights are broken and also that teens are drinking there.",
            ["Mr. Ko said the park lights are broken", "that teens are drinking there."],
        ),
    ],
)
def test_semicolon_and_and_also_join_two_concerns(
    pipe: Language, text: str, parts: list[str]
) -> None:
    result = found(pipe, text)
    assert len(result) == 2
    assert all(r.startswith(p) for r, p in zip(result, parts, strict=True))


def test_another_speaker_after_a_semicolon_is_a_separate_concern(pipe: Language) -> None:
    text = (
        "Mr. Ortiz asked whether the shelter has any beds for families; "
        "Ms. Holm said families are often turned away because the shelter is full."
    )
    assert len(found(pipe, text)) == 2


def test_a_concern_after_a_staff_report_in_the_same_sentence_is_found(pipe: Language) -> None:
    text = (
        "Lt. Garland introduced the stop data; "
        "Ms. Ali said residents are worried that stops target Somali drivers."
    )
    assert found(pipe, text) == [
        "Ms. Ali said residents are worried that stops target Somali drivers."
    ]


def test_one_concern_told_in_several_clauses_stays_one_span(pipe: Language) -> None:
    text = "Mr. Lee said tenants are afraid to call 911; he asked that the city explain the rules."
    assert found(pipe, text) == [text]


def test_concerns_in_minutes_with_bullets_and_speaker_lines(pipe: Language) -> None:
    text = (
        "4. Community concerns\n"
        "- Residents near 42nd Street say drivers speed past the park every evening.\n"
        "- Ms. Abebe: families in her building are scared after two break-ins.\n"
        "- Sgt. Olsen thanked everyone for coming to the open house.\n"
    )
    assert found(pipe, text) == [
        "Residents near 42nd Street say drivers speed past the park every evening.",
        "Ms. Abebe: families in her building are scared after two break-ins.",
    ]


def test_a_line_without_its_subject_belongs_to_the_speaker_before(pipe: Language) -> None:
    text = "o Ms. Ruiz: no crossing guard at Pine and 5th.\no Asked that the city add a guard.\n"
    assert found(pipe, text) == [
        "Ms. Ruiz: no crossing guard at Pine and 5th.",
        "Asked that the city add a guard.",
    ]


def test_a_staff_report_is_not_a_concern_but_a_relayed_one_is(pipe: Language) -> None:
    assert found(pipe, "Sgt. Boyd said the new cadets start training in March.") == []
    text = "Sgt. Boyd said residents on Fern Street are scared to walk at night."
    assert found(pipe, text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Lt. Svedberg reported that thefts of Kia and Hyundai vehicles went up again in June.",
        "Sgt. Boyd said overdoses have gone up at the shelter.",
        "The chief said catalytic converter thefts spiked after the holidays.",
    ],
)
def test_staff_stating_a_rise_in_a_problem_raise_a_concern(pipe: Language, text: str) -> None:
    assert found(pipe, text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        "Pedro Rios, Chula Vista resident, spoke in opposition to the ALPR program.",
        "Rudy Ramirez, a resident, spoke regarding concerns with the ALPR program.",
        "Don Rosenfeld: Spoke about his concerns with neighborhood safety.",
    ],
)
def test_public_comment_against_something_is_a_concern(pipe: Language, text: str) -> None:
    assert found(pipe, text) == [text]


def test_a_cue_phrase_broken_by_a_hard_wrap_still_counts(pipe: Language) -> None:
    text = "Mr. Diaz spoke in\nopposition to the drone program."
    assert found(pipe, text) == [text]


@pytest.mark.parametrize(
    "text",
    [
        # "no public input" said of something else does not cancel the worry beside it
        "Ms. Lee said there was no public input before the cameras went up; residents are upset.",
        # contractions match their cue phrases ("won't", "can't")
        "Parents won't report incidents to the school.",
    ],
)
def test_a_worry_is_kept_beside_no_public_input_and_in_contractions(
    pipe: Language, text: str
) -> None:
    assert found(pipe, text) == [text]


def test_offsets_are_slices_and_scores_are_between_0_and_1(pipe: Language) -> None:
    text = (
        "COMMUNITY CONCERNS\n"
        "  • Mr. Warsame said elders are afraid of the new traffic cameras.   \n"
        "Q: Why do officers not speak Somali?\nA: Two officers are learning.\n"
        "Ms. Vang asked that the city add lights; she said the park is unsafe at night.\n"
    )
    doc: Doc = pipe(text)
    group = doc.spans["concerns"]
    assert len(group) == 3
    scores = group.attrs["scores"]
    assert len(scores) == len(group)
    for span, score in zip(group, scores, strict=True):
        assert text[span.start_char : span.end_char] == span.text
        assert span.text == span.text.strip() and not span.text.startswith("•")
        assert 0.0 < score <= 1.0


def test_empty_and_odd_texts_give_no_concerns(pipe: Language) -> None:
    for text in ("", "   \n\n", "????", "• \n- \n1.", "<script>alert('x')</script>"):
        assert found(pipe, text) == []


def test_cues_come_from_a_registered_versioned_function() -> None:
    cues = spacy.registry.misc.get(concerns.CUES_VERSION)()
    assert concerns.CUES_VERSION == "jcpp.concern_cues.v1"
    assert {"emotion", "complaint", "question", "request", "procedure", "event"} <= set(cues)
    assert all(spec["weight"] < 0 for name, spec in cues.items() if name in ("procedure", "event"))


def test_a_concern_said_to_be_raised_at_the_end_of_a_sentence(pipe: Language) -> None:
    text = "He stated that e-bikes/scooters are a more recent\nconcern raised."
    assert found(pipe, text) == [text]
    assert found(pipe, "He stated that the e-bike program was launched in May.") == []


def test_agenda_items_left_unaddressed_can_be_a_concern(pipe: Language) -> None:
    text = (
        "She indicated that there are agenda items from the April meeting that have not been "
        "addressed, and she is concerned about the lack of progress by the Board."
    )
    assert found(pipe, text) == [text]
    assert found(pipe, "The agenda was approved as presented.") == []
    assert found(pipe, "Motion to approve the agenda; concerns about speeding were added.") == []


def test_a_bad_experience_and_an_item_of_concern_are_concerns(pipe: Language) -> None:
    text = "Mr. Brown recounted an adverse experience with police."
    assert found(pipe, text) == [text]
    text = "He said response time seems to be the main item of\nconcern from the citizens."
    assert found(pipe, text) == [text]
    assert found(pipe, "Mr. Brown recounted his experience as a reserve officer.") == []


def test_minutes_in_the_present_tense_say_who_speaks(pipe: Language) -> None:
    text = (
        "Mr. Turner mentions the fact that response time seems to be the main item of concern "
        "from the citizens."
    )
    assert found(pipe, text) == [text]
    # "responds" says what police do, not who speaks.
    assert found(pipe, "SMPD still responds if weapons or violence are involved.") == []


def test_something_found_problematic_or_a_need_for_more_is_a_concern(pipe: Language) -> None:
    text = "He said he found it problematic that the license plate reader rules are not in place."
    assert found(pipe, text) == [text]
    text = "Resident Stephen Nelson commented on the need for additional patrols near the school."
    assert found(pipe, text) == [text]
    assert found(pipe, "Resident Stephen Nelson commented on the new patrol schedule.") == []


def test_a_problem_that_continues_to_be_an_issue_is_a_concern(pipe: Language) -> None:
    text = "Commander Fleecs said thefts from motor vehicles continue to be an issue."
    assert found(pipe, text) == [text]
    text = "Sgt. Diaz said loud parties near the park are an ongoing problem."
    assert found(pipe, text) == [text]
    assert found(pipe, "Sgt. Diaz said the ongoing patrols near the park will continue.") == []
