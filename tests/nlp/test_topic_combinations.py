"""Topics described without their terms: words of every list of a combination in one sentence."""

from __future__ import annotations

import pytest

import nlp


@pytest.fixture(scope="module")
def rules() -> nlp.Pipeline:
    return nlp.load(shipped_model=False)


def found(pipeline: nlp.Pipeline, text: str) -> dict[str, set[str]]:
    """Per topic found, what matched."""
    (result,) = nlp.analyse([text], pipeline=pipeline)
    return {t.slug: {e.matched for e in t.evidence} for t in result.topics}


def test_a_group_singled_out_by_the_police_is_bias_policing(rules: nlp.Pipeline) -> None:
    text = "Latino students told him they felt watched and targeted when the SRO was there."
    assert "group singled out" in found(rules, text)["bias-policing"]

    text = "She said Black teenagers are the first ones officers stop when something happens."
    assert "group and police enforcement" in found(rules, text)["bias-policing"]

    text = "Members asked why Somali students make up most of the referrals from the SROs."
    assert "group and police enforcement" in found(rules, text)["bias-policing"]


def test_every_list_is_needed_in_the_same_sentence(rules: nlp.Pipeline) -> None:
    # A group and a stop without the police; the police in the next sentence only.
    text = "Somali elders wait at the bus stop every morning. Officers patrol the area at night."
    assert "bias-policing" not in found(rules, text)
    # The police and a group, but no act of enforcement.
    text = "The chief said six of the officers are Black or Latino."
    assert "bias-policing" not in found(rules, text)


def test_explaining_a_law_is_community_education_unless_it_is_a_policy_change(
    rules: nlp.Pipeline,
) -> None:
    text = "Lt. Okafor explained the Good Samaritan law for people who call about an overdose."
    assert "law explained" in found(rules, text)["community-education"]

    text = "The chief explained that the department is rewriting its policy to follow the new law."
    assert "community-education" not in found(rules, text)


def test_the_body_s_membership_and_how_it_meets_are_committee_business(
    rules: nlp.Pipeline,
) -> None:
    text = "Two vacancies remain on the commission; applicants should write to the liaison."
    assert "membership of the body" in found(rules, text)["committee-business"]

    text = "Members agreed to rotate the meeting between the library and the community center."
    assert "how the body meets" in found(rules, text)["committee-business"]
    # Another body's meeting, or a date for a report, is not how this body meets.
    text = "The chief will bring the stop numbers to the October meeting."
    assert "committee-business" not in found(rules, text)


def test_procedure_sentences_get_no_combination(rules: nlp.Pipeline) -> None:
    text = "Roll call: members present; two vacancies on the commission were noted."
    assert "committee-business" not in found(rules, text)


def test_police_community_relations_are_community_trust(rules: nlp.Pipeline) -> None:
    text = "Residents said the relationship between the police and the neighborhood has improved."
    assert "community-trust" in found(rules, text)


def test_a_relationship_built_or_harmed_is_community_trust(rules: nlp.Pipeline) -> None:
    text = "She said the commission should make rebuilding that relationship its first goal."
    assert "relationship built or harmed" in found(rules, text)["community-trust"]
    # Improving something else is not.
    text = "Members want to improve the sound in the meeting room before the spring."
    assert "community-trust" not in found(rules, text)


def test_vehicles_driven_badly_are_traffic_safety_but_crimes_against_them_are_not(
    rules: nlp.Pipeline,
) -> None:
    text = "Neighbours say drivers speed through the curve by the school every morning."
    assert "vehicles driven badly" in found(rules, text)["traffic-safety"]
    text = "Car thefts keep rising, and one stolen vehicle was seen at high speed on Route 7."
    assert "traffic-safety" not in found(rules, text)
    # "Race" is a group of people, "park" a place: neither is driving.
    text = "He asked how many of the drivers stopped in the park were stopped because of race."
    assert "traffic-safety" not in found(rules, text)


def test_a_spouse_beaten_or_abused_is_domestic_violence(rules: nlp.Pipeline) -> None:
    text = "Q: A woman said her neighbor beats his wife and the wife will not call."
    assert "spouse beaten" in found(rules, text)["domestic-sexual-violence"]
    text = "Women stay with husbands who abuse them because they fear deportation."
    assert "spouse beaten" in found(rules, text)["domestic-sexual-violence"]
    # Violence words in other senses, or violence but not at home.
    for text in (
        "The department will work with partner agencies on substance abuse treatment.",
        "Her husband was hit by a bus, and it hurt the family's finances.",
        "A resident said her husband was beaten during a robbery.",
    ):
        assert "domestic-sexual-violence" not in found(rules, text), text


def test_explaining_how_something_works_is_community_education(rules: nlp.Pipeline) -> None:
    text = "She asked the department to explain to the elders how the new 988 crisis line works."
    assert "how something works explained" in found(rules, text)["community-education"]
    text = "Officer Reyes explained that sparklers are allowed but aerial fireworks are not."
    assert "law explained" in found(rules, text)["community-education"]
