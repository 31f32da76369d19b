"""Action-item detection (`jcpp_actions`): commitments, their owners and due dates (labels.md).

Examples are made up; none is copied from the labelled minutes.
"""

from __future__ import annotations

import datetime as dt

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

import nlp.components  # noqa: F401  (Span extensions)
from nlp.components import actions, concerns, lemmas, segment  # noqa: F401

Found = list[tuple[str, str | None, dt.date | None]]


@pytest.fixture(scope="module")
def pipe() -> Language:
    language = spacy.blank("en")
    for name in ("jcpp_lemmatizer", "jcpp_segmenter", "jcpp_concerns", "jcpp_actions"):
        language.add_pipe(name)
    language.initialize()
    return language


def run(pipe: Language, text: str, meeting: dt.date | None = None) -> Doc:
    doc = pipe.make_doc(text)
    if meeting is not None:
        doc.user_data["meeting_date"] = meeting
    for _name, component in pipe.pipeline:
        doc = component(doc)
    return doc


def found(pipe: Language, text: str, meeting: dt.date | None = None) -> Found:
    doc = run(pipe, text, meeting)
    return [(s.text, s._.owner, s._.due) for s in doc.spans["actions"]]


def owners(pipe: Language, text: str) -> list[str | None]:
    return [owner for _text, owner, _due in found(pipe, text)]


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Staff will contact the school district about the crossing guard.", "Staff"),
        (
            "The outreach subcommittee will draft a flyer before the next meeting.",
            "The outreach subcommittee",
        ),
        ("Lt. Okafor will bring stop data next month.", "Lt. Okafor"),
        (
            "Chief Alvarez and Sgt. Vang will meet with the apartment managers.",
            "Chief Alvarez and Sgt. Vang",
        ),
        ("Members are asked to bring ideas for the spring forum.", "Members"),
        ("The liaison is working on a list of interpreters for the front desk.", "The liaison"),
        ("The chief is working to get an interpreter line at the front desk.", "The chief"),
        ("Officer Dahl agreed to visit the senior center in June.", "Officer Dahl"),
        ("Ms. Petrov offered to translate the flyer into Russian.", "Ms. Petrov"),
        ("Capt. Moreno will follow up with the resident after the meeting.", "Capt. Moreno"),
        ("Sgt. Ruiz will look into the parking complaints and report back.", "Sgt. Ruiz"),
        ("Officer Lind was asked to check the lighting at the park.", "Officer Lind"),
        ("Members were reminded to complete the ethics module.", "Members"),
        ("Chief Moore committed to providing monthly updates on enforcement.", "Chief Moore"),
        ("The chair asked members to send agenda ideas to the liaison.", "members"),
        ("Members should bring one idea each to the retreat.", "Members"),
        # the owner of a pronoun is the speaker
        (
            "Cmdr. Hartwell said he will ask Public Works about the parking on Penn.",
            "Cmdr. Hartwell",
        ),
        (
            "Chief Ortiz: Said it is a fair point and she will raise it with the captains.",
            "Chief Ortiz",
        ),
        # passive: nobody is named
        ("The survey results will be sent to members by e-mail.", None),
        ("The vote on the work plan was tabled until June.", None),
        # ... unless the agent is named
        ("Copies of the policy to be sent by the liaison.", "the liaison"),
    ],
)
def test_an_action_item_and_its_owner_as_written(
    pipe: Language, text: str, owner: str | None
) -> None:
    assert found(pipe, text) == [(text, owner, None)]


