"""Topic matching and its disambiguation, following shared/design/labels.md."""

from __future__ import annotations

import pytest

import nlp
from nlp import taxonomy
from nlp.components import words

DOMAIN_SLUGS = words(
    """traffic-safety traffic-stops youth mental-health use-of-force body-cameras
surveillance-tech complaints-oversight bias-policing hate-bias-incidents immigration
language-access recruitment-staffing training community-education community-events crime-trends
gun-violence domestic-sexual-violence human-trafficking drugs-alcohol housing-homelessness
protests-public-order committee-business policy-reform community-trust"""
)


@pytest.fixture(scope="module")
def pipeline() -> nlp.Pipeline:
    return nlp.load()


def topics(pipeline: nlp.Pipeline, text: str) -> set[str]:
    (result,) = nlp.analyse([text], pipeline=pipeline)
    return {t.slug for t in result.topics}


def test_the_default_list_has_exactly_the_slugs_of_the_domain_document() -> None:
    listed = taxonomy.default_topics()
    assert [t.slug for t in listed] == DOMAIN_SLUGS
    for topic in listed:
        assert topic.name and topic.description
        assert len(topic.terms) >= 10


def test_abbreviations_and_plurals_match(pipeline: nlp.Pipeline) -> None:
    assert "surveillance-tech" in topics(pipeline, "The council will vote on ALPRs in June.")
    assert "youth" in topics(pipeline, "The SRO spoke about the new school year.")
    assert "body-cameras" in topics(pipeline, "Questions about Body-Worn Cameras.")
    assert "community-events" in topics(pipeline, "NNO is on August 6 at every park.")
    assert "surveillance-tech" in topics(pipeline, "Discussion of licence plate readers")


def test_a_term_inside_the_name_of_an_event_body_or_room_does_not_count(
    pipeline: nlp.Pipeline,
) -> None:
    found = topics(pipeline, "Members are invited to the Safety Fair Golf Outing on June 3.")
    assert "traffic-safety" not in found
    assert "community-events" in found
    assert topics(pipeline, "Traffic Safety Committee Chair Jones sent her regrets.") == set()
    assert topics(pipeline, "The meeting was held in the Training Room at City Hall.") == set()
    assert topics(pipeline, "Human Rights Commission Chair Lee joined the meeting.") == set()


def test_procedure_carries_no_topic(pipeline: nlp.Pipeline) -> None:
    text = (
        "1. Roll call\nMembers present: Farah, Lindgren, the Youth Services Sergeant.\n"
        "2. Approval of the agenda and of the minutes of the crime forum\n"
        "Motion to approve the minutes of the March meeting on traffic; carried.\n"
        "3. Adjournment\nThe meeting adjourned at 8:02 p.m.\n"
    )
    assert topics(pipeline, text) == set()


def test_bare_labels_carry_no_topic(pipeline: nlp.Pipeline) -> None:
    assert topics(pipeline, "5. Updates\n6. Chief's report\n7. Old business\n") == set()


def test_the_bodys_own_business_is_committee_business(pipeline: nlp.Pipeline) -> None:
    text = "The committee discussed changes to its bylaws and the 2025 work plan."
    assert topics(pipeline, text) == {"committee-business"}


def test_training_is_police_training_and_members_training_is_committee_business(
    pipeline: nlp.Pipeline,
) -> None:
    officers = "All patrol officers completed 16 hours of de-escalation training this spring."
    members = "Committee members attended a training on the open meeting law."
    assert "training" in topics(pipeline, officers)
    found = topics(pipeline, members)
    assert "training" not in found
    assert "committee-business" in found


def test_one_word_in_passing_is_not_a_topic(pipeline: nlp.Pipeline) -> None:
    text = "Ms. Lee said she lives in the apartments on 66th and asked about the March meeting."
    assert topics(pipeline, text) == set()


def test_evidence_is_sorted_best_first_and_records_what_matched(pipeline: nlp.Pipeline) -> None:
    text = (
        "4. Body cameras\n"
        "The chief said footage is kept for a year.\n"
        "Members asked when BWC video is released to families.\n"
    )
    (result,) = nlp.analyse([text], pipeline=pipeline)
    (topic,) = [t for t in result.topics if t.slug == "body-cameras"]
    scores = [m.score for m in topic.evidence]
    assert scores == sorted(scores, reverse=True)
    assert {m.matched for m in topic.evidence} >= {"body camera", "BWC"}
    for mention in topic.evidence:
        assert text[mention.start : mention.end] == mention.text
        assert text[mention.sentence.start : mention.sentence.end] == mention.sentence.text
        assert mention.start >= mention.sentence.start and mention.end <= mention.sentence.end
    assert 0 < topic.score <= 1


