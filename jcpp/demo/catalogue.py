"""What the demo data is made of: the member cities, their meeting rules, names and agenda items.

All invented: any likeness of a generated name to a real person is chance.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class CityPlan:
    name: str
    slug: str
    meeting_rule: str  # RFC 5545 RRULE in the county's local time
    default_place: str


def _rule(byday: str, setpos: int, hour: int, minute: int) -> str:
    return f"FREQ=MONTHLY;BYDAY={byday};BYSETPOS={setpos};BYHOUR={hour};BYMINUTE={minute}"


# The JCPP member cities named in the design notes, each with a different monthly rule.
CITY_PLANS: tuple[CityPlan, ...] = (
    CityPlan(
        "Bloomington", "bloomington", _rule("WE", 3, 18, 30), "Bloomington Civic Plaza, Room 110"
    ),
    CityPlan(
        "Brooklyn Center",
        "brooklyn-center",
        _rule("TU", 2, 18, 0),
        "Brooklyn Center Police Department, Community Room",
    ),
    CityPlan(
        "Brooklyn Park",
        "brooklyn-park",
        _rule("TH", 1, 18, 30),
        "Brooklyn Park Police Department, Community Room",
    ),
    CityPlan(
        "Crystal", "crystal", _rule("MO", 4, 18, 0), "Crystal Police Department, Community Room"
    ),
    CityPlan("Edina", "edina", _rule("WE", 2, 19, 0), "Edina City Hall, Community Room"),
    CityPlan(
        "Hopkins", "hopkins", _rule("TH", 3, 18, 0), "Hopkins Police Department, Community Room"
    ),
    CityPlan(
        "Minnetonka",
        "minnetonka",
        _rule("TU", 1, 18, 30),
        "Minnetonka Police Department, Community Room",
    ),
    CityPlan(
        "New Hope", "new-hope", _rule("WE", -1, 18, 30), "New Hope Police Department, Training Room"
    ),
    CityPlan(
        "Richfield",
        "richfield",
        _rule("TH", 2, 18, 0),
        "Richfield Police Department, Community Room",
    ),
    CityPlan(
        "Robbinsdale",
        "robbinsdale",
        _rule("MO", 3, 18, 30),
        "Robbinsdale Police Department, Community Room",
    ),
    CityPlan(
        "St. Louis Park",
        "st-louis-park",
        _rule("WE", 1, 18, 0),
        "St. Louis Park Police Department, Community Room",
    ),
)

# Other places a committee sometimes meets (a library, a community centre) instead of its own.
GUEST_PLACES = (
    "Brookdale Hennepin County Library, Meeting Room A",
    "Hennepin County Library – Southdale, Community Room",
    "Masjid An-Nur, Fellowship Hall",
    "Hmong American Partnership, Classroom 2",
    "Centro de Servicios Latinos, Sala Comunitaria",
    "Brooklyn Park Community Activity Center",
)

# Demo accounts: (e-mail, name, role). The liaison's cities and the member's committee are in load.
ACCOUNTS = (
    ("admin@example.org", "Pat Lindqvist", "admin"),
    ("county@example.org", "Denise Washington", "county_staff"),
    ("liaison@example.org", "Hodan Warsame", "liaison"),
    ("member@example.org", "Marisol Ramírez", "member"),
)
LIAISON_CITIES = ("brooklyn-park", "richfield", "st-louis-park")
MEMBER_CITY = "richfield"

# Given names and family names that go together, by community, so that names read as real ones.
NAME_POOLS: tuple[tuple[tuple[str, ...], tuple[str, ...]], ...] = (
    (  # Somali
        ("Abdi", "Amina", "Fartun", "Hodan", "Mohamed", "Sahra", "Yusuf", "Khadra", "Ayan"),
        ("Farah", "Hassan", "Warsame", "Abdullahi", "Ali", "Jama", "Osman", "Mohamud"),
    ),
    (  # Hmong
        ("Tou", "Pa", "Mai", "Kou", "Yeng", "Xee", "Chue", "Nou", "Bao"),
        ("Vang", "Xiong", "Lee", "Yang", "Thao", "Moua", "Her", "Lor"),
    ),
    (  # Latino
        ("Alejandro", "Guadalupe", "Rosa", "Jorge", "Luis", "Carmen", "Itzel", "Sergio"),
        ("Hernández", "García", "Morales", "Castillo", "Rojas", "Mendoza", "Ortiz", "Ramos"),
    ),
    (  # Liberian and West African
        ("Comfort", "Emmanuel", "Blessing", "Patience", "Tamba", "Oretha", "Musa"),
        ("Kollie", "Wesseh", "Tarpeh", "Kamara", "Gbeh", "Sumo", "Okafor", "Mensah"),
    ),
    (  # Ethiopian and Oromo
        ("Abebe", "Meseret", "Tigist", "Dawit", "Chaltu", "Gemechu", "Hana"),
        ("Tadesse", "Bekele", "Girma", "Desta", "Negash", "Tola"),
    ),
    (  # Vietnamese
        ("Linh", "Minh", "Thu", "Quang", "Hoa", "Bao"),
        ("Nguyen", "Tran", "Pham", "Le", "Vo", "Dang"),
    ),
    (  # South Asian
        ("Priya", "Rahul", "Anjali", "Sanjay", "Farhan", "Nisha"),
        ("Patel", "Sharma", "Iyer", "Khan", "Reddy", "Chowdhury"),
    ),
    (  # Ojibwe and Dakota
        ("Dakota", "Jolene", "Marcus", "Renee", "Winona", "Clayton"),
        ("Beaulieu", "Fairbanks", "Kingbird", "Littlewolf", "Goodsky", "Thunder"),
    ),
    (  # African American
        ("Keisha", "Andre", "Tamika", "Darnell", "Monique", "Reginald"),
        ("Jackson", "Brooks", "Coleman", "Harris", "Robinson", "Freeman"),
    ),
    (  # Scandinavian and German Minnesotan
        ("Karen", "Erik", "Linnea", "Greg", "Nancy", "Lars", "Ingrid", "Tom"),
        ("Olson", "Hanson", "Bergstrom", "Schmidt", "Nelson", "Johnson", "Larson"),
    ),
    (  # Arab
        ("Omar", "Layla", "Yasmin", "Khalid", "Rania"),
        ("Haddad", "Mansour", "Khalil", "Nasser", "Saleh"),
    ),
    (  # Korean and Chinese
        ("Ji-woo", "Min-jun", "Wei", "Mei", "Hyun"),
        ("Kim", "Park", "Chen", "Liu", "Zhang"),
    ),
    (  # Jewish and Russian
        ("Rachel", "David", "Irina", "Boris", "Miriam"),
        ("Goldberg", "Levin", "Petrov", "Kaplan", "Sokolov"),
    ),
)
# Karen names have no family name: the whole name is given.
KAREN_NAMES = ("Eh Soe Htoo", "Naw Paw Wah", "Saw Kler Say", "Hser Nay Moo", "Naw Eh Ku")

POLICE_TITLES = ("Lt.", "Sgt.", "Officer", "Capt.", "Officer")

GUEST_ORGANISATIONS = (
    "Somali American Parent Association",
    "Hmong American Partnership",
    "CAPI USA",
    "Comunidades Latinas Unidas En Servicio (CLUES)",
    "Karen Organization of Minnesota",
    "Organization of Liberians in Minnesota",
    "Oromo Community of Minnesota",
    "NAACP Minneapolis",
    "Jewish Community Relations Council",
    "Hennepin County Library",
    "Hennepin County Public Health",
    "Islamic Center of Minnesota",
    "League of Women Voters",
    "Bloomington Public Schools",
    "Osseo Area Schools",
    "Youth Advisory Council",
    "Neighborhood watch",
    "Tenants' association",
)

# Agenda items between the opening and the close: (title, who presents: a roster role or "chief").
AGENDA_TOPICS: tuple[tuple[str, str], ...] = (
    ("Crime trends and calls for service", "police"),
    ("Liaison report", "liaison"),
    ("Body-worn camera policy review", "police"),
    ("National Night Out planning", "liaison"),
    ("Youth programs and school resource officers", "police"),
    ("Language access: interpreters and translated materials", "liaison"),
    ("Traffic safety near schools", "police"),
    ("Mental health co-responder program", "police"),
    ("Recruitment of community service officers and cadets", "chief"),
    ("Know-your-rights workshop", "member"),
    ("Community concerns round-table", "chair"),
    ("Immigration enforcement: what local police do and do not do", "chief"),
    ("Hate and bias incidents: how to report", "liaison"),
    ("Coffee with a Cop and community events", "liaison"),
    ("Committee work plan and annual report", "chair"),
    ("Membership: welcoming new members", "chair"),
    ("Use-of-force policy update", "chief"),
    ("Traffic stop data report", "police"),
    ("Housing and homelessness outreach", "liaison"),
    ("Citizens academy", "police"),
)
AGENDA_OPENING = (("Call to order and introductions", "chair"),)
AGENDA_MINUTES = ("Approval of last meeting's minutes", "chair")
AGENDA_CHIEF = ("Chief's report", "chief")
AGENDA_CLOSE = ("Announcements and adjournment", "chair")

# Notes of later revisions: small corrections by someone other than the author before.
REVISION_NOTES = (
    "Fixed the spelling of a name",
    "Corrected attendance",
    "Added the chief's follow-up",
    "Corrections from the committee",
    "Clarified the motion",
)
REVISION_ADDENDA = (
    "(Corrected at the committee's request.)",
    "The department will report back at the next meeting.",
    "Copies of the handout are available from the liaison.",
    "Members asked that this stay on the agenda.",
    "The chair thanked everyone who came.",
)
