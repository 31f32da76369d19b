"""Realistic, varied meeting minutes for the demo data of jcpp.

``write_minutes`` turns a seeded :class:`random.Random` and a meeting's facts (city, committee,
date, roster, attendance) into the plain text of its minutes, in one of several real-world
*shapes*: numbered agenda, Roman numerals, mixed bullets, a Q&A block, speaker-attributed lines,
text pasted from a PDF, or Markdown.  The same rng state always yields the same text.

The substance comes from ``DISCUSSION_ITEMS``, a pool of discussion items that covers every
topic of the county's default topic list.  Each item has several opening sentences, details,
concerns (clauses that follow "Residents say ..."), follow-ups (verb phrases that follow
"... will") and a question with its answer.  Templates use ``{placeholders}`` listed in
``PLACEHOLDERS``.  All prose is original and invented; names, streets and phone numbers are
fictional (phone numbers use the reserved 555-01xx range).
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
import zlib
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class RosterEntry:
    """A person on a committee's roster."""

    name: str  # e.g. "Amina Farah"
    role: str  # "chair" | "member" | "police" | "liaison"
    title: str | None  # for police: "Chief", "Lt.", "Sgt.", "Officer", "Commander"; else None


@dataclass(frozen=True)
class DiscussionItem:
    """One substantive item of the pool.

    ``openings`` are complete first sentences; ``details`` are neutral follow-on sentences;
    ``concerns`` are clauses that read after "Residents say ..."; ``actions`` pair an owner kind
    ("police", "chief", "liaison", "chair", "members") with a verb phrase that reads after
    "... will"; ``qa`` pairs a question with its answer.
    """

    topic: str
    subject: str
    openings: tuple[str, ...]
    details: tuple[str, ...]
    concerns: tuple[str, ...]
    actions: tuple[tuple[str, str], ...]
    qa: tuple[tuple[str, str], ...]


SHAPES: tuple[str, ...] = (
    "numbered",
    "roman",
    "bullets",
    "qa",
    "speakers",
    "pdf_flat",
    "markdown",
)

MIN_WORDS = 320
MAX_WORDS = 1450

PLACEHOLDERS: tuple[str, ...] = (
    "city", "street", "school", "park", "business", "venue", "address", "phone", "n", "nn",
    "pct", "speed", "stops", "calls", "trustpct", "month", "next_month", "date", "past_date",
    "chief",
)  # fmt: skip

# --------------------------------------------------------------------------------------------
# Discussion items: the substance of the minutes, at least two per topic of the default list.
# --------------------------------------------------------------------------------------------