def test_a_term_strength_makes_a_weak_word_count_only_with_others() -> None:
    listed = [nlp.TopicDefinition(slug="bikes", name="Bikes", terms=("bike|0.3", "bicycle theft"))]
    pipeline = nlp.load(listed)
    assert topics(pipeline, "She rode her bike to the meeting.") == set()
    assert topics(pipeline, "Bicycle theft is up; three bikes were taken.") == {"bikes"}


def test_exclusions_veto_a_term_used_in_another_sense() -> None:
    listed = [
        nlp.TopicDefinition(
            slug="immigration", name="Immigration", terms=("ICE",), exclusions=("ice cream",)
        )
    ]
    pipeline = nlp.load(listed)
    assert topics(pipeline, "An ice cream social is planned.") == set()
    assert topics(pipeline, "Residents fear ICE agents at the school.") == {"immigration"}


def test_training_at_roll_call_is_not_the_roll_call_of_the_meeting(pipeline: nlp.Pipeline) -> None:
    text = "Lt. Wolfe said officers will get an hour of training on the new policy at roll call."
    assert "training" in topics(pipeline, text)
    roll_call = "II. ROLL CALL\nPresent: officers Lee and Diaz, trainee Ruiz.\n"
    assert topics(pipeline, roll_call) == set()


def test_a_residents_police_academy_is_community_education_not_training(
    pipeline: nlp.Pipeline,
) -> None:
    text = "The spring session of the resident police academy starts April 4 and runs six weeks."
    found = topics(pipeline, text)
    assert "community-education" in found
    assert "training" not in found


def test_a_season_named_after_an_event_is_not_an_event(pipeline: nlp.Pipeline) -> None:
    assert "community-events" not in topics(
        pipeline, "Lt. Porter spoke about the back-to-school season."
    )
    assert "community-events" in topics(
        pipeline, "Officers will hand out supplies at the back-to-school event in the park."
    )


def test_a_gun_pointed_at_someone_is_use_of_force(pipeline: nlp.Pipeline) -> None:
    text = "A resident said an officer pointed a gun at her son during a call to the wrong address."
    assert "use-of-force" in topics(pipeline, text)


def test_where_the_meeting_was_and_who_ran_it_carry_no_topic(pipeline: nlp.Pipeline) -> None:
    text = (
        "Location: Fairhaven Youth Center, 2nd floor\n"
        "Facilitator: Comfort Adebayo-Lane (MAC Vice Chair)\n"
        "Called by the Chair under Section 3.4 of the bylaws.\n"
    )
    assert topics(pipeline, text) == set()
    assert "youth" not in topics(
        pipeline, "Members toured the new Eastside Teen Center before the meeting."
    )
    assert "youth" in topics(pipeline, "The teen center will stay open until 10 in the summer.")
    # The place's name joined by "&", or first in its line.
    assert topics(pipeline, "Community Room, Ashbury Falls Youth & Family Center") == set()
    assert topics(pipeline, "Larkfield Youth Center, Room B, 2200 Quarry Road") == set()
    assert "youth" in topics(pipeline, "The Youth Center will close for the summer.")
    # Not a place's name: a heading joined by "and", a sentence that goes on.
    assert "traffic-safety" in topics(pipeline, "Update on Traffic Safety and Park patrols.")
    assert "youth" in topics(pipeline, "Discussed Youth Center funding with the city manager.")


def test_a_term_inside_the_name_of_a_day_names_an_event(pipeline: nlp.Pipeline) -> None:
    found = topics(pipeline, "The New Americans Day picnic will be held June 14 at the park.")
    assert found == {"community-events"}
    assert "community-events" in topics(pipeline, "Members will staff a table on Juneteenth Day.")
    found = topics(pipeline, "The Labor Day Traffic Safety Blitz resulted in 40 citations.")
    assert "traffic-safety" in found
    assert "gun-violence" in topics(pipeline, "Officers marked Gun Violence Awareness Day.")