@pytest.mark.parametrize(
    "text",
    [
        # event announcements
        "National Night Out will be held on August 5 at Central Park.",
        "Chair Lee will be missing the June meeting.",
        "Lt. Moua directed officers to the area after reports of gunfire.",
        "The spring festival will take place at the community center.",
        "Planning for the picnic will start in March.",
        # invitations
        "Members are encouraged to attend the MLK breakfast.",
        # wishes without a task
        "The committee hopes to reach more families this year.",
        "The department would like more residents to apply.",
        # already done
        "The flyer was sent to all members last week.",
        "Sgt. Vang has already met with the apartment managers.",
        # work of outside bodies
        "The school board will vote on the SRO contract in June.",
        "The legislature will take up the bill next session.",
        # deferring approval of the minutes
        "Approval of the January minutes was tabled until the March meeting.",
        # questions and worries about the future are not commitments
        "Ms. Diaz asked whether the department will publish stop data.",
        "Residents worry that officers will stop coming to the meetings.",
        "Mr. Obi asked how the city will keep the park safe this summer.",
        # appeals to the public are not tasks
        "Sgt. Ali asked anyone with information to call the tip line.",
        # negated and procedural
        "The department will not share video with federal agents.",
        "Motion to approve the agenda carried 7-0.",
        # rules the body quotes, and what happens before the meeting ends
        "A majority of the committee shall constitute a quorum.",
        "Minutes of meetings shall be kept by the City Clerk and shall be approved by the board.",
        "Issues referred to the work group will be discussed later in the meeting.",
        "Chief Ruiz will come back to this item later on the agenda.",
        "Adoption of Minutes: Chair Watson asked the Board to approve the minutes.",
        "Officers will be involved in an assortment of upcoming training.",
        "The new community service center will be opening soon to the public.",
        "The chair shall appoint a secretary who may serve two terms.",
        "Members shall serve until the next election.",
        "The chief was going to the conference in Denver.",
        "He was going to attend but was ill.",
        "Parking along Elm is designated to residents only.",
        "The board agreed\nto keep the current schedule.",
        "Chief Ruiz will come back to this item later in\nthe meeting.",
        "The budget item is to be discussed later in the meeting.",
        "The county deferred action on the jail contract until next month.",
    ],
)
def test_not_an_action_item(pipe: Language, text: str) -> None:
    assert found(pipe, text) == []


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        # a hyphenated name stays whole
        ("Officer Nguyen-Baker will visit the school in May.", "Officer Nguyen-Baker"),
        # a subject left out after "and" is the one the clause opens with
        (
            "The department trained hotel staff in May and will train landlords next.",
            "The department",
        ),
        ("Sgt. Dahl said the city has extra helmets and will hand them out in June.", "the city"),
        # the speaker of a Q&A answer owns what "he" promises
        (
            "A (Lt. Moua): He did not have the figure but said he would bring it in June.",
            "Lt. Moua",
        ),
        # a task told as under way, a hyphenated group, a task given to someone
        ("Ron will be contacting the commander about the next meeting.", "Ron"),
        ("The sub-committee will meet again and draft the work plan.", "The sub-committee"),
        ("Ms. Redmond requested the staff liaison to look into it.", "the staff liaison"),
        (
            "Chair Benavides directed Communications Manager Tanya Lyon to thank the volunteers.",
            "Communications Manager Tanya Lyon",
        ),
        # a promise reported with "advised" or "assured"
        ("Commissioner Higbee advised that he would pursue the matter.", "Commissioner Higbee"),
        ("The chief assured members that she would post the policy in May.", "The chief"),
        # arrows and bullets are not part of the owner
        ("Ms. Ford: asks for a talk at the library → Ofc. Dale will do it.", "Ofc. Dale"),
    ],
)
def test_owner_in_harder_sentences(pipe: Language, text: str, owner: str) -> None:
    assert owners(pipe, text) == [owner]


def test_a_pronoun_takes_the_speaker_of_the_line_before(pipe: Language) -> None:
    text = "Capt. Berg: the camera policy is under review.\nWill bring the draft in June.\n"
    assert owners(pipe, text) == ["Capt. Berg"]


def test_telegraphic_items_in_a_next_steps_list(pipe: Language) -> None:
    text = (
        "Next steps:\n"
        "- Liaison to make a flyer in Spanish and Somali.\n"
        "- Chief to report response times at the April meeting.\n"
        "- Members to decide on the forum date in May.\n"
    )
    assert owners(pipe, text) == ["Liaison", "Chief", "Members"]


def test_an_action_label_is_not_part_of_the_owner(pipe: Language) -> None:
    assert owners(pipe, "Action: Sgt. Vang to send the stop data to members.") == ["Sgt. Vang"]


def test_two_commitments_of_two_owners_are_two_items(pipe: Language) -> None:
    text = "Sgt. Boyd will give a scam talk at the senior center; Ms. Lee will arrange the dates."
    assert found(pipe, text) == [
        ("Sgt. Boyd will give a scam talk at the senior center", "Sgt. Boyd", None),
        ("Ms. Lee will arrange the dates.", "Ms. Lee", None),
    ]


def test_a_question_word_in_the_clause_before_does_not_cancel_a_commitment(pipe: Language) -> None:
    text = "Lt. Ruiz will draft a note on what officers can do and the MAC will review it."
    assert owners(pipe, text) == ["Lt. Ruiz", "the MAC"]