_TRAFFIC: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "traffic-safety",
        "speeding near schools",
        (
            (
                "Officers ran {n} speed details in the school zone at {school} during {month}, "
                "writing {nn} citations."
            ),
            (
                "Speed complaints near {school} remain the most common traffic call the department "
                "gets from parents."
            ),
            (
                "The school zone on {street} was reviewed after the crossing guard reported "
                "several near misses at drop-off."
            ),
        ),
        (
            "Most drivers stopped were parents of students at the school, not through traffic.",
            "Public Works measured average speeds of {speed} mph in a 30 mph zone on {street}.",
        ),
        (
            "cars race past {school} at pickup time and children cross mid-block",
            "drivers ignore the flashing school zone lights on {street}",
        ),
        (
            ("police", "schedule more speed enforcement at {school} during arrival and dismissal"),
            ("liaison", "ask Public Works about a second crossing guard on {street}"),
        ),
        (
            (
                "Can the city lower the speed limit near {school}?",
                (
                    "The city engineer sets limits after a study; the department can share its "
                    "speed data to support the request."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "traffic-safety",
        "pedestrian and bicycle safety",
        (
            (
                "There were {n} crashes involving pedestrians on {street} this year, two of them "
                "with serious injuries."
            ),
            (
                "Pedestrian safety on {street} was discussed following a crash near the bus stop "
                "in {month}."
            ),
            (
                "The department summarized bicycle and pedestrian crashes for the year; most "
                "happened after dark at unmarked crossings."
            ),
        ),
        (
            (
                "Officers hand out reflective armbands and bike lights at community events during "
                "the darker months."
            ),
            "The county's redesign of {street} adds median islands at two crossings.",
        ),
        (
            (
                "there is no safe place to cross {street} between the apartments and the grocery "
                "store"
            ),
            "bus riders cross four lanes of traffic on {street} in the dark",
        ),
        (
            ("liaison", "invite the county traffic engineer to present the {street} redesign"),
            ("police", "share the map of crash locations with members before the next meeting"),
        ),
        (
            (
                "Are drivers ticketed for not stopping at crosswalks?",
                (
                    "Yes; the department runs crosswalk details with a plainclothes officer "
                    "crossing, and drivers who fail to stop are cited."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "traffic-safety",
        "impaired driving enforcement",
        (
            (
                "The holiday impaired-driving campaign resulted in {n} DWI arrests in {city} over "
                "{nn} days."
            ),
            "DWI arrests were up this quarter, with several drivers at twice the legal limit.",
            (
                "The statewide Toward Zero Deaths wave ran through {month} with extra patrols on "
                "weekend nights."
            ),
        ),
        (
            (
                "Most impaired-driving arrests happened between midnight and 3 a.m. near the bars "
                "on {street}."
            ),
            "A sober-ride program runs through several restaurants on holidays.",
        ),
        (
            "drivers leaving the bars on {street} speed through the neighborhood late at night",
            "people do not know that driving high on cannabis is still a DWI",
        ),
        (
            ("police", "report the results of the next enforcement wave to the committee"),
            ("members", "share the sober-ride information in their communities"),
        ),
        (
            (
                "What happens to a car after a DWI arrest?",
                (
                    "The vehicle may be towed, and for more serious offenses the plates are "
                    "impounded as well; the officer explains the process at the time of arrest."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "traffic-safety",
        "winter parking and snow emergencies",
        (
            (
                "The snow emergency rules were reviewed: cars left on the street after a declared "
                "emergency are ticketed and may be towed."
            ),
            (
                "The department issued {nn} parking citations during the first snow emergency of "
                "the season."
            ),
            (
                "Parking complaints around the apartment buildings on {street} rise every winter "
                "when the lots are plowed in."
            ),
        ),
        (
            (
                "Snow emergency notices go out by text alert, on the city website and on local "
                "cable."
            ),
            "Towed vehicles go to the impound lot, and owners pay a towing fee plus storage.",
        ),
        (
            "many new residents did not know the snow emergency rules and had their cars towed",
            "tow fees are a heavy burden for families who already struggle with rent",
        ),
        (
            ("liaison", "get the snow emergency flyer translated into Somali, Spanish and Hmong"),
            ("police", "ask the city whether a first warning could be given instead of a tow"),
        ),
        (
            (
                "How do residents find out that a snow emergency was declared?",
                (
                    "They can sign up for text and e-mail alerts on the city website or call the "
                    "snow line at {phone}."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "traffic-stops",
        "traffic stop data",
        (
            (
                "The department presented its stop data for {month}: {stops} stops, with race "
                "recorded by officer perception."
            ),
            (
                "Traffic stop data for the last quarter was shared, broken down by reason for the "
                "stop, outcome and perceived race of the driver."
            ),
            (
                "{stops} traffic stops were made in {month}; about half ended with a warning "
                "rather than a citation."
            ),
        ),
        (
            (
                "Black drivers made up a larger share of stops than of the city's population, "
                "though the gap narrowed from last year."
            ),
            "Searches were rare, at about {n} percent of stops, and most followed consent.",
        ),
        (
            "the data does not show how many stops were for equipment violations",
            (
                "stop numbers for Black and Latino drivers are still out of proportion to the "
                "population"
            ),
        ),
        (
            ("police", "bring stop data broken down by reason and outcome to the next meeting"),
            ("police", "post the quarterly stop data on the department's website"),
        ),
        (
            (
                "How does an officer record the race of the driver?",
                (
                    "Officers record their perception of the driver's race after the stop; the "
                    "driver is not asked."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "traffic-stops",
        "equipment and pretext stops",
        (
            (
                "The department's new guidance limits stops for minor equipment violations such as "
                "air fresheners or a single burned-out light."
            ),
            (
                "Members asked about stops for expired tabs and cracked windshields, which many "
                "see as pretext stops."
            ),
            "A policy change ended stops made only for objects hanging from the mirror.",
        ),
        (
            (
                "Officers can hand out repair vouchers for broken lights instead of writing a "
                "ticket."
            ),
            "Stops for expired registration dropped by half after the guidance took effect.",
        ),
        (
            (
                "young men of color in {city} are stopped again and again for small equipment "
                "problems"
            ),
            "drivers who cannot afford repairs get stopped for the same broken light every week",
        ),
        (
            ("police", "find out whether the light repair vouchers can be offered again"),
            ("liaison", "share the department's written guidance on equipment stops"),
        ),
        (
            (
                "Is a pretext stop legal?",
                (
                    "Courts allow a stop for any traffic violation, but the department has chosen "
                    "to limit stops that are not about safety."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "traffic-stops",
        "what to do when stopped by police",
        (
            (
                "Officers walked members through what happens during a traffic stop, from the "
                "lights coming on to the end of the contact."
            ),
            (
                "A short presentation covered what drivers should do when pulled over and what "
                "officers are trained to do."
            ),
            (
                "The video on what to expect during a traffic stop was shown; it is available in "
                "four languages."
            ),
        ),
        (
            (
                "Drivers are advised to pull over safely, turn on the interior light at night and "
                "keep their hands on the wheel."
            ),
            "Drivers may ask for the officer's name and badge number and why they were stopped.",
        ),
        (
            "parents are afraid for their sons every time they are pulled over",
            (
                "people who do not speak English panic during stops because they cannot understand "
                "the officer"
            ),
        ),
        (
            ("members", "bring the traffic stop card to their places of worship and schools"),
            ("police", "print the traffic stop card in Spanish, Somali and Karen"),
        ),
        (
            (
                "Does a passenger have to show an ID?",
                (
                    "Generally no; passengers do not have to identify themselves unless the "
                    "officer suspects them of a crime."
                ),
            ),
        ),
    ),
)

_YOUTH_HEALTH: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "youth",
        "school resource officers",
        (
            (
                "The school board's review of the school resource officer contract was discussed; "
                "the contract with the district ends in June."
            ),
            (
                "The school resource officers handled {nn} calls at {school} this semester, mostly "
                "fights and thefts."
            ),
            (
                "The district is surveying students and parents on whether school resource "
                "officers should stay in the buildings."
            ),
        ),
        (
            "Most SRO contacts are mentoring and mediation rather than arrests.",
            "Arrests at school dropped after the district adopted restorative practices.",
        ),
        (
            "students of color feel targeted by the police presence in schools",
            (
                "some parents worry that removing officers from {school} would leave students less "
                "safe"
            ),
        ),
        (
            ("police", "share SRO arrest and citation numbers by school and race"),
            ("chair", "invite a student panel to speak about SROs at the next meeting"),
        ),
        (
            (
                "Who supervises the school resource officers?",
                (
                    "SROs report to a sergeant at the department and work under a contract with "
                    "the district that sets their duties."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "youth",
        "summer youth programs",
        (
            (
                "Summer programming for youth was reviewed, including the police athletic league "
                "and teen nights at the community center."
            ),
            (
                "The department's youth basketball league had {nn} players this year, most from "
                "the apartments along {street}."
            ),
            (
                "Teen night at the {city} community center drew about {nn} young people on Friday "
                "evenings."
            ),
        ),
        (
            "Officers play in the games; the goal is for kids to know officers by name.",
            "The parks department extended open gym hours at {park} until 10 p.m.",
        ),
        (
            "there is nothing for teenagers to do in the evening, so they hang out at {business}",
            "youth programs are full and the waiting list keeps growing",
        ),
        (
            ("liaison", "put together a list of free summer programs in several languages"),
            ("members", "help recruit volunteer coaches for the fall league"),
        ),
        (
            (
                "Is there a fee for the youth league?",
                "No, the league is free, and shoes and uniforms are donated.",
            ),
        ),
    ),
    DiscussionItem(
        "youth",
        "juvenile diversion and curfew",
        (
            (
                "The county's juvenile diversion program was explained: first-time offenders can "
                "complete a program instead of going to court."
            ),
            (
                "Juvenile arrests for auto theft were discussed; several of the youth involved "
                "were 13 or 14 years old."
            ),
            "The city curfew for minors was reviewed, including the later hours on weekends.",
        ),
        (
            "Most youth who finish diversion are not arrested again within a year.",
            ("Officers bring curfew violators home and talk with parents rather than citing them."),
        ),
        (
            "groups of young teens are out after midnight near {park}",
            "parents do not know where to turn when their child gets in trouble",
        ),
        (
            ("police", "bring numbers on juvenile diversion referrals to a future meeting"),
            ("liaison", "invite the county diversion coordinator to present"),
        ),
        (
            (
                "Are the names of juveniles made public?",
                "No; records of juveniles are private in most cases.",
            ),
        ),
    ),
    DiscussionItem(
        "youth",
        "truancy and fights after school",
        (
            (
                "Fights after school at {park} were discussed; officers have added patrols there "
                "between 2:30 and 4 p.m."
            ),
            (
                "Staff from {school} shared that attendance has dropped and truancy referrals are "
                "up."
            ),
            (
                "A video of a fight outside {school} spread on social media last week, and the "
                "school and the department responded together."
            ),
        ),
        (
            (
                "The school social worker and the SRO met with the families of the students "
                "involved."
            ),
            "Truancy cases go to the county attendance program, not to the police.",
        ),
        (
            "students are afraid to walk home because of fights near the bus stop",
            "videos of fights are shared online and make the conflict worse",
        ),
        (
            ("police", "meet with the principal of {school} about the walk home after dismissal"),
            ("members", "connect families with the mentoring program at the mosque and churches"),
        ),
        (
            (
                "Can the police do anything about fight videos online?",
                (
                    "If a video shows an assault it can be used as evidence, and posting threats "
                    "can be a crime."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "mental-health",
        "the mental health co-responder program",
        (
            (
                "The embedded social worker program finished its first year; the social workers "
                "followed up with {nn} people after crisis calls."
            ),
            (
                "The co-responder team, an officer paired with a mental health professional, "
                "answered {nn} calls in {month}."
            ),
            (
                "The department reviewed how mental health calls are handled now that the county "
                "crisis team can be dispatched directly."
            ),
        ),
        (
            "Repeat calls from the same addresses dropped after social workers followed up.",
            (
                "The co-responder works weekdays until 8 p.m.; later calls go to the county crisis "
                "line."
            ),
        ),
        (
            (
                "families are afraid that calling 911 for a relative in crisis could end with "
                "someone getting hurt"
            ),
            "the co-responder is not available at night, when most crises happen",
        ),
        (
            ("police", "bring data on calls handled by the co-responder team"),
            ("liaison", "ask the county whether the crisis team could add evening hours"),
        ),
        (
            (
                "Can a family ask for the social worker instead of a patrol officer?",
                (
                    "Callers can ask for a mental health response; dispatch decides based on "
                    "safety, and the social worker often follows up later."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "mental-health",
        "crisis lines and welfare checks",
        (
            (
                "The 988 suicide and crisis line was explained as an alternative to 911 for mental "
                "health emergencies."
            ),
            (
                "Officers did {nn} welfare checks in {month}, many for elderly residents who live "
                "alone."
            ),
            (
                "Mental health calls now make up about {pct} percent of the department's calls for "
                "service."
            ),
        ),
        (
            "The county mobile crisis team can be reached at {phone} at any hour.",
            "Welfare checks are often requested by relatives who live out of state.",
        ),
        (
            "many elders in the community are isolated and nobody checks on them",
            "families avoid crisis services because of the stigma around mental illness",
        ),
        (
            ("liaison", "print wallet cards with the crisis numbers in several languages"),
            ("members", "bring the 988 information to their communities"),
        ),
        (
            (
                "What happens when someone calls 988?",
                (
                    "A trained counselor answers; most calls are resolved by phone, and a mobile "
                    "team is sent only when needed."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "use-of-force",
        "the use-of-force report",
        (
            (
                "The annual use-of-force report was reviewed: force was used in fewer than one "
                "percent of arrests."
            ),
            (
                "Use-of-force incidents for the year totaled {nn}, most involving a takedown or "
                "holding a person's arms."
            ),
            (
                "The department explained how every use of force is reviewed by a supervisor and, "
                "if serious, by a review board."
            ),
        ),
        (
            "Taser use dropped for the third year in a row.",
            "Each report is checked against the body camera video before it is closed.",
        ),
        (
            "the report does not show the race of the people force was used on",
            (
                "officers were seen kneeling on a man near {business}, and residents want to know "
                "if that was allowed"
            ),
        ),
        (
            ("police", "break down the use-of-force numbers by race and type of force"),
            ("chief", "look into the arrest near {business} and report back"),
        ),
        (
            (
                "Who decides whether a use of force was within policy?",
                (
                    "A supervisor reviews each case; serious incidents go to a review board and, "
                    "when required, to an outside agency."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "use-of-force",
        "restraint and taser policy",
        (
            (
                "The revised use-of-force policy was presented; it bans chokeholds and neck "
                "restraints and requires officers to intervene."
            ),
            (
                "Changes to the taser policy were explained, including limits on use against "
                "people who are handcuffed or running away."
            ),
            (
                "The department shared the draft of its duty-to-intervene policy and asked members "
                "for comments."
            ),
        ),
        (
            (
                "Officers must give medical aid after any use of force and call an ambulance if a "
                "person is hurt."
            ),
            "The policy requires officers to report force used by others, not only their own.",
        ),
        (
            "the policy leaves too much room for officers to decide what reasonable force is",
            "people in a mental health crisis are more likely to be tased",
        ),
        (
            ("members", "send written comments on the draft policy within two weeks"),
            ("police", "return with the final version of the policy"),
        ),
        (
            (
                "Are officers disciplined for failing to intervene?",
                (
                    "Yes; failing to intervene is a policy violation, with discipline up to "
                    "termination."
                ),
            ),
        ),
    ),
)

_CAMERAS_OVERSIGHT: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "body-cameras",
        "the body camera policy",
        (
            (
                "The body-worn camera policy was discussed, including when officers must turn "
                "cameras on and how long video is kept."
            ),
            (
                "All patrol officers in {city} now wear body cameras; the department described the "
                "first {n} months of use."
            ),
            (
                "A member asked about the public release of body camera footage after the incident "
                "on {street}."
            ),
        ),
        (
            (
                "Video of a use of force is kept for at least seven years; routine video is "
                "deleted after 90 days."
            ),
            "People who appear in a video can request a copy, with other faces blurred.",
        ),
        (
            "footage is released too slowly after serious incidents",
            "officers do not always turn their cameras on before they arrive at a call",
        ),
        (
            ("police", "send members the body camera retention schedule"),
            ("chief", "explain the release process for footage at the next community forum"),
        ),
        (
            (
                "Can officers watch their video before writing a report?",
                (
                    "They can, except after a serious use of force, when they first give an "
                    "initial statement."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "body-cameras",
        "squad camera replacement",
        (
            (
                "The city council approved funding to replace the squad car cameras and link them "
                "to the body cameras."
            ),
            ("The new camera system starts recording automatically when the squad lights come on."),
            (
                "The camera budget was presented: about {nn} thousand dollars a year for equipment "
                "and video storage."
            ),
        ),
        (
            "Storage is the largest cost because video must be kept for years.",
            "Records staff spend many hours blurring video before it can be released.",
        ),
        (
            "the cost of video storage could take money away from youth programs",
            "it is not clear who can see the squad video and for how long",
        ),
        (
            ("police", "demonstrate the new cameras at a future meeting"),
            ("liaison", "share a summary of the camera vendor contract"),
        ),
        (
            (
                "Do the cameras record sound inside the squad?",
                "Yes, the rear-seat camera records video and audio whenever the system is on.",
            ),
        ),
    ),
    DiscussionItem(
        "surveillance-tech",
        "license plate readers",
        (
            (
                "The department proposed installing {n} fixed license plate readers at the main "
                "entry points to the city."
            ),
            (
                "License plate reader data was discussed: plates are scanned, checked against hot "
                "lists and deleted after 60 days unless tied to a case."
            ),
            (
                "Members asked how the plate readers on squad cars are used and who can access the "
                "data."
            ),
        ),
        (
            "The readers helped recover {n} stolen vehicles last month.",
            ("State law limits how long plate data is kept and requires an audit every two years."),
        ),
        (
            "license plate data could be shared with immigration authorities",
            "cameras at every entrance to the city make people feel watched",
        ),
        (
            ("police", "share the data-sharing agreement for the plate readers"),
            ("members", "gather questions from their communities before the council votes"),
        ),
        (
            (
                "Is plate reader data shared with ICE?",
                (
                    "The department does not share it for immigration enforcement; any request "
                    "from another agency must be tied to a criminal case."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "surveillance-tech",
        "drones and the camera registry",
        (
            (
                "The department described its drone program: drones are used for missing persons, "
                "crash scenes and searches, not for routine patrol."
            ),
            (
                "A voluntary camera registry was introduced, where residents and businesses can "
                "list their security cameras for investigators."
            ),
            "The use of a drone over {park} during the summer festival was questioned.",
        ),
        (
            (
                "Registered camera owners are only contacted after a crime nearby; police cannot "
                "view the cameras live."
            ),
            "Each drone flight is logged, and the log is public.",
        ),
        (
            "facial recognition could be added to camera systems without public discussion",
            "drones over crowded events feel like surveillance of immigrant families",
        ),
        (
            ("police", "post the drone flight log on the city website"),
            ("liaison", "share the camera registry sign-up form with members"),
        ),
        (
            (
                "Does the department use facial recognition?",
                "No; any change would need council approval.",
            ),
        ),
    ),
    DiscussionItem(
        "complaints-oversight",
        "the complaint process",
        (
            (
                "The complaint process was explained: complaints can be made in person, by phone, "
                "by e-mail or online, and anonymously."
            ),
            (
                "The department received {n} complaints against officers in {month}, most about "
                "rudeness during calls."
            ),
            (
                "The complaint form was reviewed for readability; it is now available in Spanish "
                "and Somali."
            ),
        ),
        (
            "Every complaint gets a written response, and the person is told the outcome.",
            (
                "Complaints about force or bias are investigated by internal affairs, not by the "
                "officer's own supervisor."
            ),
        ),
        (
            "people are afraid that filing a complaint will lead to retaliation",
            "a resident filed a complaint months ago and never heard back",
        ),
        (
            ("police", "follow up with the resident about the complaint filed in {month}"),
            ("liaison", "make complaint forms available at the library and community center"),
        ),
        (
            (
                "Can someone file a complaint for a family member?",
                (
                    "Yes; anyone can file, including a third party, and the department will reach "
                    "out to the person involved."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "complaints-oversight",
        "civilian review and discipline",
        (
            "The city council's proposal for a civilian review commission was discussed.",
            (
                "Internal affairs summarized the year: {nn} investigations, {n} sustained "
                "findings, and discipline from coaching to suspension."
            ),
            (
                "Members reviewed how discipline decisions are made and how the union contract "
                "affects them."
            ),
        ),
        (
            (
                "Under state law, the outcome of a sustained complaint is public once discipline "
                "is final."
            ),
            (
                "Arbitration can overturn discipline, which frustrates both the department and "
                "residents."
            ),
        ),
        (
            "the public never learns what happens to officers after a complaint",
            "a review board made up of city staff is not independent enough",
        ),
        (
            ("chair", "draft the committee's comments on the civilian review proposal"),
            ("police", "provide a summary of sustained complaints and discipline for the year"),
        ),
        (
            (
                "Would a civilian review board see body camera video?",
                (
                    "Under the proposal it could review video and files, but the chief would still "
                    "make the final discipline decision."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "bias-policing",
        "racial profiling",
        (
            (
                "Members discussed racial profiling and what residents describe as being followed "
                "by squad cars."
            ),
            ("The department's bias-based policing policy was reviewed line by line with members."),
            (
                "A resident's account of being stopped while walking home on {street} led to a "
                "discussion of profiling."
            ),
        ),
        (
            "Bias complaints are investigated by internal affairs.",
            (
                "The policy prohibits using race, religion or national origin as a reason for a "
                "stop."
            ),
        ),
        (
            "Somali youth are stopped walking home from the mosque at night",
            "Black residents feel they are followed by squads when they drive through {city}",
        ),
        (
            ("police", "meet with the resident who was stopped on {street}"),
            ("chair", "put bias-based policing on the agenda for the joint council meeting"),
        ),
        (
            (
                "How can someone prove they were profiled?",
                (
                    "They do not need proof to file a complaint; the department reviews video, "
                    "stop data and the officer's history."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "bias-policing",
        "disparities in enforcement",
        (
            (
                "An outside researcher presented an analysis of arrests and citations that found "
                "racial disparities for low-level offenses."
            ),
            (
                "The department shared a disparity review of its enforcement of minor offenses "
                "such as trespassing and disorderly conduct."
            ),
            (
                "Disparities in arrests for low-level offenses were discussed, and {chief} "
                "described steps to reduce them."
            ),
        ),
        (
            "Disparities were largest for trespass calls made by businesses.",
            "The department now tracks who calls in complaints as well as who is arrested.",
        ),
        (
            "store security calls the police on Black teens for simply being in the mall",
            "the department keeps studying the problem but nothing changes",
        ),
        (
            ("police", "report on the changes made since the disparity study"),
            ("liaison", "schedule a follow-up presentation by the researcher in the fall"),
        ),
        (
            (
                "Does the department compare its numbers with other cities?",
                "Yes, with nearby cities of similar size; the results are in the annual report.",
            ),
        ),
    ),
)

_COMMUNITIES: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "hate-bias-incidents",
        "hate and bias incidents",
        (
            (
                "The vandalism at the mosque on {street} was discussed; it is being investigated "
                "as a possible hate crime."
            ),
            (
                "Graffiti with antisemitic symbols was found near {park} and removed by city crews "
                "within a day."
            ),
            (
                "The department reported {n} bias-motivated incidents this year, including slurs "
                "shouted at women wearing hijab."
            ),
        ),
        (
            "Hate crime charges are decided by the county attorney after the investigation.",
            "An officer is assigned to reach out to faith communities after any bias incident.",
        ),
        (
            "families at the mosque no longer feel safe at evening prayer",
            "many hate incidents are never reported because victims think nothing will happen",
        ),
        (
            ("police", "increase patrols around places of worship during the holidays"),
            ("liaison", "share the bias incident reporting guide in Arabic, Somali and Spanish"),
        ),
        (
            (
                "What is the difference between a bias incident and a hate crime?",
                (
                    "A hate crime is a crime motivated by bias; a bias incident may be hurtful but "
                    "not illegal. Both should be reported."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "hate-bias-incidents",
        "harassment of Asian American elders",
        (
            (
                "Harassment of Asian American elders at bus stops and in stores was reported by "
                "members of the Hmong and Vietnamese communities."
            ),
            (
                "Members discussed a rise in harassment directed at Asian American residents since "
                "the pandemic."
            ),
            (
                "A bias incident at {business}, where a customer was told to go back to her "
                "country, was reviewed."
            ),
        ),
        (
            "Officers took a report and identified the suspect from store video.",
            "The state human rights department takes reports of discrimination in businesses.",
        ),
        (
            "elders are afraid to ride the bus alone",
            "victims do not report incidents because they fear not being understood",
        ),
        (
            ("liaison", "organize a safety session for elders with Hmong interpreters"),
            ("police", "name a contact person for bias incident reports"),
        ),
        (
            (
                "Should verbal harassment be reported if no one was hurt?",
                (
                    "Yes; reports help the department see patterns and can support a charge if "
                    "there was a threat."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "immigration",
        "consular IDs",
        (
            (
                "The department confirmed that it accepts consular ID cards, such as the matrícula "
                "consular, as identification."
            ),
            (
                "Whether officers accept foreign passports and consular IDs at traffic stops was "
                "discussed."
            ),
            (
                "The consulate's mobile office is coming to {venue} on {date} to issue passports "
                "and consular IDs."
            ),
        ),
        (
            "The state now issues driver's licenses regardless of immigration status.",
            "Officers are told to accept any reliable identification.",
        ),
        (
            "some officers still ask for a Minnesota ID and do not accept the matrícula",
            "undocumented residents are afraid to call the police because they have no ID",
        ),
        (
            ("police", "remind officers at roll call that consular IDs are accepted"),
            ("liaison", "share the driver's license information for all residents with members"),
        ),
        (
            (
                "Do officers ask about immigration status?",
                (
                    "No; department policy prohibits asking about status during stops or calls for "
                    "service."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "immigration",
        "fear of immigration enforcement",
        (
            (
                "Members discussed rumors of immigration raids in {city} that spread on social "
                "media last week."
            ),
            (
                "{chief} restated that the department does not enforce federal immigration law and "
                "does not hold people for ICE."
            ),
            (
                "Fear of immigration enforcement came up again after federal agents were seen at "
                "apartments on {street}."
            ),
        ),
        (
            "The county jail does not honor ICE detainers without a judicial warrant.",
            "Local officers were not involved in the federal action on {street}.",
        ),
        (
            "families stop calling the police because they fear deportation",
            "people cannot tell the difference between ICE agents and local police",
        ),
        (
            ("chief", "send a written statement on immigration enforcement to share"),
            ("liaison", "set up a know-your-rights session with the immigrant law center"),
        ),
        (
            (
                "Will the police call ICE if I report a crime?",
                (
                    "No; victims and witnesses are not asked about status, and the department does "
                    "not report them."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "immigration",
        "welcoming New Americans and refugees",
        (
            (
                "Refugee families recently arrived from Afghanistan and Ukraine were discussed, "
                "along with how the department can welcome them."
            ),
            (
                "A welcome session for New Americans is being planned with the resettlement "
                "agencies."
            ),
            (
                "The resettlement agency reported that {nn} refugee families have arrived in "
                "{city} this year."
            ),
        ),
        (
            (
                "Many new arrivals come from countries where the police are feared, so first "
                "contacts matter."
            ),
            "The session covers calling 911, traffic rules and how local police work.",
        ),
        (
            "newly arrived families do not know how to call 911 or what to expect",
            "refugee children are being bullied at {school}",
        ),
        (
            ("liaison", "coordinate the welcome session with the resettlement agencies"),
            ("members", "speak at the welcome session in their languages"),
        ),
        (
            (
                "Do new arrivals have to register with the police?",
                "No; there is no registration with the local police.",
            ),
        ),
    ),
    DiscussionItem(
        "language-access",
        "interpreters",
        (
            "Interpreter access at the front desk of the police department was discussed.",
            (
                "Officers used the telephone interpreter line {nn} times in {month}, most often "
                "for Spanish, Somali and Hmong."
            ),
            (
                "The department explained how officers reach an interpreter in the field through "
                "the language line on their phones."
            ),
        ),
        (
            "Using children as interpreters is against policy except in emergencies.",
            "Bilingual officers receive extra pay after passing a language test.",
        ),
        (
            "there is no interpreter at the front desk in the evening",
            "officers sometimes use children to interpret for their parents",
        ),
        (
            ("chief", "look into a video interpreter tablet for the front desk"),
            ("police", "remind officers that children may not be used as interpreters"),
        ),
        (
            (
                "Can someone ask for an interpreter when they call 911?",
                (
                    "Yes; dispatchers connect an interpreter within a minute or two. Callers "
                    "should say the name of their language."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "language-access",
        "translated materials",
        (
            (
                "Translations of the department's brochures into Spanish, Somali, Hmong, Karen, "
                "Oromo and Vietnamese were reviewed."
            ),
            "The community newsletter is now printed in three languages.",
            (
                "Members reviewed a draft translated flyer and found several words that make no "
                "sense in their community."
            ),
        ),
        (
            "Machine translations were replaced with work by certified translators.",
            "Audio versions help residents who do not read their own language.",
        ),
        (
            "translated materials use formal words that families do not understand",
            "the city website has no information in Oromo or Karen",
        ),
        (
            ("members", "review the Somali and Spanish translations before printing"),
            ("liaison", "record short audio messages in several languages for social media"),
        ),
        (
            (
                "Who pays for translation?",
                (
                    "The county partnership covers shared materials; the city pays for its own "
                    "documents."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "recruitment-staffing",
        "recruitment and diversity",
        (
            (
                "The department is hiring; {n} officer positions are open, and applications close "
                "on {date}."
            ),
            (
                "The recruitment report showed that {pct} percent of recent hires are people of "
                "color, up from last year."
            ),
            (
                "The pathways program pays for college and police training for candidates from the "
                "community who want to become officers."
            ),
        ),
        (
            "Committee members sat on interview panels for the last two hiring rounds.",
            "Many applicants drop out during the background process, which takes months.",
        ),
        (
            "the department does not reflect the community it serves",
            "young people in the community do not see policing as a career they would choose",
        ),
        (
            ("members", "serve on the oral interview panels in the spring"),
            ("police", "bring hiring numbers by race, gender and language to the next meeting"),
        ),
        (
            (
                "Can someone who is not a citizen become a police officer?",
                (
                    "State licensing rules apply; the department can explain the options for "
                    "permanent residents."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "recruitment-staffing",
        "staffing and community service officers",
        (
            (
                "Staffing levels were discussed: the department is {n} officers short of its "
                "authorized strength."
            ),
            (
                "The community service officer program now has {n} CSOs, who handle animal calls, "
                "parking and minor reports."
            ),
            (
                "Overtime has risen because of vacancies, and the department is working with the "
                "council on keeping officers."
            ),
        ),
        (
            (
                "CSOs are often students in law enforcement programs, and many later become "
                "officers."
            ),
            "Response times for non-emergency calls have grown because of the shortage.",
        ),
        (
            "it takes too long for an officer to come for a non-emergency call",
            "officers are tired and overworked because of the shortage",
        ),
        (
            ("police", "report response times for non-emergency calls at the next meeting"),
            ("members", "share the CSO job posting with students in their communities"),
        ),
        (
            (
                "Why is it so hard to hire officers now?",
                (
                    "Fewer people apply across the country, and nearby departments offer signing "
                    "bonuses."
                ),
            ),
        ),
    ),
)

_TRAINING_EVENTS: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "training",
        "de-escalation training",
        (
            "All sworn officers completed {nn} hours of de-escalation training this year.",
            (
                "The department demonstrated the scenario-based de-escalation training that "
                "officers take twice a year."
            ),
            (
                "De-escalation training was reviewed, including slowing down, creating distance "
                "and using time."
            ),
        ),
        (
            (
                "The scenarios include people in a mental health crisis and people who do not "
                "speak English."
            ),
            (
                "Field training officers grade new officers on de-escalation during their first "
                "months."
            ),
        ),
        (
            "training does not matter if officers do not use it on the street",
            "the training does not cover enough about communicating with people who have autism",
        ),
        (
            ("police", "arrange for members to observe a scenario training day"),
            ("police", "share the training curriculum outline with the committee"),
        ),
        (
            (
                "How does the department check that officers use what they learn?",
                "Supervisors review body camera video and use-of-force reports.",
            ),
        ),
    ),
    DiscussionItem(
        "training",
        "cultural awareness training for officers",
        (
            (
                "Committee members helped lead a cultural awareness training for officers on the "
                "Somali community."
            ),
            (
                "The department's implicit bias training was discussed; it is now required every "
                "two years."
            ),
            (
                "Officers attended a session at the mosque on {street} about Islamic customs and "
                "Ramadan."
            ),
        ),
        (
            "Sessions on the Latino and Hmong communities are planned for next year.",
            "Officers asked many questions about how to enter homes respectfully.",
        ),
        (
            "officers still do not understand why some women will not shake hands with a man",
            "a one-time training is not enough to change behavior",
        ),
        (
            ("members", "help design the next cultural training session for officers"),
            ("liaison", "find dates for the spring training with the training sergeant"),
        ),
        (
            (
                "Is implicit bias training required by the state?",
                (
                    "Yes; licensing requires training on implicit bias, cultural diversity and "
                    "crisis intervention."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "training",
        "crisis intervention training",
        (
            (
                "Nearly all patrol officers have now completed the 40-hour crisis intervention "
                "team training."
            ),
            (
                "Crisis intervention training for new officers was discussed, including a day with "
                "people who live with mental illness."
            ),
            (
                "The training sergeant presented the year's training plan, focused on crisis "
                "intervention and autism awareness."
            ),
        ),
        (
            "Officers learn to recognize signs of psychosis and to use calm, short sentences.",
            (
                "Family members of people with mental illness shared their stories during the "
                "course."
            ),
        ),
        (
            "officers without crisis training still answer crisis calls at night",
            "people with autism are at risk during police contacts",
        ),
        (
            ("police", "report how many night-shift officers have crisis training"),
            ("members", "suggest community speakers for the next crisis training"),
        ),
        (
            (
                "Can a family ask for a crisis-trained officer?",
                "Callers can ask, and dispatch sends one when available.",
            ),
        ),
    ),
    DiscussionItem(
        "community-education",
        "the citizens academy",
        (
            "The citizens academy starts on {date} and runs for eight Tuesday evenings.",
            (
                "Graduates of the citizens academy shared what they learned about patrol, "
                "investigations and the use-of-force simulator."
            ),
            (
                "A citizens academy in Spanish is being planned for the fall, after the success of "
                "last year's Somali session."
            ),
        ),
        (
            "Participants ride along with an officer and tour the dispatch center.",
            "Classes are free, and childcare and dinner are provided.",
        ),
        (
            "the academy meets at times when working parents cannot attend",
            "only a few immigrant residents have taken the academy",
        ),
        (
            ("members", "recruit at least two people each from their communities"),
            ("liaison", "print the academy application in Spanish and Somali"),
        ),
        (
            (
                "Is there a background check to join the academy?",
                "A simple check is done for the ride-along portion only.",
            ),
        ),
    ),
    DiscussionItem(
        "community-education",
        "know-your-rights workshops",
        (
            (
                "A know-your-rights session on police encounters was held at the library with {nn} "
                "people attending."
            ),
            (
                "Members discussed a know-your-rights workshop for youth on what to do when "
                "stopped, searched or questioned."
            ),
            (
                "The public defender's office presented on rights during police contacts and the "
                "court process."
            ),
        ),
        (
            (
                "Topics included the right to remain silent, consent to searches and asking "
                "whether you are free to leave."
            ),
            "Attendees asked many questions about recording police officers.",
        ),
        (
            "young people do not know their rights and end up arrested for talking back",
            "rights information is not available in Karen or Oromo",
        ),
        (
            ("liaison", "schedule a second session at {school} in the spring"),
            ("members", "suggest places in their neighborhoods to hold the workshop"),
        ),
        (
            (
                "Is it legal to film police officers?",
                "Yes, in public places, as long as you do not interfere with their work.",
            ),
        ),
    ),
    DiscussionItem(
        "community-education",
        "when to call 911",
        (
            "The difference between 911 and the non-emergency line, {phone}, was explained.",
            (
                "The dispatch supervisor presented on what happens when someone calls 911 and the "
                "questions dispatchers ask."
            ),
            (
                "Residents can now report minor crimes such as theft from a car online, without "
                "waiting for an officer."
            ),
        ),
        (
            "Text-to-911 is available for people who cannot speak safely.",
            "Dispatchers ask for the location first because calls can drop.",
        ),
        (
            "elders hang up when the dispatcher asks many questions",
            "people call 911 for everything because they do not know the non-emergency number",
        ),
        (
            ("liaison", "make magnets with the non-emergency number in four languages"),
            ("police", "invite members to tour the dispatch center"),
        ),
        (
            (
                "What if the caller does not know the address?",
                (
                    "Dispatchers can locate most cell phones and will ask for landmarks and cross "
                    "streets."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "community-events",
        "National Night Out",
        (
            "National Night Out is on {date}; {nn} neighborhoods have registered so far.",
            (
                "Planning for National Night Out continued, with a goal of more block parties in "
                "apartment communities."
            ),
            (
                "National Night Out went well, with officers, firefighters and council members "
                "visiting {nn} parties."
            ),
        ),
        (
            "Parties that register get a visit from a squad car and a fire truck.",
            "Registration is free and includes permission to close the street.",
        ),
        (
            "apartment communities rarely host parties and are missed by the visits",
            "officers spent only a few minutes at each party",
        ),
        (
            ("members", "encourage their apartment buildings to register"),
            ("liaison", "send the registration link and flyer in several languages"),
        ),
        (
            (
                "Do we need a permit to close the street?",
                "Registering the party with the city is enough for a residential street.",
            ),
        ),
    ),
    DiscussionItem(
        "community-events",
        "Coffee with a Cop",
        (
            "Coffee with a Cop is set for {date} from 8 to 10 a.m. at {venue}.",
            (
                "Officers met residents at the last Coffee with a Cop, where the main questions "
                "were about speeding and car break-ins."
            ),
            (
                "Tea with a cop at the Somali mall drew many elders who had never spoken with an "
                "officer."
            ),
        ),
        (
            (
                "The informal format lets people ask questions they would not ask at a public "
                "meeting."
            ),
            "Officers who speak Spanish and Somali attended.",
        ),
        (
            "the events are held during the workday, when most residents are at work",
            "the people who most need to talk with police do not come to these events",
        ),
        (
            ("police", "hold the next Coffee with a Cop on a weekend"),
            ("members", "suggest gathering places in their communities for future events"),
        ),
        (
            (
                "Who can attend Coffee with a Cop?",
                "Anyone; there is no agenda and no registration.",
            ),
        ),
    ),
    DiscussionItem(
        "community-events",
        "festivals and ride-alongs",
        (
            "The department had a booth at the Somali Independence Day festival at {park}.",
            (
                "The ride-along program is open to residents over 16; members who went on "
                "ride-alongs shared their impressions."
            ),
            "Officers took part in the Eid celebration and a youth soccer tournament at {park}.",
        ),
        (
            "Kids lined up to sit in the squad car and try on the vest.",
            "Members who rode along were surprised by how many calls involve mental health.",
        ),
        (
            "the department only shows up in the community when there is a problem",
            "officers should come to community festivals and not only work security",
        ),
        (
            ("members", "share the community event calendar with the liaison"),
            ("police", "send officers to the Hmong New Year celebration in November"),
        ),
        (
            (
                "How do I sign up for a ride-along?",
                "Fill out the form at the front desk or online; it takes about two weeks.",
            ),
        ),
    ),
)

_CRIME: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "crime-trends",
        "monthly crime statistics",
        (
            "Calls for service in {month} totaled {calls}, about the same as last year.",
            (
                "Serious crimes were down {pct} percent compared with the same period last year, "
                "led by fewer burglaries."
            ),
            "The crime statistics for {month} were reviewed sector by sector.",
        ),
        (
            "Theft from cars remains the most common crime, and most of the cars were unlocked.",
            "Shoplifting at the large stores accounts for a large share of arrests.",
        ),
        (
            "the statistics do not match what people feel in their neighborhood",
            "crime near {business} seems to be getting worse",
        ),
        (
            ("police", "bring the crime map by neighborhood to the next meeting"),
            ("police", "provide statistics for the area around {business}"),
        ),
        (
            (
                "Why do the numbers go up in summer?",
                "More people are outside, windows are open, and youth are out of school.",
            ),
        ),
    ),
    DiscussionItem(
        "crime-trends",
        "auto thefts",
        (
            "Auto thefts continue to rise, driven by thefts of certain Kia and Hyundai models.",
            "Catalytic converter thefts were up again in {month}, with {nn} reported in {city}.",
            (
                "The department reviewed a wave of car thefts from apartment parking lots along "
                "{street}."
            ),
        ),
        (
            "Free steering wheel locks are available at the front desk while supplies last.",
            "Some thefts are committed by youth who post videos of the stolen cars online.",
        ),
        (
            "cars are stolen from the parking lot on {street} almost every week",
            "residents who rely on their car for work cannot afford to replace it",
        ),
        (
            ("police", "hold a steering wheel lock giveaway at the apartments on {street}"),
            ("liaison", "get the free software update information in several languages"),
        ),
        (
            (
                "Can owners protect their catalytic converters?",
                "Officers etch license plate numbers on converters for free at etching events.",
            ),
        ),
    ),
    DiscussionItem(
        "crime-trends",
        "burglaries and package thefts",
        (
            (
                "Home burglaries were up in the neighborhood east of {street}; most happened "
                "during the day."
            ),
            (
                "Package thefts during the holidays were discussed, along with tips for safe "
                "deliveries."
            ),
            (
                "A string of break-ins at small businesses along {street}, including Latino and "
                "East African shops, was reviewed."
            ),
        ),
        (
            (
                "Arrests were made in {n} of the cases after a neighbor's camera captured the "
                "suspect."
            ),
            "Business owners can get a free security check from the crime prevention officer.",
        ),
        (
            "small business owners feel that break-ins are not taken seriously",
            "neighbors are afraid to leave their homes during the day",
        ),
        (
            ("police", "arrange free security surveys for businesses on {street}"),
            ("members", "share crime prevention tips with small business owners"),
        ),
        (
            (
                "Should residents confront someone taking packages?",
                "No; call 911 with a description and the direction of travel.",
            ),
        ),
    ),
    DiscussionItem(
        "gun-violence",
        "the recent shooting",
        (
            (
                "The shooting near {address} on {past_date} was discussed; one person was injured "
                "and the investigation is ongoing."
            ),
            "Shots-fired calls rose this summer, with {n} incidents in which someone was struck.",
            (
                "{chief} gave an update on the shooting at {park}, which is believed to be "
                "targeted rather than random."
            ),
        ),
        (
            "Investigators ask anyone with video from the area to call {phone}.",
            "Several of the guns recovered this year were stolen from cars.",
        ),
        (
            "families near {park} are afraid to let their children play outside",
            "shots are heard at night but nobody calls it in",
        ),
        (
            ("police", "increase patrols near {park} in the evenings"),
            ("liaison", "organize a meeting with the neighbors near {address}"),
        ),
        (
            (
                "Should residents call 911 about gunshots even if others may have called?",
                "Yes; every call helps locate where the shots came from.",
            ),
        ),
    ),
    DiscussionItem(
        "gun-violence",
        "firearm safety and gun locks",
        (
            (
                "The department is giving away free gun locks at the front desk and at community "
                "events."
            ),
            (
                "Firearm safety and safe storage were discussed after a child found a loaded gun "
                "at home."
            ),
            (
                "The number of guns stolen from vehicles was reviewed; {nn} were taken from cars "
                "in the last year."
            ),
        ),
        (
            "Most guns recovered in local crimes were stolen from cars or homes.",
            "Gun locks come with instructions in several languages.",
        ),
        (
            "young people can get guns far too easily",
            "guns are left in cars in parking lots",
        ),
        (
            ("police", "bring gun locks to National Night Out"),
            ("members", "share safe storage information with their congregations"),
        ),
        (
            (
                "Can someone turn in a gun they no longer want?",
                (
                    "Yes; call the non-emergency line and an officer will pick it up. Do not bring "
                    "it to the station."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "domestic-sexual-violence",
        "domestic violence",
        (
            (
                "Domestic violence calls were up {pct} percent in {month}, and two cases involved "
                "strangulation."
            ),
            (
                "The lethality assessment program was explained: officers ask victims a short set "
                "of questions and connect those at high risk with an advocate."
            ),
            (
                "Domestic violence in immigrant families was discussed with an advocate from the "
                "county's domestic abuse service center."
            ),
        ),
        (
            "The advocate can be reached at {phone}, and services are free and confidential.",
            "Victims may qualify for an order for protection, and staff can help them apply.",
        ),
        (
            "women who depend on their husband for immigration status are afraid to report abuse",
            "there are no shelters with staff who speak the languages of the community",
        ),
        (
            ("liaison", "share the list of domestic violence services in Somali and Spanish"),
            ("police", "invite the domestic violence advocate to a future meeting"),
        ),
        (
            (
                "Can a victim get help without calling the police?",
                "Yes; advocacy programs help victims whether or not there is a police report.",
            ),
        ),
    ),
    DiscussionItem(
        "domestic-sexual-violence",
        "sexual assault and victim services",
        (
            (
                "The sexual assault investigator described how cases are handled and how victims "
                "are supported."
            ),
            (
                "Victim services were reviewed, including the advocates who go with victims to the "
                "hospital and to court."
            ),
            "The department shared how it tests sexual assault kits and how long results take.",
        ),
        (
            "All kits are now submitted for testing, and the backlog has been cleared.",
            "Victims can have an advocate present during interviews.",
        ),
        (
            "victims feel their cases are not investigated",
            "harassment of young women on the bus line along {street} is not taken seriously",
        ),
        (
            ("police", "share the translated victim services brochure with members"),
            ("liaison", "ask the sexual assault advocacy center to present"),
        ),
        (
            (
                "Is there a time limit to report a sexual assault?",
                (
                    "For adults there usually is no time limit; victims can report whenever they "
                    "are ready."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "human-trafficking",
        "sex trafficking",
        (
            (
                "A presentation on sex trafficking described how traffickers recruit young people "
                "through social media and gaming apps."
            ),
            "The investigation into massage businesses on {street} led to trafficking charges.",
            (
                "Human trafficking awareness was discussed ahead of the large sporting events in "
                "the region this winter."
            ),
        ),
        (
            "Victims are treated as victims, not charged, and are connected to services.",
            "Warning signs include an older boyfriend, new phones or gifts, and missed school.",
        ),
        (
            "girls in the community are being contacted by strangers online",
            "the hotels near the highway are used for trafficking",
        ),
        (
            ("liaison", "arrange a trafficking awareness session for parents at {school}"),
            ("police", "meet with hotel managers about the signs of trafficking"),
        ),
        (
            (
                "Where can someone report suspected trafficking?",
                (
                    "Call 911 in an emergency, or the non-emergency line at {phone}; tips can be "
                    "anonymous."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "human-trafficking",
        "labor trafficking",
        (
            (
                "Labor trafficking in restaurants and construction was discussed with a speaker "
                "from a workers' rights center."
            ),
            (
                "A case of workers held in a house on {street} and forced to work without pay was "
                "reviewed."
            ),
            "Members learned about labor trafficking and wage theft among newly arrived workers.",
        ),
        (
            "The employer had taken the workers' passports, a common sign of trafficking.",
            "The state labor department handles wage theft; trafficking is a crime for police.",
        ),
        (
            "workers are afraid to come forward because of their immigration status",
            "cleaning crews in the community work long hours for almost no pay",
        ),
        (
            ("liaison", "share the labor rights hotline card in Spanish and Amharic"),
            ("police", "connect the workers' center with the trafficking investigator"),
        ),
        (
            (
                "Can a worker without papers report labor trafficking?",
                "Yes; there are protections for victims, including special visas.",
            ),
        ),
    ),
)

_SOCIETY: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "drugs-alcohol",
        "opioid overdoses",
        (
            "Overdose calls rose in {month}; officers used naloxone {n} times.",
            (
                "Fentanyl deaths among young people were discussed, including pills sold as pain "
                "medicine on social media."
            ),
            (
                "The department reported {n} overdose deaths in {city} this year, most involving "
                "fentanyl."
            ),
        ),
        (
            "All officers carry naloxone, and free kits are available from county public health.",
            "The Good Samaritan law protects people who call 911 for an overdose.",
        ),
        (
            "teens are buying pills through social media",
            "families do not know about naloxone or where to get it",
        ),
        (
            ("liaison", "organize a naloxone training for members and their communities"),
            ("police", "bring overdose numbers by age group to the next meeting"),
        ),
        (
            (
                "Will someone be arrested for calling 911 about an overdose?",
                (
                    "The Good Samaritan law generally protects the caller and the person "
                    "overdosing from possession charges."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "drugs-alcohol",
        "the cannabis law",
        (
            (
                "The new adult-use cannabis law was explained, including what is now legal and "
                "what is not."
            ),
            (
                "Members asked how the cannabis law changes traffic stops and searches based on "
                "the smell of marijuana."
            ),
            (
                "The city's rules for cannabis businesses were discussed, including the distance "
                "from schools."
            ),
        ),
        (
            (
                "Adults 21 and older may possess limited amounts, but public use and driving high "
                "are illegal."
            ),
            "The odor of cannabis alone is no longer a reason to search a car.",
        ),
        (
            "young people are using cannabis openly at {park}",
            "edibles that look like candy are ending up with children",
        ),
        (
            ("police", "provide a one-page, plain-language summary of the cannabis law"),
            ("liaison", "share the cannabis summary with parents through the schools"),
        ),
        (
            (
                "Can a landlord ban smoking cannabis in apartments?",
                "Yes; landlords can ban smoking on their property.",
            ),
        ),
    ),
    DiscussionItem(
        "drugs-alcohol",
        "drug take-back and underage sales",
        (
            (
                "Drug take-back day is {date}; residents can drop off unused medicines in the "
                "police department lobby."
            ),
            "Alcohol compliance checks found {n} stores selling to underage buyers.",
            (
                "The medicine drop box in the police lobby collected {nn} pounds of medication "
                "last year."
            ),
        ),
        (
            "Needles and liquids are not accepted in the drop box.",
            "Stores that fail a compliance check pay a fine and must train their staff.",
        ),
        (
            "stores near {school} sell vaping products to minors",
            "elders keep old medicines at home and do not know where to bring them",
        ),
        (
            ("police", "run tobacco and vape compliance checks near {school}"),
            ("members", "tell their communities about the medicine drop box"),
        ),
        (
            (
                "Is the drop box anonymous?",
                "Yes; no questions are asked and no names are taken.",
            ),
        ),
    ),
    DiscussionItem(
        "housing-homelessness",
        "homeless encampments",
        (
            (
                "An encampment near {park} was discussed; outreach workers visited it several "
                "times this month."
            ),
            (
                "The department explained its approach to homelessness: outreach first, with "
                "officers accompanied by county social workers."
            ),
            (
                "The closing of the encampment along the creek was reviewed with the county's "
                "homeless outreach team."
            ),
        ),
        (
            "Shelter beds are often full, especially for families and couples.",
            "Outreach workers help with IDs, benefits and housing applications.",
        ),
        (
            "people sleeping in the bus shelter on {street} have nowhere to go in winter",
            "neighbors feel unsafe walking through {park}",
        ),
        (
            ("liaison", "invite the county outreach team to the next meeting"),
            ("police", "report how many people at the encampment were connected to housing"),
        ),
        (
            (
                "Can the police make people leave a public park?",
                (
                    "Park hours apply to everyone, but the priority is to connect people to "
                    "shelter before any enforcement."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "housing-homelessness",
        "rental housing conditions",
        (
            (
                "The crime-free multi-housing program was discussed; {nn} apartment complexes in "
                "{city} take part."
            ),
            (
                "Conditions at the apartments on {street} were discussed after several families "
                "reported no heat."
            ),
            (
                "Evictions connected to police calls were discussed, including whether the "
                "crime-free lease addendum hurts victims."
            ),
        ),
        (
            "Rental licensing inspectors can inspect a unit when a tenant complains.",
            "Tenants can call the inspections office at {phone} without giving their name.",
        ),
        (
            "victims of domestic violence are evicted after calling the police",
            "landlords threaten tenants who complain about repairs",
        ),
        (
            ("liaison", "bring the rental licensing inspector to a future meeting"),
            ("police", "review the crime-free housing notices sent to landlords"),
        ),
        (
            (
                "Can a landlord evict a tenant for calling 911?",
                (
                    "State law protects tenants who call for police help in an emergency, "
                    "including victims of abuse."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "protests-public-order",
        "preparations for the high-profile trial",
        (
            (
                "The department shared its plans for the weeks around the upcoming high-profile "
                "trial in Minneapolis."
            ),
            (
                "Emergency preparedness for possible civil unrest was discussed, including how the "
                "city will reach residents."
            ),
            (
                "Members reviewed what happened during last summer's unrest and what the city "
                "learned."
            ),
        ),
        (
            (
                "Businesses on {street} were encouraged to make plans but not to board up unless "
                "needed."
            ),
            "If a curfew is ordered, alerts go out in several languages.",
        ),
        (
            "business owners on {street} are still recovering from the damage of the last unrest",
            "the community does not want to see armored vehicles in its neighborhoods again",
        ),
        (
            ("chief", "meet with business owners on {street} before the trial begins"),
            ("members", "help share accurate information in their communities"),
        ),
        (
            (
                "Will there be a curfew?",
                (
                    "Only if the mayor declares one; notice would go out by text alert, television "
                    "and social media."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "protests-public-order",
        "protests and demonstrations",
        (
            "A peaceful protest outside the police department on {past_date} was discussed.",
            (
                "The department's policy for policing demonstrations was explained, including the "
                "use of chemical irritants."
            ),
            "Members asked how officers handle protests that block streets.",
        ),
        (
            (
                "Officers manage traffic to protect the march; arrests were made only for property "
                "damage."
            ),
            "Under current policy, tear gas is not used on peaceful crowds.",
        ),
        (
            "protesters were treated differently depending on who they were",
            "marching families were frightened by officers in riot gear",
        ),
        (
            ("police", "share the crowd management policy with members"),
            ("chair", "invite protest organizers to speak at a future meeting"),
        ),
        (
            (
                "Do people need a permit to protest?",
                "Only to close a street for a march; a gathering on a sidewalk needs no permit.",
            ),
        ),
    ),
)

_GOVERNANCE: tuple[DiscussionItem, ...] = (
    DiscussionItem(
        "committee-business",
        "the committee's bylaws",
        (
            (
                "The draft changes to the committee's bylaws were reviewed, including term limits "
                "for members."
            ),
            "The bylaws subcommittee presented its recommendations on quorum and attendance.",
            (
                "Members discussed whether the bylaws should allow people who work or worship in "
                "{city}, but do not live there, to serve."
            ),
        ),
        (
            "The bylaws require two readings before a vote.",
            "The current bylaws set quorum at half of the members plus one.",
        ),
        (),
        (
            ("chair", "send the final draft of the bylaws to members before the next meeting"),
            ("members", "bring their comments on the bylaws to the next meeting"),
        ),
        (
            (
                "Can members vote by e-mail?",
                "No; under the bylaws, votes are taken at a meeting with a quorum.",
            ),
        ),
    ),
    DiscussionItem(
        "committee-business",
        "the work plan and annual report",
        (
            (
                "The committee's work plan for next year was discussed, with three priorities: "
                "youth, traffic stops and language access."
            ),
            "The draft annual report to the city council was reviewed.",
            "Members reviewed progress on this year's work plan goals.",
        ),
        (
            "The annual report goes to the city council in {next_month}.",
            "Two of the four work plan goals are complete.",
        ),
        (),
        (
            ("liaison", "update the draft annual report with members' comments"),
            ("members", "send their suggestions for work plan priorities to the chair"),
        ),
        (
            (
                "Who writes the annual report?",
                "The liaison prepares a draft, and the committee approves it.",
            ),
        ),
    ),
    DiscussionItem(
        "committee-business",
        "membership and elections",
        (
            (
                "Nominations for chair and vice chair were opened; the election is set for the "
                "{next_month} meeting."
            ),
            (
                "Membership was discussed: there are {n} open seats, and the committee would like "
                "more youth and Karen members."
            ),
            (
                "Two applications for membership were reviewed and forwarded to the city council "
                "for appointment."
            ),
        ),
        (
            "Members whose terms end this year may apply again.",
            "Members who miss three meetings in a row are contacted by the chair.",
        ),
        (),
        (
            ("members", "reach out to possible new members in their communities"),
            ("liaison", "post the membership application on the city website"),
        ),
        (
            (
                "How long is a member's term?",
                "Terms are three years, and members can serve two terms.",
            ),
        ),
    ),
    DiscussionItem(
        "committee-business",
        "how the committee meets",
        (
            (
                "Members discussed whether to keep meeting online or return to in-person meetings "
                "at city hall."
            ),
            "A new meeting time was proposed because several members work evenings.",
            (
                "The orientation for new members was held before the meeting and covered the open "
                "meeting law and the committee's role."
            ),
        ),
        (
            "Hybrid meetings are possible in the council chambers with the new video system.",
            "The open meeting law requires meetings to be posted in advance and open to all.",
        ),
        (),
        (
            ("liaison", "survey members about the best meeting day and time"),
            ("chair", "bring a proposal for hybrid meetings to the next meeting"),
        ),
        (
            (
                "Can members attend from home?",
                "Yes, under the hybrid rules, as long as the location is posted.",
            ),
        ),
    ),
    DiscussionItem(
        "policy-reform",
        "the department's policy review",
        (
            (
                "The department's progress on the recommendations of the 21st Century Policing "
                "report was reviewed."
            ),
            (
                "{chief} presented the policy review schedule; members will be asked for input on "
                "several policies this year."
            ),
            (
                "Members discussed the accreditation process and the outside review of the policy "
                "manual."
            ),
        ),
        (
            (
                "All policies are posted online, and the public can comment during the review "
                "period."
            ),
            "Most recommendations related to community policing are complete.",
        ),
        (
            "policy changes happen without community input",
            "the policy manual is hard to read for people outside the department",
        ),
        (
            ("chief", "share a schedule of the policies under review this year"),
            ("members", "choose two policies the committee wants to review first"),
        ),
        (
            (
                "How often are policies updated?",
                "Each policy is reviewed at least every two years, or sooner when laws change.",
            ),
        ),
    ),
    DiscussionItem(
        "policy-reform",
        "state police reform laws",
        (
            (
                "New state police reform laws were discussed, including limits on no-knock "
                "warrants and a ban on warrior-style training."
            ),
            "The state licensing board's new standards of conduct for officers were explained.",
            "Changes in state law about warrants and vehicle pursuits were presented.",
        ),
        (
            "Officers may not belong to hate or extremist groups under the new licensing rules.",
            "Vehicle pursuits are now limited to serious crimes.",
        ),
        (
            "the public is not told how the new laws are being followed",
            "no-knock warrants put families and children at risk",
        ),
        (
            ("police", "report how many no-knock warrants were requested this year"),
            ("police", "bring the updated pursuit policy to a future meeting"),
        ),
        (
            (
                "Does the department still use no-knock warrants?",
                "Only with a judge's approval and in rare cases involving danger to others.",
            ),
        ),
    ),
    DiscussionItem(
        "community-trust",
        "the community survey on trust",
        (
            (
                "The community survey showed that {trustpct} percent of residents trust the "
                "department, with lower numbers among renters and young adults."
            ),
            (
                "Members discussed how to build trust in communities where people had bad "
                "experiences with police in their home countries."
            ),
            (
                "A listening session on police-community relations was held at {venue}, with about "
                "{nn} residents attending."
            ),
        ),
        (
            (
                "Residents who had contact with an officer rated the department higher than those "
                "who had not."
            ),
            "Many residents said they want to see officers outside of emergencies.",
        ),
        (
            "some communities will not trust the police until they see real change",
            "young people say officers do not know them and do not greet them",
        ),
        (
            ("police", "share the full survey results with members"),
            ("chair", "plan a listening session in a neighborhood with low survey scores"),
        ),
        (
            (
                "How was the survey done?",
                (
                    "A random sample of households was mailed, with online and phone options in "
                    "several languages."
                ),
            ),
        ),
    ),
    DiscussionItem(
        "community-trust",
        "building relationships",
        (
            (
                "{chief} introduced the {n} newest officers, who shared where they grew up and why "
                "they joined."
            ),
            (
                "Members talked about what trust means in their communities and what the "
                "department could do differently."
            ),
            (
                "The department's new community engagement team, assigned to work with cultural "
                "communities, was introduced."
            ),
        ),
        (
            "Officers on the team attend events, visit places of worship and meet with leaders.",
            (
                "Members thanked the department for how officers handled the recent funeral "
                "procession."
            ),
        ),
        (
            "the same officers always come to events, and patrol officers never do",
            "people still feel fear when they see a squad car",
        ),
        (
            ("police", "have new officers attend a committee meeting in their first year"),
            ("members", "invite officers to gatherings in their communities"),
        ),
        (
            (
                "How can residents meet the officers who patrol their neighborhood?",
                (
                    "Each sector has an assigned sergeant, and residents can ask to meet them "
                    "through the liaison."
                ),
            ),
        ),
    ),
)

DISCUSSION_ITEMS: tuple[DiscussionItem, ...] = (
    _TRAFFIC
    + _YOUTH_HEALTH
    + _CAMERAS_OVERSIGHT
    + _COMMUNITIES
    + _TRAINING_EVENTS
    + _CRIME
    + _SOCIETY
    + _GOVERNANCE
)

# --------------------------------------------------------------------------------------------
# Small pools: places, people, procedure and framing sentences.
# --------------------------------------------------------------------------------------------

STREETS: tuple[str, ...] = (
    "Elm Street", "66th Street", "Portland Avenue", "Nicollet Avenue", "Lyndale Avenue",
    "Penn Avenue", "Bass Lake Road", "Xerxes Avenue", "Cedar Lake Road", "Excelsior Boulevard",
    "Brooklyn Boulevard", "Zane Avenue", "Winnetka Avenue", "France Avenue", "Boone Avenue",
    "Douglas Drive", "42nd Avenue", "Oak Street", "Maple Lane", "Shingle Creek Parkway",
    "Humboldt Avenue", "Minnetonka Boulevard", "West 36th Street", "Louisiana Avenue",
)  # fmt: skip

SCHOOLS: tuple[str, ...] = (
    "Lincoln Elementary", "Kennedy High School", "Valley View Middle School", "Park Center High",
    "Sheridan Hills Elementary", "Cedar Ridge Middle School", "Meadowbrook Elementary",
    "Northport Elementary", "the Hillside charter school", "Oak View Middle School",
)  # fmt: skip

PARKS: tuple[str, ...] = (
    "Veterans Park", "Central Park", "Shingle Creek Park", "Lions Park", "Bassett Creek Park",
    "Rosland Park", "Oak Grove Park", "Riverside Park", "Wood Lake", "Cedarwood Park",
)  # fmt: skip

BUSINESSES: tuple[str, ...] = (
    "the Cub Foods parking lot", "the gas station at 66th and Lyndale", "the light rail station",
    "the strip mall on Bass Lake Road", "the dollar store plaza", "the transit center",
    "the Sunrise Market", "the Southtown shopping center", "the halal market plaza",
    "the apartment complex on 76th Street", "the Brookdale shops", "the bowling alley",
)  # fmt: skip

VENUES: tuple[str, ...] = (
    "the public library", "the community center", "the Islamic center", "St. Mary's church hall",
    "the Hmong cultural center", "the senior center", "the high school cafeteria",
    "the Karen Baptist church", "the Latino grocery on the corner", "the VFW hall",
)  # fmt: skip

LOCATIONS: tuple[str, ...] = (
    "{city} City Hall, Council Chambers, {address}",
    "{city} Police Department, Community Room",
    "{city} Community Center, Room 104, {address}",
    "{city} Public Library, Meeting Room B",
    "Online (Microsoft Teams)",
    "{city} Police Department, Training Room, {address}, and online",
)

# (first names, last names) per community, so invented guests have plausible names.
CULTURES: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (("Hodan", "Abdirahman", "Fadumo", "Mohamed", "Ifrah", "Yusuf", "Sahra"),
     ("Warsame", "Hassan", "Abdi", "Farah", "Osman", "Jama")),
    (("María", "José", "Guadalupe", "Luis", "Rosa", "Carlos", "Marisol"),
     ("García", "Hernández", "Morales", "Reyes", "Castillo", "Ramírez")),
    (("Pa Nhia", "Tou", "Mai Yer", "Cheng", "Kou", "Nou"),
     ("Vang", "Xiong", "Lor", "Yang", "Thao")),
    (("Thanh", "Linh", "Minh", "Huong", "Duc"), ("Nguyen", "Tran", "Pham", "Le")),
    (("Paw Htoo", "Eh Say", "Naw Mu", "Saw Lah"), ("Htoo", "Moo", "Paw", "Soe")),
    (("Chaltu", "Abebe", "Tigist", "Dawit", "Lensa"), ("Tadesse", "Bekele", "Gemechu", "Alemu")),
    (("Darnell", "Keisha", "Tamika", "Jamal", "Andre", "Latoya"),
     ("Jackson", "Williams", "Johnson", "Brooks", "Harris")),
    (("Olga", "Erik", "Ingrid", "Karen", "Dale", "Kristin"),
     ("Lindgren", "Olson", "Kowalski", "Berg", "Halvorson")),
    (("Priya", "Arjun", "Fatima", "Omar", "Layla"), ("Patel", "Shah", "Haddad", "Khan")),
    (("Wanjiru", "Kofi", "Aisha", "Samuel", "Grace"), ("Mwangi", "Mensah", "Okonkwo", "Kamara")),
)  # fmt: skip

MONTHS: tuple[str, ...] = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip
WEEKDAYS: tuple[str, ...] = (
    "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday",
)  # fmt: skip
ORDINALS: tuple[str, ...] = ("first", "second", "third", "fourth", "fifth")
ROMAN: tuple[str, ...] = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI")
START_TIMES: tuple[tuple[int, int], ...] = ((18, 0), (18, 30), (19, 0), (17, 30), (18, 30))

LEADS: tuple[str, ...] = (
    "{speaker} gave an update on {subject}.",
    "{speaker} reported on {subject}.",
    "{speaker} led the discussion of {subject}.",
    "{speaker} presented on {subject}.",
    "",
    "",
)

CONCERN_FRAMES: tuple[str, ...] = (
    "Residents on {street} say {c}.",
    "{member} shared that {c}.",
    "{member} raised a concern that {c}.",
    "A member asked about reports that {c}.",
    "Members noted that {c}.",
    "{member} said people in their community feel that {c}.",
    "Neighbors near {business} report that {c}.",
    "Residents of {address} say {c}.",
    "{member} relayed a concern from residents that {c}.",
)

ACTION_FRAMES: tuple[str, ...] = (
    "{owner} will {vp}.",
    "{owner} will {vp}.",
    "{owner} agreed to {vp}.",
    "{owner} is working to {vp}.",
    "{owner} said they will {vp}.",
)

PUBLIC_FRAMES: tuple[str, ...] = (
    "{guest}, who lives on {street}, said {c}.",
    "{guest} spoke about {subject} and said {c}.",
    "{guest} asked the committee to look into reports that {c}.",
    "{guest}, a business owner on {street}, told the committee that {c}.",
    "{guest} thanked officers for their help last month but said {c}.",
)

NO_PUBLIC_COMMENT: tuple[str, ...] = (
    "No members of the public were present.",
    "None.",
    "There was no public comment.",
)

CALL_FRAMES: tuple[str, ...] = (
    "Chair {last} called the meeting to order at {time}.",
    "The meeting was called to order at {time} by {chair}.",
    "{chair} welcomed everyone and opened the meeting at {time}; members introduced themselves.",
    "Meeting called to order at {time}.",
)

AGENDA_FRAMES: tuple[str, ...] = (
    "{m1} moved to approve the agenda; {m2} seconded. Motion carried unanimously.",
    "The agenda was approved as presented.",
    "Motion to approve the agenda with the addition of a police update ({m1}/{m2}). Approved.",
)

MINUTES_FRAMES: tuple[str, ...] = (
    "The minutes of {prev} were approved as written (motion {m1}, second {m2}).",
    (
        "{m1} moved to approve the {prev} minutes with one correction to the spelling of a name; "
        "{m2} seconded; approved."
    ),
    "Approval of the {prev} minutes was moved by {m1} and seconded by {m2}. All in favor.",
    "Minutes from the {prev} meeting were approved by consensus.",
)

NEXT_FRAMES: tuple[str, ...] = (
    "Next meeting: {date}, {time}, {location}.",
    "The next regular meeting is {date} at {time} ({rule}).",
    "Next meeting is scheduled for {date} at {time}.",
    "Next meeting: {date} ({rule}), {time}.",
)

ADJOURN_FRAMES: tuple[str, ...] = (
    "{m1} moved to adjourn; {m2} seconded. The meeting adjourned at {time}.",
    "Meeting adjourned at {time}.",
    "With no further business, {chair} adjourned the meeting at {time}.",
    "Motion to adjourn by {m1}, second by {m2}; approved. Adjourned {time}.",
)

ANNOUNCEMENTS: tuple[str, ...] = (
    (
        "The Safety Fair Golf Outing, a fundraiser for the police explorer post, is {date} at the "
        "city golf course; foursomes can sign up at the front desk."
    ),
    (
        "Registration for the Safety Fair Golf Outing closes {date}; proceeds support youth "
        "scholarships."
    ),
    "The library is hosting a free job fair on {date}.",
    "The Juneteenth celebration at {park} is {date}, from noon to 6 p.m.",
    "The Somali Independence Day festival is {date} at {park}.",
    "The fire department's open house is {date}.",
    "The Police Foundation pancake breakfast is {date} at the VFW hall; tickets are $8.",
    "Free tax preparation help is available at {venue} on Saturdays through April.",
    "The city's Fourth of July parade needs volunteers; sign up at {phone}.",
    "Members are encouraged to attend the city council work session on {date}.",
    "A blood drive is scheduled at {venue} on {date}.",
    "The Eid community dinner is {date} at {venue}; officers are invited.",
    "The Día de los Muertos celebration at {venue} is {date}.",
    "Nominations for the Community Partner Award are due {date}.",
    "Call {phone} to reserve a seat at the senior lunch on {date}.",
    "The county's Crime Prevention Fund golf tournament is {date}; ask the liaison for details.",
)

LETTERHEADS: tuple[str, ...] = (
    "CITY OF {city_upper} POLICE DEPARTMENT Page {k} of {pages}",
    "{city} Police Department {address} {phone} Page {k} of {pages}",
    "{committee_upper} MINUTES {date} Page {k}",
    "Page {k} of {pages} {committee} Minutes {date}",
)

# Words that the OCR of a scanned PDF may break ("neigh- borhood", "commu nity").
BREAKABLE: frozenset[str] = frozenset(
    {
        "neighborhood", "community", "department", "residents", "discussion", "information",
        "enforcement", "committee", "officers", "presented", "meeting", "investigation",
        "interpreter", "statistics", "following", "program", "training", "reported",
        "communities", "neighbors", "approximately", "available", "immigration", "citations",
    }
)  # fmt: skip

# (top bullet, sub bullet, third-level bullet, alternate bullet)
BULLET_SETS: tuple[tuple[str, str, str, str], ...] = (
    ("●", "o", "-", "•"),
    ("•", "o", "-", "●"),
)

# --------------------------------------------------------------------------------------------
# Meeting context and resolved discussions.
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Ctx:
    rng: random.Random
    city: str
    committee: str
    date: dt.date
    start: dt.datetime
    tstyle: int
    location: str
    chair: str
    members: tuple[str, ...]
    police: tuple[str, ...]
    police_present: tuple[str, ...]
    staff: tuple[str, ...]
    absent: tuple[str, ...]
    guests: tuple[str, ...]
    chief: str
    excluded: frozenset[str] = frozenset()  # topics the meeting does not discuss at all


@dataclass(frozen=True)
class _Discussion:
    item: DiscussionItem
    speaker: str
    opening: str
    details: tuple[str, ...]
    concern: str
    clause: str
    action: str
    owner: str
    vp: str
    qa: tuple[str, str]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _last(name: str) -> str:
    return name.split()[-1] if name.split() else name


def _label(entry: RosterEntry) -> str:
    return f"{entry.title or 'Officer'} {_last(entry.name)}"


def _full_label(entry: RosterEntry) -> str:
    return f"{entry.title or 'Officer'} {entry.name}"


def _fmt_date(rng: random.Random, d: dt.date) -> str:
    month, weekday = MONTHS[d.month - 1], WEEKDAYS[d.weekday()]
    style = rng.randrange(6)
    if style == 0:
        return f"{d.month}/{d.day}/{d.year}"
    if style == 1:
        return f"{weekday[:3]}. {d.month}-{d.day}-{d.year % 100:02d}"
    if style == 2:
        return f"{month} {d.day}, {d.year}"
    if style == 3:
        return f"{weekday}, {month} {d.day}, {d.year}"
    if style == 4:
        return d.isoformat()
    return f"{month[:3]} {d.day}, {d.year}"


def _fmt_time(style: int, moment: dt.datetime) -> str:
    hour = moment.hour % 12 or 12
    pm = moment.hour >= 12
    suffix = (("a.m.", "AM", "am"), ("p.m.", "PM", "pm"))[pm][style]
    return f"{hour}:{moment.minute:02d}{'' if style == 2 else ' '}{suffix}"


def _next_meeting_date(day: dt.date) -> dt.date:
    """Same weekday and week of the month, one month later (last such weekday if none)."""
    nth = (day.day - 1) // 7
    first = (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)
    offset = (day.weekday() - first.weekday()) % 7
    candidate = first + dt.timedelta(days=offset + 7 * nth)
    if candidate.month != first.month:
        candidate -= dt.timedelta(days=7)
    return candidate


def _phone(rng: random.Random) -> str:
    area = rng.choice(("612", "763", "952"))
    line = f"555-01{rng.randint(0, 99):02d}"
    return f"({area}) {line}" if rng.random() < 0.5 else f"{area}-{line}"


def _address(rng: random.Random) -> str:
    number = rng.randint(12, 98) * 100 + rng.choice((0, 1, 5, 7, 25, 40, 61))
    return f"{number} {rng.choice(STREETS)}"


def _city_address(city: str) -> str:
    """The same street address for a city's buildings in every document."""
    digest = zlib.crc32(city.encode())
    return f"{(digest % 87 + 12) * 100 + digest % 7 * 5} {STREETS[digest % len(STREETS)]}"


def _guests(rng: random.Random) -> tuple[str, ...]:
    names: list[str] = []
    for _ in range(rng.choice((0, 0, 1, 1, 2, 3))):
        firsts, lasts = rng.choice(CULTURES)
        names.append(f"{rng.choice(firsts)} {rng.choice(lasts)}")
    return tuple(dict.fromkeys(names))


def _build_ctx(
    rng: random.Random,
    city: str,
    committee: str,
    meeting_date: dt.date,
    roster: Sequence[RosterEntry],
    present: Sequence[str],
) -> _Ctx:
    known = {entry.name: entry for entry in roster}
    here = [known.get(name, RosterEntry(name, "member", None)) for name in present]
    cops = [e for e in here if e.role == "police"]
    speakers = cops or [e for e in roster if e.role == "police"]
    chiefs = [e for e in roster if e.role == "police" and e.title == "Chief"]
    hour, minute = rng.choice(START_TIMES)
    start = dt.datetime.combine(meeting_date, dt.time(hour, minute))
    return _Ctx(
        rng=rng,
        city=city,
        committee=committee,
        date=meeting_date,
        start=start,
        tstyle=rng.randrange(3),
        location=rng.choice(LOCATIONS).format(city=city, address=_city_address(city)),
        chair=next((e.name for e in here if e.role == "chair"), ""),
        members=tuple(e.name for e in here if e.role in ("chair", "member")),
        police=tuple(_label(e) for e in speakers),
        police_present=tuple(_full_label(e) for e in cops),
        staff=tuple(e.name for e in here if e.role == "liaison"),
        absent=tuple(e.name for e in roster if e.name not in set(present)),
        guests=_guests(rng),
        chief=_label(chiefs[0]) if chiefs else "the chief",
    )


def _values(ctx: _Ctx) -> dict[str, str]:
    rng, day = ctx.rng, ctx.date
    return {
        "city": ctx.city,
        "street": rng.choice(STREETS),
        "school": rng.choice(SCHOOLS),
        "park": rng.choice(PARKS),
        "business": rng.choice(BUSINESSES),
        "venue": rng.choice(VENUES),
        "address": _address(rng),
        "phone": _phone(rng),
        "n": str(rng.randint(2, 9)),
        "nn": str(rng.randint(11, 60)),
        "pct": str(rng.randint(4, 28)),
        "speed": str(rng.randint(37, 49)),
        "stops": str(rng.randint(140, 520)),
        "calls": f"{rng.randint(1700, 4300):,}",
        "trustpct": str(rng.randint(58, 84)),
        "month": MONTHS[(day.month - 2) % 12],
        "next_month": MONTHS[day.month % 12],
        "date": _fmt_date(rng, day + dt.timedelta(days=rng.randint(6, 40))),
        "past_date": _fmt_date(rng, day - dt.timedelta(days=rng.randint(3, 20))),
        "chief": ctx.chief,
    }


def _fill(template: str, values: dict[str, str]) -> str:
    return _cap(template.format_map(values))


def _member_ref(ctx: _Ctx) -> str:
    rng = ctx.rng
    if not ctx.members:
        return "A member"
    name = rng.choice(ctx.members)
    if name == ctx.chair and rng.random() < 0.5:
        return f"Chair {_last(name)}"
    if "ommission" in ctx.committee and rng.random() < 0.6:
        return f"Commissioner {_last(name)}"
    return name


def _two_members(ctx: _Ctx) -> tuple[str, str]:
    if len(ctx.members) < 2:
        return "a member", "another member"
    first, second = ctx.rng.sample(ctx.members, 2)
    return first, second


def _chair_ref(ctx: _Ctx) -> str:
    return f"Chair {_last(ctx.chair)}" if ctx.chair else "the chair"


def _speaker_for(ctx: _Ctx, item: DiscussionItem) -> str:
    if item.topic == "committee-business":
        options = [_chair_ref(ctx)] + [f"Liaison {_last(name)}" for name in ctx.staff]
        return _cap(ctx.rng.choice(options))
    return ctx.rng.choice(ctx.police) if ctx.police else "Police staff"


def _owner(ctx: _Ctx, kind: str, speaker: str) -> str:
    rng = ctx.rng
    if kind == "police":
        return speaker if rng.random() < 0.8 else "The department"
    if kind == "chief":
        return _cap(ctx.chief)
    if kind == "liaison":
        named = [f"Liaison {_last(name)}" for name in ctx.staff]
        return rng.choice([*named, *named, "Staff", "The liaison"])
    if kind == "chair":
        return _cap(_chair_ref(ctx))
    return rng.choice(("Members", "The committee", _member_ref(ctx)))


def _concern(ctx: _Ctx, item: DiscussionItem, values: dict[str, str]) -> tuple[str, str]:
    rng = ctx.rng
    if not item.concerns or rng.random() < 0.2:
        return "", ""
    clause = item.concerns[rng.randrange(len(item.concerns))].format_map(values)
    frame = rng.choice(CONCERN_FRAMES)
    sentence = frame.format(
        c=clause, member=_member_ref(ctx), street=values["street"], address=values["address"],
        business=rng.choice(BUSINESSES),
    )  # fmt: skip
    return _cap(sentence), clause


def _action(
    ctx: _Ctx, item: DiscussionItem, values: dict[str, str], speaker: str
) -> tuple[str, str, str]:
    rng = ctx.rng
    if rng.random() < 0.15:
        return "", "", ""
    kind, phrase = rng.choice(item.actions)
    verb_phrase = phrase.format_map(values)
    owner = _owner(ctx, kind, speaker)
    frame = rng.choice(ACTION_FRAMES)
    if owner == "Members":
        frame = rng.choice(("Members are asked to {vp}.", "Members will {vp}."))
    return frame.format(owner=owner, vp=verb_phrase), owner, verb_phrase


def _resolve(ctx: _Ctx, item: DiscussionItem) -> _Discussion:
    rng = ctx.rng
    values = _values(ctx)
    speaker = _speaker_for(ctx, item)
    opening = _fill(rng.choice(item.openings), values)
    count = rng.randint(0, len(item.details))
    details = tuple(_fill(text, values) for text in rng.sample(item.details, count))
    concern, clause = _concern(ctx, item, values)
    action, owner, verb_phrase = _action(ctx, item, values, speaker)
    question, answer = rng.choice(item.qa)
    return _Discussion(
        item, speaker, opening, details, concern, clause, action, owner, verb_phrase,
        (_fill(question, values), _fill(answer, values)),
    )  # fmt: skip


# --------------------------------------------------------------------------------------------
# Procedure: call to order, roll call, approvals, public comment, announcements, adjournment.
# --------------------------------------------------------------------------------------------


def _time_at(ctx: _Ctx, minutes: int) -> str:
    return _fmt_time(ctx.tstyle, ctx.start + dt.timedelta(minutes=minutes))


def _call_to_order(ctx: _Ctx) -> str:
    rng = ctx.rng
    frame = rng.choice(CALL_FRAMES) if ctx.chair else CALL_FRAMES[-1]
    time = _time_at(ctx, rng.randint(0, 6))
    return frame.format(chair=ctx.chair, last=_last(ctx.chair), time=time)


def _roll_call(ctx: _Ctx) -> list[str]:
    rng = ctx.rng
    word = "Commissioners" if "ommission" in ctx.committee else "Members"
    lines = [f"{rng.choice(('Present', word + ' present'))}: {', '.join(ctx.members) or 'none'}"]
    if ctx.police_present:
        label = rng.choice(("Police", "Police department", "Also present"))
        lines.append(f"{label}: {', '.join(ctx.police_present)}")
    if ctx.staff:
        lines.append("Staff: " + ", ".join(f"{name} (community liaison)" for name in ctx.staff))
    absent = ", ".join(ctx.absent) or "none"
    lines.append(f"{rng.choice(('Absent', 'Excused', 'Absent/excused'))}: {absent}")
    if ctx.guests:
        lines.append("Guests: " + ", ".join(ctx.guests))
    return lines


def _approvals(ctx: _Ctx) -> list[str]:
    rng = ctx.rng
    prev = ctx.date - dt.timedelta(days=rng.choice((28, 35)))
    m1, m2 = _two_members(ctx)
    agenda = rng.choice(AGENDA_FRAMES).format(m1=m1, m2=m2)
    minutes = rng.choice(MINUTES_FRAMES).format(m1=m1, m2=m2, prev=_fmt_date(rng, prev))
    return [_cap(agenda), _cap(minutes)]


def _public_comment(ctx: _Ctx) -> list[str]:
    rng = ctx.rng
    if not ctx.guests:
        return [rng.choice(NO_PUBLIC_COMMENT)]
    lines: list[str] = []
    allowed = [item for item in _WITH_CONCERNS if item.topic not in ctx.excluded]
    for guest in ctx.guests:
        item = rng.choice(allowed)
        values = _values(ctx)
        clause = rng.choice(item.concerns).format_map(values)
        frame = rng.choice(PUBLIC_FRAMES)
        lines.append(
            frame.format(guest=guest, c=clause, subject=item.subject, street=values["street"])
        )
    if ctx.police and rng.random() < 0.6:
        first = ctx.guests[0].split()[0]
        lines.append(f"{rng.choice(ctx.police)} offered to speak with {first} after the meeting.")
    return lines


def _announcements(ctx: _Ctx) -> list[str]:
    rng = ctx.rng
    chosen = [_fill(text, _values(ctx)) for text in rng.sample(ANNOUNCEMENTS, rng.randint(1, 3))]
    if ctx.staff and rng.random() < 0.35:
        contact = f"{ctx.staff[0]}, community liaison, at {_phone(rng)}"
        chosen.append(f"Agenda items for next month can be sent to {contact}.")
    return chosen


def _next_meeting(ctx: _Ctx) -> str:
    rng = ctx.rng
    nxt = _next_meeting_date(ctx.date)
    ordinal = ORDINALS[min((ctx.date.day - 1) // 7, 4)]
    rule = f"{ordinal} {WEEKDAYS[ctx.date.weekday()]} of the month"
    return rng.choice(NEXT_FRAMES).format(
        date=_fmt_date(rng, nxt), time=_fmt_time(ctx.tstyle, ctx.start), rule=rule,
        location=ctx.location,
    )  # fmt: skip


def _adjourn(ctx: _Ctx) -> str:
    rng = ctx.rng
    m1, m2 = _two_members(ctx)
    frame = rng.choice(ADJOURN_FRAMES)
    text = frame.format(
        m1=m1, m2=m2, chair=_chair_ref(ctx), time=_time_at(ctx, rng.randint(62, 128))
    )
    return _cap(text)


def _lead(ctx: _Ctx, disc: _Discussion) -> str:
    return ctx.rng.choice(LEADS).format(speaker=disc.speaker, subject=disc.item.subject)


def _paragraph(ctx: _Ctx, disc: _Discussion, *, followups: bool = True) -> str:
    lead = "" if disc.speaker in disc.opening else _lead(ctx, disc)
    parts = [lead, disc.opening, *disc.details]
    if followups:
        parts += [disc.concern, disc.action]
    return " ".join(part for part in parts if part)


def _split(discs: Sequence[_Discussion]) -> tuple[list[_Discussion], list[_Discussion]]:
    """Police reports first; the rest (and the committee's own business) after."""
    business = [d for d in discs if d.item.topic == "committee-business"]
    rest = [d for d in discs if d.item.topic != "committee-business"]
    half = (len(rest) + 1) // 2
    return rest[:half], rest[half:] + business


def _letter(index: int) -> str:
    return "abcdefghijklmnopqrstuvwxyz"[index % 26]


def _title(ctx: _Ctx) -> str:
    return f"{ctx.committee} – {ctx.rng.choice(('Minutes', 'Meeting Minutes', 'Regular Meeting'))}"


# --------------------------------------------------------------------------------------------
# Shapes.
# --------------------------------------------------------------------------------------------

_WITH_CONCERNS: tuple[DiscussionItem, ...] = tuple(i for i in DISCUSSION_ITEMS if i.concerns)


def _numbered_items(ctx: _Ctx, discs: Sequence[_Discussion]) -> list[str]:
    lines: list[str] = []
    for index, disc in enumerate(discs):
        lines.append(f"   {_letter(index)}. {_cap(disc.item.subject)}")
        lines.append("      " + _paragraph(ctx, disc, followups=False))
        subs = [text for text in (disc.concern, disc.action) if text]
        lines += [f"      {ROMAN[j].lower()}. {text}" for j, text in enumerate(subs)]
    return lines or ["   None."]


def _render_numbered(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    rng = ctx.rng
    police, other = _split(discs)
    lines = [_title(ctx), _fmt_date(rng, ctx.date), ctx.location, ""]
    lines += ["1. Call to order", f"   {_call_to_order(ctx)}", "2. Roll call"]
    lines += [f"   {_letter(i)}. {text}" for i, text in enumerate(_roll_call(ctx))]
    lines.append("3. Approval of agenda and minutes")
    lines += [f"   {_letter(i)}. {text}" for i, text in enumerate(_approvals(ctx))]
    lines += ["4. Police department report", *_numbered_items(ctx, police)]
    lines += ["5. Committee discussion", *_numbered_items(ctx, other)]
    lines += ["6. Public comment", *(f"   {text}" for text in _public_comment(ctx))]
    lines.append("7. Announcements")
    lines += [f"   {_letter(i)}. {text}" for i, text in enumerate(_announcements(ctx))]
    lines += ["8. Next meeting", f"   {_next_meeting(ctx)}"]
    lines += ["9. Adjournment", f"   {_adjourn(ctx)}"]
    return "\n".join(lines)


def _render_roman(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    police, other = _split(discs)
    middle = len(other) // 2
    sections: list[tuple[str, list[str]]] = [
        ("Call to Order", [_call_to_order(ctx)]),
        ("Roll Call", _roll_call(ctx)),
        ("Approval of Agenda and Minutes", [" ".join(_approvals(ctx))]),
        ("Police Department Update", [_paragraph(ctx, d) for d in police] or ["None."]),
        ("Old Business", [_paragraph(ctx, d) for d in other[:middle]] or ["None."]),
        ("New Business", [_paragraph(ctx, d) for d in other[middle:]] or ["None."]),
        ("Public Comment", _public_comment(ctx)),
        ("Announcements", _announcements(ctx)),
        ("Adjournment", [_next_meeting(ctx), _adjourn(ctx)]),
    ]
    lines = [ctx.committee.upper(), _fmt_date(ctx.rng, ctx.date), ctx.location]
    for number, (heading, body) in enumerate(sections):
        lines += ["", f"{ROMAN[number]}. {heading}", *body]
    return "\n".join(lines)


def _bullet_item(disc: _Discussion, marks: tuple[str, str, str, str]) -> list[str]:
    top, sub, low, _ = marks
    lines = [f"{top} {_cap(disc.item.subject)} ({disc.speaker})"]
    lines += [f"   {sub} {text}" for text in (disc.opening, *disc.details)]
    if disc.concern:
        lines.append(f"      {low} {disc.concern}")
    return lines


def _render_bullets(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    rng = ctx.rng
    marks = rng.choice(BULLET_SETS)
    top, alt = marks[0], marks[3]
    when = f"{_fmt_date(rng, ctx.date)} | {_fmt_time(ctx.tstyle, ctx.start)}"
    lines = [_title(ctx), f"{when} | {ctx.location}", "", "Attendance"]
    lines += [f"{top} {text}" for text in _roll_call(ctx)]
    lines += ["", "Opening", f"{top} {_call_to_order(ctx)}"]
    lines += [f"{top} {text}" for text in _approvals(ctx)]
    lines += ["", rng.choice(("Updates and discussion", "Reports", "Discussion items"))]
    for disc in discs:
        lines += _bullet_item(disc, marks)
    lines += ["", "Public comment", *(f"{top} {text}" for text in _public_comment(ctx))]
    lines += ["", "Announcements", *(f"{alt} {text}" for text in _announcements(ctx))]
    steps = [f"- {disc.action}" for disc in discs if disc.action] or ["- None recorded."]
    lines += ["", "Next steps", *steps]
    lines += ["", f"{alt} {_next_meeting(ctx)}", f"{alt} {_adjourn(ctx)}"]
    return "\n".join(lines)


def _qa_pairs(ctx: _Ctx, discs: Sequence[_Discussion]) -> list[str]:
    rng = ctx.rng
    lines: list[str] = []
    for disc in discs:
        question, answer = disc.qa
        lines.append(f"Q: {question}")
        lines.append(f"A: ({disc.speaker}) {answer}" if rng.random() < 0.3 else f"A: {answer}")
    return lines


def _render_qa(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    rng = ctx.rng
    lines = [_title(ctx), f"Date: {_fmt_date(rng, ctx.date)}"]
    lines += [f"Time: {_fmt_time(ctx.tstyle, ctx.start)}", f"Location: {ctx.location}", ""]
    lines += [*_roll_call(ctx), "", " ".join([_call_to_order(ctx), *_approvals(ctx)]), ""]
    lines += ["Presentations", *(_paragraph(ctx, d, followups=False) for d in discs), ""]
    lines += [rng.choice(("Questions and answers", "Q&A")), *_qa_pairs(ctx, discs)]
    concerns = [disc.concern for disc in discs if disc.concern]
    if concerns:
        lines += ["", "Concerns raised", *concerns]
    lines += ["", "Public comment", *_public_comment(ctx)]
    actions = [disc.action for disc in discs if disc.action]
    if actions:
        lines += ["", rng.choice(("Follow-up", "Action items")), *actions]
    lines += ["", *_announcements(ctx), _next_meeting(ctx), _adjourn(ctx)]
    return "\n".join(lines)


def _speaker_block(ctx: _Ctx, disc: _Discussion) -> list[str]:
    rng = ctx.rng
    body = " ".join([disc.opening, *disc.details])
    form = rng.randrange(3)
    if disc.speaker in disc.opening:
        lines = [body]
    elif form == 0:
        lines = [f"{disc.speaker}: {body}"]
    else:
        verb = "gave an update on" if form == 1 else "reported on"
        lines = [f"{disc.speaker} {verb} {disc.item.subject}. {body}"]
    if disc.clause:
        verb = rng.choice(("shared that", "said that", "raised a concern that"))
        lines.append(f"{_member_ref(ctx)} {verb} {disc.clause}.")
    question, answer = disc.qa
    asker = _member_ref(ctx)
    if asker == "A member" or _last(asker) in disc.speaker:
        lines.append(f"A member asked: {question}")
    else:
        lines.append(f"{asker}: {question}")
    lines.append(f"{disc.speaker}: {answer}")
    if disc.action:
        lines.append(disc.action)
    return lines


def _render_speakers(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    rng = ctx.rng
    lines = [ctx.committee, f"Minutes of {_fmt_date(rng, ctx.date)}", ctx.location, ""]
    lines += [*_roll_call(ctx), "", _call_to_order(ctx), *_approvals(ctx), ""]
    for disc in discs:
        lines += _speaker_block(ctx, disc)
    lines += ["", "Public comment:", *_public_comment(ctx), ""]
    herald = f"Liaison {_last(ctx.staff[0])}" if ctx.staff else _cap(_chair_ref(ctx))
    lines += [f"{herald}: {text}" for text in _announcements(ctx)]
    lines += [_next_meeting(ctx), _adjourn(ctx)]
    return "\n".join(lines)


def _md_items(ctx: _Ctx, discs: Sequence[_Discussion]) -> list[str]:
    lines: list[str] = []
    for disc in discs:
        lines += [f"### {_cap(disc.item.subject)}", "", _paragraph(ctx, disc, followups=False), ""]
        if disc.concern:
            lines += [f"- **Concern:** {disc.concern}", ""]
    return lines or ["None.", ""]


def _render_markdown(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    rng = ctx.rng
    police, other = _split(discs)
    middle = len(other) // 2
    lines = [f"# {_title(ctx)}", "", f"**Date:** {_fmt_date(rng, ctx.date)}  "]
    lines += [f"**Time:** {_fmt_time(ctx.tstyle, ctx.start)}  ", f"**Location:** {ctx.location}"]
    lines += ["", "## Attendance", "", *(f"- {text}" for text in _roll_call(ctx)), ""]
    lines += ["## Call to order", "", " ".join([_call_to_order(ctx), *_approvals(ctx)]), ""]
    lines += ["## Police update", "", *_md_items(ctx, police)]
    lines += ["## Old business", "", *_md_items(ctx, other[:middle])]
    lines += ["## New business", "", *_md_items(ctx, other[middle:])]
    lines += ["## Public comment", "", *(f"- {text}" for text in _public_comment(ctx)), ""]
    actions = [f"- **{d.owner}** will {d.vp}" for d in discs if d.action] or ["- None."]
    lines += ["## Action items", "", *actions, ""]
    lines += ["## Announcements", "", *(f"- {text}" for text in _announcements(ctx)), ""]
    lines += [f"**{_next_meeting(ctx)}**", "", f"*{_adjourn(ctx)}*"]
    return "\n".join(lines)


def _letterhead(ctx: _Ctx, page: int, pages: int) -> str:
    rng = ctx.rng
    return rng.choice(LETTERHEADS).format(
        city_upper=ctx.city.upper(), city=ctx.city, k=page, pages=pages,
        committee_upper=ctx.committee.upper(), committee=ctx.committee,
        date=_fmt_date(rng, ctx.date), address=_address(rng), phone=_phone(rng),
    )  # fmt: skip


def _ocr_break(rng: random.Random, word: str) -> str:
    cut = rng.randint(3, len(word) - 3)
    glue = rng.choice(("- ", " ", "-  "))
    return word[:cut] + glue + word[cut:]


def _pdf_artifacts(ctx: _Ctx, text: str) -> str:
    rng = ctx.rng
    words = text.split()
    candidates = [i for i, w in enumerate(words) if w.lower().strip(".,;:()") in BREAKABLE]
    for index in rng.sample(candidates, min(len(candidates), rng.randint(2, 5))):
        words[index] = _ocr_break(rng, words[index])
    pages = max(2, len(words) // 420 + 1)
    for page in range(pages, 1, -1):
        at = len(words) * (page - 1) // pages + rng.randint(-12, 12)
        words.insert(at, _letterhead(ctx, page, pages))
    if rng.random() < 0.6:
        words.insert(0, _letterhead(ctx, 1, pages))
    out = [words[0]]
    for prev, word in itertools.pairwise(words):
        double = prev.endswith(".") and rng.random() < 0.3 or rng.random() < 0.04
        out.append(("  " if double else " ") + word)
    return "".join(out)


def _render_pdf_flat(ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    rng = ctx.rng
    parts = [ctx.committee.upper(), "MINUTES", _fmt_date(rng, ctx.date), ctx.location]
    parts += ["1. CALL TO ORDER", _call_to_order(ctx), "2. ROLL CALL", *_roll_call(ctx)]
    parts += ["3. APPROVAL OF MINUTES", *_approvals(ctx), "4. REPORTS AND DISCUSSION"]
    for disc in discs:
        parts += [f"{_cap(disc.item.subject)}.", _paragraph(ctx, disc)]
    parts += ["5. PUBLIC COMMENT", *_public_comment(ctx), "6. ANNOUNCEMENTS"]
    parts += [*_announcements(ctx), "7. ADJOURNMENT", _next_meeting(ctx), _adjourn(ctx)]
    return _pdf_artifacts(ctx, " ".join(part for part in parts if part))


_RENDERERS: dict[str, Callable[[_Ctx, Sequence[_Discussion]], str]] = {
    "numbered": _render_numbered,
    "roman": _render_roman,
    "bullets": _render_bullets,
    "qa": _render_qa,
    "speakers": _render_speakers,
    "pdf_flat": _render_pdf_flat,
    "markdown": _render_markdown,
}


def _word_count(text: str) -> int:
    return len(text.split())


def _render(chosen: str, ctx: _Ctx, discs: Sequence[_Discussion]) -> str:
    """Render a shape, then drop the doubled period left by "p.m." at a sentence end."""
    text = _RENDERERS[chosen](ctx, discs)
    return text.replace("a.m..", "a.m.").replace("p.m..", "p.m.")


def _steer(
    pool: list[DiscussionItem], include: Sequence[str], excluded: Collection[str]
) -> list[DiscussionItem]:
    """The pool without the excluded topics' items, and the first item of each included topic
    (in the list's order: the same item at every meeting) at the front."""
    pool = [item for item in pool if item.topic not in excluded]
    first = [next(item for item in DISCUSSION_ITEMS if item.topic == topic) for topic in include]
    return [*first, *(item for item in pool if item not in first)]


def write_minutes(
    rng: random.Random,
    *,
    city: str,
    committee: str,
    meeting_date: dt.date,
    roster: list[RosterEntry],
    present: list[str],
    shape: str | None = None,
    include: Sequence[str] = (),
    exclude: Collection[str] = (),
    start: dt.time | None = None,
    place: str | None = None,
) -> str:
    """Return the minutes of one meeting as plain text (Markdown allowed for some shapes).

    `include` names topics (slugs) the meeting discusses first, `exclude` topics it does not
    discuss at all (the demo's trend story); `start` and `place` are the meeting's as scheduled
    (else made up). Public comment, too, keeps to topics not excluded."""
    chosen = shape if shape is not None else rng.choice(SHAPES)
    if chosen not in _RENDERERS:
        raise ValueError(f"unknown shape {chosen!r}; expected one of {SHAPES}")
    ctx = _build_ctx(rng, city, committee, meeting_date, roster, present)
    # A topic both included and excluded is included.
    ctx = replace(ctx, excluded=frozenset(exclude) - frozenset(include))
    if start is not None:
        ctx = replace(ctx, start=dt.datetime.combine(meeting_date, start))
    if place:
        ctx = replace(ctx, location=place)
    pool = _steer(rng.sample(DISCUSSION_ITEMS, len(DISCUSSION_ITEMS)), include, ctx.excluded)
    count = rng.randint(3, 11)
    discs = [_resolve(ctx, item) for item in pool[:count]]
    text = _render(chosen, ctx, discs)
    while _word_count(text) < MIN_WORDS and count < len(pool):
        discs.append(_resolve(ctx, pool[count]))
        count += 1
        text = _render(chosen, ctx, discs)
    while _word_count(text) > MAX_WORDS and len(discs) > 1:
        discs.pop()
        text = _render(chosen, ctx, discs)
    return text