def test_a_title_naming_the_meeting_itself_carries_no_topic(pipeline: nlp.Pipeline) -> None:
    title = "Northgate Multicultural Advisory Committee\nCommunity Listening Session – Minutes\n"
    body = "Thursday, May 15, 2025\n\nMembers reviewed the bylaws.\n"
    assert "community-events" not in topics(pipeline, title + body)
    assert "community-events" not in topics(pipeline, "\n\n" + title + body)
    # What else the title names was discussed at the meeting.
    found = topics(pipeline, "Town Hall Meeting: Homelessness and Housing\n" + body)
    assert "housing-homelessness" in found
    assert "community-events" not in found
    assert "gun-violence" in topics(pipeline, "Special Meeting on Gun Violence\n" + body)
    # The same words as an item of the meeting are something discussed at it, also when the
    # agenda follows the title at once.
    item = "3. Community Listening Session\nMembers chose a date for the listening session.\n"
    assert "community-events" in topics(pipeline, title + body + item)
    agenda = "1. Call to order\n2. Youth listening session\n"
    assert "community-events" in topics(pipeline, "Police Advisory Board\nMinutes\n" + agenda)


def test_what_did_not_happen_counts_less(pipeline: nlp.Pipeline) -> None:
    assert "gun-violence" not in topics(pipeline, "There was no shooting in October.")
    assert "gun-violence" in topics(pipeline, "There was a shooting in October.")


def test_a_term_broken_by_a_hard_wrap_still_matches(pipeline: nlp.Pipeline) -> None:
    # Minutes pasted from a PDF keep its line ends, wherever they fall.
    text = "Lt. Garland introduced the department's work on demographic stop\ndata since June."
    assert "traffic-stops" in topics(pipeline, text)
    text = "Members asked when the body-worn\ncameras will be in every squad car."
    assert "body-cameras" in topics(pipeline, text)
    # The end of a sentence or line item still separates two words.
    text = "Chief Moore: speeders will not stop\nData requests are due in May."
    assert "traffic-stops" not in topics(pipeline, text)


def test_titles_seats_and_roll_calls_name_no_topic(pipeline: nlp.Pipeline) -> None:
    text = "Brad Kallio, Community Relations/Crime Prevention Officer, addressed the commission."
    assert topics(pipeline, text) == set()
    text = "Answering Roll Call: Chair Epstein, Commissioner Felton; Student Commissioner Ali"
    assert topics(pipeline, text) == set()
    assert "youth" not in topics(
        pipeline, "Student commissioners Ali and Borah introduced themselves."
    )
    text = "City of Peoria Advisory Committee on Police Community Relations met July 9."
    assert topics(pipeline, text) == set()
    rules = nlp.load(shipped_model=False)  # the rule alone (the classifier reads sentences)
    assert topics(rules, "The Use of Force Workgroup has met twice since May.") == set()
    assert topics(rules, "- next mtg Tue 3/4 – Community Trust Bank community room") == set()
    text = "Sgt. Grass will put the dates in the Crime Prevention newsletter."
    assert "community-education" not in topics(pipeline, text)
    # The words outside a title still count.
    text = "Officer Kallio talked about crime prevention tips and community relations."
    assert {"community-education", "community-trust"} <= topics(pipeline, text)


def test_bias_events_and_bridge_building_are_their_topics(pipeline: nlp.Pipeline) -> None:
    text = "Lt. Conboy briefed the commission on bias events in the last quarter."
    assert "hate-bias-incidents" in topics(pipeline, text)
    text = "Members talked about bridge building between officers and the Somali community."
    assert "community-trust" in topics(pipeline, text)


def test_words_of_real_minutes(pipeline: nlp.Pipeline) -> None:
    text = "A resident said homes on Patch Road are being burgled one after the other."
    assert "crime-trends" in topics(pipeline, text)
    text = "Commissioners discussed the role of the commission and how it reports to council."
    assert "committee-business" in topics(pipeline, text)
    text = "A member would like the board involved in drafting a Welcoming City ordinance."
    assert "immigration" in topics(pipeline, text)
    assert "hate-bias-incidents" in topics(pipeline, "b. Biased Motivated Crimes – 1\n")
    text = "A member suggested the city divest from policing and reinvest in services."
    assert "policy-reform" in topics(pipeline, text)
    text = "The council voted to reinvest the parking revenue in sidewalk repairs."
    assert "policy-reform" not in topics(pipeline, text)
    text = "Sgt. Li gave a presentation to the Commission on Body Cameras."
    assert "body-cameras" in topics(pipeline, text)
    # A product shown, and a small edit, are not a protest or a young person.
    text = "Lt. Parker gave a body-worn camera demonstration for commissioners."
    assert "protests-public-order" not in topics(pipeline, text)
    text = "Ideas: a mock demonstration using squad video; a video demonstration at City Hall."
    assert "protests-public-order" not in topics(pipeline, text)
    text = "The memo to council was approved with minor grammatical corrections."
    assert "youth" not in topics(pipeline, text)