def test_one_owner_with_two_tasks_is_one_item(pipe: Language) -> None:
    text = "The liaison will draft the letter and will send it to the council."
    assert found(pipe, text) == [(text, "The liaison", None)]


def test_a_commitment_reported_after_a_question_is_found(pipe: Language) -> None:
    text = (
        "Ms. Omar asked whether the department could post the policy online. "
        "Chief Berg said yes, and that Capt. Lund will post it before March 1."
    )
    result = found(pipe, text)
    assert [(t, o) for t, o, _d in result] == [
        ("Chief Berg said yes, and that Capt. Lund will post it before March 1.", "Capt. Lund")
    ]


@pytest.mark.parametrize(
    ("text", "meeting", "due"),
    [
        (
            "The liaison will send the survey by March 15.",
            dt.date(2025, 3, 2),
            dt.date(2025, 3, 15),
        ),
        ("The liaison will send the survey by March 15, 2026.", None, dt.date(2026, 3, 15)),
        ("Staff will post the notice by Sept. 9.", dt.date(2024, 8, 21), dt.date(2024, 9, 9)),
        ("Staff will post the notice by 3/15.", dt.date(2025, 3, 2), dt.date(2025, 3, 15)),
        ("Staff will post the notice by 3/15/2025.", None, dt.date(2025, 3, 15)),
        ("Staff will post the notice no later than 9-6-23.", None, dt.date(2023, 9, 6)),
        # December minutes, a date in January: next year
        ("Staff will send the report by January 14.", dt.date(2024, 12, 10), dt.date(2025, 1, 14)),
        # "until" says how long, not by when
        ("Staff will keep the form online until March 15.", dt.date(2025, 3, 2), None),
        # no calendar date stated
        ("Staff will send the report before the next meeting.", dt.date(2025, 3, 2), None),
        ("Staff will send the report next month.", dt.date(2025, 3, 2), None),
        ("Staff will send the report by the end of May.", dt.date(2025, 3, 2), None),
        # a day without a year and no meeting date known
        ("Staff will send the report by March 15.", None, None),
    ],
)
def test_due_date_only_when_a_calendar_date_is_stated(
    pipe: Language, text: str, meeting: dt.date | None, due: dt.date | None
) -> None:
    assert found(pipe, text, meeting) == [
        (text, "Staff" if text.startswith("Staff") else "The liaison", due)
    ]


def test_a_day_after_a_month_stays_in_the_action(pipe: Language) -> None:
    text = (
        "Members will finish the survey by December 31. Sgt. Lopez will check the lights. "
        "Kaur will circulate the report by December 8. Abdi moved to approve it."
    )
    result = found(pipe, text, dt.date(2024, 11, 14))
    assert result == [
        ("Members will finish the survey by December 31.", "Members", dt.date(2024, 12, 31)),
        ("Sgt. Lopez will check the lights.", "Sgt. Lopez", None),
        ("Kaur will circulate the report by December 8.", "Kaur", dt.date(2024, 12, 8)),
    ]


def test_the_meeting_date_is_read_from_the_heading(pipe: Language) -> None:
    text = "Minutes – Wednesday, March 2, 2025\n\nThe liaison will send the survey by March 15.\n"
    assert found(pipe, text)[0][2] == dt.date(2025, 3, 15)


@pytest.mark.parametrize(
    ("text", "owner"),
    [
        ("Dr. Blythe DESIGNATED to coordinate with the Woodson Center.", "Dr. Blythe"),
        ("Doug Hunt was going to reach out to the neighborhood association.", "Doug Hunt"),
        ("The chief is constantly working toward a more diverse department.", "The chief"),
        ("Harrington DESIGNATED to consistently access state reports.", "Harrington"),
        # approving the minutes is procedure, amending a policy is not; a person opens something
        ("Chair Lee asked staff to amend the draft policy before the June meeting.", "staff"),
        ("Officers will be opening the new substation in June.", "Officers"),
    ],
)
def test_commitments_told_in_the_past_or_in_capitals(pipe: Language, text: str, owner: str) -> None:
    assert owners(pipe, text) == [owner]


def test_a_dated_shall_is_a_task_and_a_rule_is_not(pipe: Language) -> None:
    for text in (
        "Agenda packet for the forum shall be distributed on October 26.",
        "Agenda packet for the forum shall be distributed on\nOctober 26.",
    ):
        assert [t for t, _owner, _due in found(pipe, text)] == [text]
    assert found(pipe, "A majority of the committee shall constitute a quorum.") == []