def test_more_words_of_real_minutes(pipeline: nlp.Pipeline) -> None:
    text = "BPD is planning a community training event on fair and impartial policing in May."
    found = topics(pipeline, text)
    assert {"bias-policing", "community-education"} <= found
    assert not {"training", "committee-business"} & found
    text = "Welcoming Week is scheduled for September; members will table at the library."
    assert "community-events" in topics(pipeline, text)
    text = "The complainant was offered a meeting with the lieutenant."
    assert "complaints-oversight" in topics(pipeline, text)
    text = "Two problems: not enough personnel to answer calls, and long waits."
    assert "recruitment-staffing" in topics(pipeline, text)
    assert "hate-bias-incidents" in topics(pipeline, "Community Presentations on Hate Symbols")
    text = "Commission looking to continue education on the Confederate flag."
    assert "hate-bias-incidents" in topics(pipeline, text)
    assert "drugs-alcohol" in topics(pipeline, "-Mo states Detox center now open.")
    text = "He stated that e-bikes/scooters are a more recent concern raised."
    assert "traffic-safety" in topics(pipeline, text)
    text = "Lt. Ward said the apartments had a large number of service calls last year."
    assert "crime-trends" in topics(pipeline, text)
    text = "Members want residents' grievances about officers heard by community peers."
    assert "complaints-oversight" in topics(pipeline, text)


def test_words_of_a_third_set_of_real_minutes(pipeline: nlp.Pipeline) -> None:
    text = "Chairperson election: Mr. Daly nominated Mr. McCarty to be re-elected."
    assert "committee-business" in topics(pipeline, text)
    text = "Asked about the racial make-up of the department, he said it is not diverse enough."
    assert "recruitment-staffing" in topics(pipeline, text)
    text = "He said the department does not yet reflect the community it serves."
    assert "recruitment-staffing" in topics(pipeline, text)
    text = "Lt. Ward presented the racial make-up of drivers stopped by officers last year."
    assert "recruitment-staffing" not in topics(pipeline, text)
    text = "He talked about reviewing citizens' complaints more often."
    assert "complaints-oversight" in topics(pipeline, text)
    text = "Chair Magady said the new student membership ordinance is in effect."
    assert "youth" not in topics(pipeline, text)
    # a body's name with "in" in it names no topic
    text = "Meeting Minutes\nRacial Equity in Policing Commission\nCall to order at 6 p.m."
    assert "bias-policing" not in topics(pipeline, text)


def test_graffiti_is_a_bias_incident_only_when_the_minutes_say_so(pipeline: nlp.Pipeline) -> None:
    assert "hate-bias-incidents" in topics(pipeline, "Anti-Semitic graffiti was found downtown.")
    text = (
        "GRAFFITI AND RESTITUTION\nStaff gave an update on the graffiti problem in the City.\n"
        "Money was found for a campaign against graffiti.\n"
    )
    assert "hate-bias-incidents" not in topics(pipeline, text)
    text = "Imam Hashi reported graffiti with anti-Muslim slurs on the mosque wall."
    assert "hate-bias-incidents" in topics(pipeline, text)


def test_a_youth_commissioner_is_a_seat(pipeline: nlp.Pipeline) -> None:
    text = "a. Introduction of Youth Commissioner Valena Greene – Alissia Young, Chair"
    assert "youth" not in topics(pipeline, text)


def test_a_school_or_a_student_in_passing_is_not_youth(pipeline: nlp.Pipeline) -> None:
    text = "Member Freeman asked whether cadets are recruited at the high school."
    assert topics(pipeline, text) == {"recruitment-staffing"}
    text = "MLK Day community breakfast, January 20, 8 AM, Glendower High School cafeteria."
    assert "youth" not in topics(pipeline, text)
    text = "The SRO at the high school said students are vaping in the bathrooms."
    assert "youth" in topics(pipeline, text)


def test_staffing_for_an_event_and_names_of_partnerships_are_no_topic(
    pipeline: nlp.Pipeline,
) -> None:
    text = "Lt. Dumont described plans for the verdict, including extra staffing downtown."
    assert "recruitment-staffing" not in topics(pipeline, text)
    assert "recruitment-staffing" in topics(
        pipeline, "Lt. Dumont said staffing is down 12 officers."
    )
    text = "Hal Brekke, who also chairs the county's Traffic Safety Partnership, was welcomed back."
    assert "traffic-safety" not in topics(pipeline, text)
    text = "Millbrook Housing Authority, Community Room\n6:30 p.m."
    assert "housing-homelessness" not in topics(pipeline, text)
    text = "Parents at Grandview now walk their children to the school bus."
    assert "traffic-safety" not in topics(pipeline, text)


def test_a_draft_policy_on_one_subject_is_that_subject(pipeline: nlp.Pipeline) -> None:
    text = "Cmdr. Haskins said the draft policy bans facial recognition on the drones."
    assert topics(pipeline, text) == {"surveillance-tech"}
    text = "The chief presented the department's policy review under 21st Century Policing."
    assert "policy-reform" in topics(pipeline, text)


def test_what_someone_brings_to_the_next_meeting_is_no_procedure(pipeline: nlp.Pipeline) -> None:
    text = "Chair Diaz spoke about being prepared to do Taser reviews at the next meeting."
    assert "use-of-force" in topics(pipeline, text)
    assert "traffic-stops" in topics(pipeline, "Lt. Moua will bring stop data to the next meeting.")
    text = "The next meeting will be on June 5; traffic safety will be discussed."
    assert topics(pipeline, text) == set()


def test_a_capitalised_line_with_presented_lists_no_attendance(pipeline: nlp.Pipeline) -> None:
    # Many capitalised words and a form of "present" once made a sentence a list of who came.
    text = "Committee Updates Governance Committee Said that Bylaws would be presented on June 9."
    assert "committee-business" in topics(pipeline, text)
    text = "Present: Chair Ali, Vice Chair Moua, Commissioners Lee, Ruiz, Tran; Staff: Sgt. Boyd."
    assert topics(pipeline, text) == set()


def test_a_title_before_common_words_is_no_person_and_hides_no_topic(
    pipeline: nlp.Pipeline,
) -> None:
    text = "4. Officer Involved Shooting Update\nChief Harcey reviewed the investigation.\n"
    (result,) = nlp.analyse([text], pipeline=pipeline)
    assert "use-of-force" in {t.slug for t in result.topics}
    assert [p.text for p in result.people] == ["Chief Harcey"]
    assert "body-cameras" in topics(pipeline, "3. Police Officer Body Cameras\nFootage rules.\n")


def test_young_people_named_in_passing_are_not_the_youth_topic(pipeline: nlp.Pipeline) -> None:
    text = "Ms. Lee said young people in her church were ordered out of a store by officers."
    assert "youth" not in topics(pipeline, text)
    text = "Ms. Farah asked what programs exist for youth in the Cedar apartments."
    assert "youth" in topics(pipeline, text)
    text = "Mr. Vu said two young men from his church died of overdoses this spring."
    assert "youth" not in topics(pipeline, text)
    assert "youth" in topics(pipeline, "4. Youth programs\nThe SRO reported on the summer camp.\n")
    assert "youth" not in topics(pipeline, "Present: Angelina Pinkney, Student Rep; Chair Ali.")


def test_appeals_and_findings_make_complaints_oversight(pipeline: nlp.Pipeline) -> None:
    text = "a. Status of Complaints and Appeals\nMs. Mitten said the numbers are unchanged.\n"
    assert "complaints-oversight" in topics(pipeline, text)
    text = "The new bus route drew complaints, which went to the transit office."
    assert "complaints-oversight" not in topics(pipeline, text)