def test_putting_off_a_discussion_to_a_date_and_directing_two_people(pipe: Language) -> None:
    text = "After some debate the Board deferred further discussion to the meeting of July 27."
    assert [t for t, _owner, _due in found(pipe, text)] == [text]
    text = "Motion carried, directing the Chair and staff to respond to Mr. Atkins."
    assert owners(pipe, text) == ["the Chair and staff"]


def test_a_trigger_broken_by_a_hard_wrap_still_counts(pipe: Language) -> None:
    assert owners(pipe, "Sgt. Lee is\nworking on a schedule for the forum.") == ["Sgt. Lee"]
    assert owners(pipe, "The chair agreed\nto send the letter.") == ["The chair"]


def test_offsets_are_slices_and_scores_are_between_0_and_1(pipe: Language) -> None:
    text = (
        "NEXT STEPS\n"
        "  • Lt. Okafor will bring stop data to the May meeting.   \n"
        "a) Staff will look for a larger room.\n"
        "(link to be sent by the liaison)\n"
        "Members are encouraged to attend the open house.\n"
    )
    doc = run(pipe, text)
    group = doc.spans["actions"]
    assert [s._.owner for s in group] == ["Lt. Okafor", "Staff", "the liaison"]
    scores = group.attrs["scores"]
    assert len(scores) == len(group)
    for span, score in zip(group, scores, strict=True):
        assert text[span.start_char : span.end_char] == span.text
        assert span.text == span.text.strip() and not span.text.startswith(("•", "a)"))
        assert 0.0 < score <= 1.0


def test_empty_and_odd_texts_give_no_actions(pipe: Language) -> None:
    for text in ("", "   \n", "will will will", "• \n1.\n", "<script>x.will()</script>"):
        assert found(pipe, text) == []


def test_run_on_garbage_gives_nothing_and_stays_linear(pipe: Language) -> None:
    text = "will " * 20000 + "\n" + "to be sent by the liaison " * 2000
    doc = run(pipe, text)
    spans = doc.spans["actions"]
    assert all(text[s.start_char : s.end_char] == s.text for s in spans)
    assert not [s for s in spans if s.text.startswith("will will")]


def test_cues_come_from_a_registered_versioned_function() -> None:
    cues = spacy.registry.misc.get(actions.CUES_VERSION)()
    assert actions.CUES_VERSION == "jcpp.action_cues.v1"
    assert {"future", "progressive", "agree", "asked_to", "tabled"} <= set(cues)


def test_a_person_told_of_as_he_or_she_will_be_doing_a_task(pipe: Language) -> None:
    text = "He said he will be creating a PDF complaint form for residents to use."
    assert [t for t, _o, _d in found(pipe, text)] == [text]
    assert found(pipe, "They will be hosting a dinner for the families.") == []
    assert found(pipe, "He will be retiring next month.") == []
    assert found(pipe, "He will be working nights starting next month.") == []
    assert found(pipe, "She will be moving to Texas in June.") == []


def test_an_item_referred_to_a_later_meeting_is_put_off(pipe: Language) -> None:
    text = "-Matter referred to September meeting for discussion and resolution."
    assert len(found(pipe, text)) == 1
    assert len(found(pipe, "The item was referred to the next meeting.")) == 1
    assert found(pipe, "He referred to last month's meeting, where it was discussed.") == []
    assert found(pipe, "The item was referred to the Public Safety Committee.") == []
    assert found(pipe, "The chief referred to the May shooting on Elm Street.") == []
    assert found(pipe, "Sgt. Diaz referred to the March 3 meeting, where it came up.") == []
    text = "The vote on the work plan was postponed to the last meeting in December."
    assert len(found(pipe, text)) == 1


def test_a_thing_that_will_commence_is_no_task(pipe: Language) -> None:
    assert found(pipe, "Two new academies will commence in November and January.") == []


def test_the_board_is_the_minutes_own_board_when_they_are_a_boards(pipe: Language) -> None:
    text = "Citizen Review Board\nThe Board will need to select a new chair at the next meeting."
    assert owners(pipe, text) == ["The Board"]
    assert found(pipe, "Human Rights Commission\nThe Board will vote on the levy in May.") == []
    text = "Human Rights Commission\nPresent: Chair Ali, Ms. Boardman\nThe Board will vote in May."
    assert found(pipe, text) == []
    text = "Human Rights Commission\n1. School Board update\nThe Board will vote in May."
    assert found(pipe, text) == []
    text = "Citizen Review Board\nThe school board will vote on the levy in May."
    assert found(pipe, text) == []