def test_what_real_minutes_say_of_cameras_festivals_and_the_body_itself(
    pipeline: nlp.Pipeline,
) -> None:
    text = "-Penny Summerfest was successful, plan for next year."
    assert "community-events" in topics(pipeline, text)
    text = "Amy Hoeven moved to elect Shamera Loose to Chairperson; the motion carried."
    assert "committee-business" in topics(pipeline, text)
    text = "Ms. Adams gave an update on the member recruitment event for the application period."
    assert topics(pipeline, text) == {"committee-business"}
    # The name of an oversight panel is no topic; reciting a mission statement, or the line
    # saying when and where the body met, is procedure.
    assert topics(pipeline, "Boulder Police Oversight Panel\nRegular meeting\n") == set()
    assert "training" not in topics(pipeline, "The kids might be sent to the training school.")
    assert topics(pipeline, "3. Commissioner Carriazo recited the Mission Statement.") == set()
    text = (
        "The Citizen Police Advisory Review Board met on Tuesday, December 15, 2009, at 5:30 p.m.,"
        " in the Basement of the Main Library."
    )
    assert topics(pipeline, text) == set()


def test_an_excused_absence_or_the_date_the_body_met_is_no_business(pipeline: nlp.Pipeline) -> None:
    assert topics(pipeline, "Mr. Kenner had an excused absence.") == set()
    text = (
        "A meeting of the Board of Police Commissioners was held on Tuesday, June 28, 2022, in"
        " the Community Room at Police Headquarters."
    )
    assert topics(pipeline, text) == set()
    # a meeting still to come (no year) is what it is about, not procedure
    text = "The body camera workgroup will meet on Monday to review the footage release policy."
    assert topics(pipeline, text) == {"body-cameras"}
    text = "The department will hold a community meeting on the shootings on Tuesday at City Hall."
    assert {"gun-violence", "community-events"} <= topics(pipeline, text)
    text = "Officers are trained to recite the Miranda warning to juveniles in plain words."
    assert {"training", "youth"} <= topics(pipeline, text)
    text = "Members discussed the bylaws: three unexcused absences would end a term."
    assert "committee-business" in topics(pipeline, text)
    text = "The town hall on policing will be held on Thursday at the library."
    assert "community-events" in topics(pipeline, text)


def test_officer_candidates_and_a_meeting_held_thursday(pipeline: nlp.Pipeline) -> None:
    text = "Chief Carlson said the department is interviewing police officer candidates."
    assert "recruitment-staffing" in topics(pipeline, text)
    assert "recruitment-staffing" in topics(pipeline, "There is 1 opening for a lateral candidate.")
    text = (
        "The meeting of the Community Relations Commission was held Thursday, December 5, 2002"
        " in the second floor conference room."
    )
    assert topics(pipeline, text) == set()


def test_what_larger_cities_minutes_say_of_staffing_camping_and_interactions(
    pipeline: nlp.Pipeline,
) -> None:
    text = "Members named police understaffing and turnover as their common challenge."
    assert "recruitment-staffing" in topics(pipeline, text)
    text = "She said she is applying to become a police officer in the spring."
    assert "recruitment-staffing" in topics(pipeline, text)
    text = "The council asked for strategies on illegal camping other than citations."
    assert "housing-homelessness" in topics(pipeline, text)
    text = "4. Annual survey on police community interactions"
    assert "community-trust" in topics(pipeline, text)


def test_one_kind_of_crime_in_a_list_of_crimes_is_a_crime_report(pipeline: nlp.Pipeline) -> None:
    text = "There were 21 homicides and 35 shootings, also increases in rapes and burglaries."
    assert "domestic-sexual-violence" not in topics(pipeline, text)
    text = "The bureau covers drugs, prostitution, gambling and automobile theft."
    assert "human-trafficking" not in topics(pipeline, text)
    text = "Advocates said rapes on campus go unreported and asked for a victim advocate."
    assert "domestic-sexual-violence" in topics(pipeline, text)


def test_what_county_and_southern_minutes_say(pipeline: nlp.Pipeline) -> None:
    assert topics(pipeline, "Crisis Prevention & Preparedness Sub-Committee\n") == set()
    text = (
        "The Tequesta Public Safety Committee held a regularly scheduled meeting at the Village"
        " Hall, 357 Tequesta Drive, on Monday, September 9, 1996."
    )
    assert topics(pipeline, text) == set()
    assert "gun-violence" in topics(pipeline, "5. GROUP VIOLENCE INTERVENTION (GVI) UPDATE\n")
    # a dash between spaces joins no name: the item is about body cameras
    text = "4. Body Cameras - Police Department\nThe footage policy was reviewed.\n"
    assert "body-cameras" in topics(pipeline, text)