def test_a_note_opening_with_will_is_a_task_for_someone_unsaid(pipe: Language) -> None:
    text = "Will set agenda with Superintendent, meeting to discuss curriculum."
    assert found(pipe, f"- {text}") == [(text, None, None)]
    assert found(pipe, "Will the chief share the stop data?") == []
    assert found(pipe, "- Will be a long night.") == []
    assert found(pipe, "- Will meet again on the third Wednesday of March.") == []


def test_what_someone_would_need_is_no_task(pipe: Language) -> None:
    text = "Coulter said he agrees with Vanden Berg that they would need some help with this."
    assert found(pipe, text) == []
    assert owners(pipe, "Lt. Moua said he would send the data next week.") == ["Lt. Moua"]


def test_minutes_in_the_present_tense_name_who_will_do_it(pipe: Language) -> None:
    text = "Gary White explains that he will present back to the Commission in May."
    assert owners(pipe, text) == ["Gary White"]


def test_a_request_that_someone_do_a_task_without_to(pipe: Language) -> None:
    text = "Chairman's Order request the Acting Police Chief provide an updated report on radar."
    assert owners(pipe, text) == ["the Acting Police Chief"]
    assert owners(pipe, "Members request that staff send the data.") == ["staff"]
    assert found(pipe, "We request the city council consider a new ordinance.") == []
    assert found(pipe, "The request the Chief made was denied.") == []


def test_efforts_and_negotiations_under_way_are_tasks(pipe: Language) -> None:
    text = "The Sheriff's office is making active efforts to recruit and retain officers."
    assert owners(pipe, text) == ["The Sheriff's office"]
    text = "The City Manager is currently negotiating a contract with the Board's counsel."
    assert owners(pipe, text) == ["The City Manager"]


def test_an_item_tabled_until_something_happens_is_put_off(pipe: Language) -> None:
    text = "The first question was tabled until work on the matrix has been completed."
    assert len(found(pipe, text)) == 1
    assert len(found(pipe, "Further discussion was tabled to allow more time for comments.")) == 1
    assert len(found(pipe, "2017 Crime Stats (tabled)")) == 1
    assert found(pipe, "Coffee with a Cop (postponed)") == []
    assert found(pipe, "Approval of the minutes (tabled)") == []
    assert found(pipe, "The motion to table failed.") == []


def test_postings_tests_names_and_meetings_moved_to(pipe: Language) -> None:
    text = "Sergeant Scott Calderone will be assigned as Sergeant of Detectives, effective March 7."
    assert found(pipe, text) == []
    assert found(pipe, "During the academy, officers will be tested mentally and physically.") == []
    assert found(pipe, "Committee Member Will Franzell") == []
    assert owners(pipe, "Chief Will Jones will send the data.") == ["Chief Will Jones"]
    assert len(found(pipe, "Moved to March 29th, 2017 Meeting")) == 1
    assert found(pipe, "Chair Lee moved to adopt the work plan in May.") == []
    text = "The Committee requested that the staff put together a response to the memo."
    assert owners(pipe, text) == ["the staff"]


def test_what_we_are_to_do_is_a_task_and_time_is_no_one(pipe: Language) -> None:
    text = "We are to set up a meeting with Sergeant Epperly for training."
    assert owners(pipe, text) == ["We"]
    assert found(pipe, "Some think the new plan will work. Time will tell.") == []
    assert found(pipe, "We are to be commended for the turnout.") == []
    assert found(pipe, "As we are to understand it, the policy changed in May.") == []


def test_an_action_register_names_who_does_what(pipe: Language) -> None:
    assert owners(pipe, "Mark to send previous versions to the committee.") == ["Mark"]
    assert owners(pipe, "- Ana Ruiz to call the school about the crossing guard") == ["Ana Ruiz"]
    assert found(pipe, "Call to order 6:32 pm.") == []
    assert found(pipe, "Motion to approve the minutes carried.") == []
    for line in ("Nothing to report.", "Moved to send the letter.", "Items to Discuss"):
        assert found(pipe, f"{line}\n") == []
    assert found(pipe, "Pleased to report that burglaries are down.") == []