def test_what_chiefs_reports_and_human_rights_minutes_say(pipeline: nlp.Pipeline) -> None:
    assert topics(pipeline, "6. PUBLIC COMMENT -Agenda Items\n") == set()
    text = "Officers are licensed by the MN Board of Peace Officers Standards and Training."
    assert "training" not in topics(pipeline, text)
    text = "The meeting was convened at 7:45 P.M. by Alderman Romain at the Civic Center, room 4."
    assert topics(pipeline, text) == set()
    text = "Crimes with enhanced sentences when motivated by bias include assault, stalking, fraud."
    assert "domestic-sexual-violence" not in topics(pipeline, text)
    assert "community-events" in topics(pipeline, "Penn Fest: a chance to meet the public.")
    text = "Deputy Chief Wolf reported that police officer recruiting will begin in June."
    assert "recruitment-staffing" in topics(pipeline, text)


def test_directives_and_the_bodys_own_role(pipeline: nlp.Pipeline) -> None:
    text = "New PPB Directives: two new directives were issued since the last meeting."
    assert "policy-reform" in topics(pipeline, text)
    text = "HRC members will monitor the Sheriff's department policy implementation."
    assert "policy-reform" in topics(pipeline, text)
    text = "Members discussed the role of the commission after the new ordinance passed."
    assert "committee-business" in topics(pipeline, text)
    assert "policy-reform" not in topics(pipeline, "The director thanked the volunteers.")


def test_what_real_minutes_call_events_education_crime_and_traffic(pipeline: nlp.Pipeline) -> None:
    assert "community-events" in topics(pipeline, "4. Honoring National Police Week\n")
    text = "The chief presented the department's semi-annual crime report."
    assert "crime-trends" in topics(pipeline, text)
    text = "It is essential to better educate the public on the department's work."
    assert "community-education" in topics(pipeline, text)
    text = "Residents on Elm Street will continue the speed watch for a few more weeks."
    assert "traffic-safety" in topics(pipeline, text)


def test_what_neighbourhood_meetings_with_police_say(pipeline: nlp.Pipeline) -> None:
    text = "Chief Brackney noted the unfilled vacancy on the Board."
    assert topics(pipeline, text) == {"committee-business"}
    text = "The department has 14 sworn vacancies and a hiring freeze."
    assert "recruitment-staffing" in topics(pipeline, text)
    text = "Planning for the Night Out Against Crime takes place Thursday at St. Luke's."
    assert "community-events" in topics(pipeline, text)
    assert "drugs-alcohol" in topics(pipeline, "Several incidents were drug related.")
    assert "traffic-stops" in topics(pipeline, "Residents asked about ticket quotas.")
    text = "Commissioner Diaz asked whether the city met its diversity quota for new recruits."
    assert "traffic-stops" not in topics(pipeline, text)
    text = "Members discussed the relationship between police officers and civilians."
    assert "community-trust" in topics(pipeline, text)
    text = "She handed out a chart of larcenies with statistics for the fall."
    assert "crime-trends" in topics(pipeline, text)
    text = "Use of the two mobile speed display units went up this month."
    assert "traffic-safety" in topics(pipeline, text)


def test_what_minnesota_and_midwest_boards_say(pipeline: nlp.Pipeline) -> None:
    text = "o Table tents at the high school to promote TZD initiatives.\n"
    assert topics(pipeline, text) == {"traffic-safety"}
    text = "The county joined Toward Zero Deaths this spring."
    assert "traffic-safety" in topics(pipeline, text)
    assert "protests-public-order" not in topics(pipeline, "• Reform Pre-Trial Release Programs\n")
    text = "POLICE COMMISSIONERS PUBLIC FORUM\nMay 16, 2017\nSpeakers asked for more patrols."
    assert "community-events" not in topics(pipeline, text)
    text = "Speakers said the new chief should increase the number of minority officers."
    assert "recruitment-staffing" in topics(pipeline, text)
    text = "Police Accountability Forum\nJune 2, 2024\nMembers discussed the new policy."
    assert topics(pipeline, text) == {"policy-reform"}
    text = "The board supports state legislation on qualified immunity."
    assert "policy-reform" in topics(pipeline, text)
    text = "Panelists called on the city to demilitarize the police."
    assert "use-of-force" in topics(pipeline, text)
    text = "Property tax legislation: the city asked all departments to cut their budgets."
    assert "policy-reform" not in topics(pipeline, text)
    text = "DUI checkpoints are periodically being set up downtown."
    assert topics(pipeline, text) == {"traffic-safety"}
