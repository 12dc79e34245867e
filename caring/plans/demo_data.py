"""The demo plan: "Caring Together", as the Health Select Commission's minutes describe it.

The minutes give the six themes, the 21 tasks, the partners and actions YC7 and YC8 on capturing
data about young carers, but not the wording of actions or outcomes: that wording is ILLUSTRATIVE,
written for the demo, and the strategy is marked illustrative wherever it is shown. People appear
only as role titles.
"""

ILLUSTRATIVE_NOTE = (
    "Illustrative demo data. The themes, the number of tasks, the partners and the young carers' "
    "data actions YC7 and YC8 come from the Health Select Commission's minutes; the wording of "
    "outcomes and actions, dates, updates and evidence are written for illustration."
)

STRATEGY = {
    "slug": "caring-together",
    "title": "Caring Together",
    "period_start": "2016-04-01",
    "period_end": "2021-03-31",
}

VERSION = {
    "name": "Caring Together Revised Action Plan January 2018",
    "created": "2018-01-31",
    "reason": (
        "The original plan's 21 tasks were still relevant, but many had no owner or timescale. "
        "Refreshed with partners into six themes with clearer owners and timescales."
    ),
}

OUTCOMES = [
    (1, "Carers are identified early and recognised for the role they play."),
    (2, "Carers can get the information, advice and support they need, when they need it."),
    (3, "Carers can look after their own health and wellbeing and have a life of their own."),
    (4, "Young carers are protected from inappropriate caring and supported to learn and thrive."),
    (5, "Carers are respected and involved as expert partners in care."),
]

THEMES = [
    (1, "Carers Support", "CS"),
    (2, "Young Carers", "YC"),
    (3, "Unknown Carers", "UC"),
    (4, "Publicity and Promotion", "PP"),
    (5, "Training Offer", "TO"),
    (6, "Quality Assurance", "QA"),
]

# key -> (name, type, short name, ODS code). GP practices are real, from NHS ODS (OGL v3.0).
ORGANISATIONS = {
    "asc": ("Rotherham Council Adult Social Care", "council_service", "ASC", ""),
    "cyps": (
        "Rotherham Council Children and Young People's Services",
        "council_service",
        "CYPS",
        "",
    ),
    "earlyhelp": ("Rotherham Council Early Help Service", "council_service", "Early Help", ""),
    "scrutiny": ("Rotherham Council Health Select Commission", "council_service", "HSC", ""),
    "barnardos": ("Barnardo's", "charity", "Barnardo's", ""),
    "crossroads": ("Crossroads Care Rotherham", "charity", "Crossroads", ""),
    "ageuk": ("Age UK Rotherham", "charity", "Age UK", ""),
    "pcf": ("Rotherham Parent Carers Forum", "charity", "PCF", ""),
    "hospital": ("The Rotherham NHS Foundation Trust", "nhs_body", "TRFT", "RFR"),
    "gp1": ("Dinnington Group Practice", "gp_practice", "Dinnington GP", "C87002"),
    "gp2": ("Woodstock Bower Group Practice", "gp_practice", "Woodstock Bower GP", "C87003"),
}

# username -> (job title, organisation key, role, superuser)
USERS = {
    "admin": ("System Administrator", "asc", "administrator", True),
    "lead": ("Change Leader, Adult Social Care", "asc", "strategy_lead", False),
    "owner": ("Young Carers Service Manager, Barnardo's", "barnardos", "action_owner", False),
    "viewer": ("Member, Health Select Commission", "scrutiny", "viewer", False),
    "data": ("Performance and Quality Officer, Adult Social Care", "asc", "data_officer", False),
}

# Each action: ref, theme prefix, title, outcomes, lead role, organisations, commenced, due
# (as written in the workbook), status, rag, rationale, and optional updates / due changes.
# Updates: (date, author username, narrative, status, rag, evidence or None).
# Evidence: ("text", title, text) or ("link", title, url).
ACTIONS = [
    {
        "ref": "CS1",
        "theme": "CS",
        "title": "Offer every carer known to adult social care a carer's assessment or review",
        "outcomes": [2, 3],
        "lead": "Change Leader, Adult Social Care",
        "orgs": ["asc"],
        "commenced": "Jan 2018",
        "due": "Q2 2018/19",
        "status": "in_progress",
        "rag": "amber",
        "rationale": "Assessments are taking longer than planned while the team is recruited.",
        "updates": [
            (
                "2018-05-14",
                "lead",
                "New assessment form agreed with carers' groups; backlog of "
                "reviews being worked through.",
                "in_progress",
                "amber",
                None,
            ),
        ],
    },
    {
        "ref": "CS2",
        "theme": "CS",
        "title": "Keep a direct contact route for carers in crisis",
        "outcomes": [2, 3],
        "lead": "Service Manager, Crossroads Care",
        "orgs": ["crossroads"],
        "commenced": "Feb 2018",
        "due": "Ongoing",
        "status": "in_progress",
        "rag": "green",
        "rationale": "Contact route running; calls are answered the same day.",
    },
    {
        "ref": "CS3",
        "theme": "CS",
        "title": "Pilot a carers' coffee shop as a friendly way into community support",
        "outcomes": [1, 3],
        "lead": "Service Manager, Crossroads Care",
        "orgs": ["crossroads"],
        "commenced": "March 2018",
        "due": "Sept 2018",
        "status": "in_progress",
        "rag": "green",
        "rationale": "",
        "updates": [
            (
                "2018-09-20",
                "lead",
                "Coffee shop pilot ran for six months and is continuing; "
                "carers who came in were offered a conversation about support.",
                "complete",
                "blue",
                (
                    "text",
                    "Pilot evaluation summary",
                    "Illustrative: pilot evaluation presented to the Delivery Group, "
                    "September 2018.",
                ),
            ),
        ],
    },
    {
        "ref": "CS4",
        "theme": "CS",
        "title": "Agree how carers are identified and supported when the person they care for "
        "leaves hospital",
        "outcomes": [1, 2],
        "lead": "",
        "orgs": ["hospital", "asc"],
        "commenced": "",
        "due": "Dec 2018",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "YC1",
        "theme": "YC",
        "title": "Refresh the young carers' assessment with Barnardo's",
        "outcomes": [4],
        "lead": "Young Carers Service Manager, Barnardo's",
        "orgs": ["barnardos", "cyps"],
        "commenced": "01/02/2018",
        "due": "31/07/2018",
        "status": "in_progress",
        "rag": "green",
        "rationale": "Draft assessment being tested.",
        "updates": [
            (
                "2018-04-10",
                "owner",
                "Draft assessment tested with ten young carers.",
                "in_progress",
                "green",
                None,
            ),
        ],
    },
    {
        "ref": "YC2",
        "theme": "YC",
        "title": "Agree a memorandum of understanding with schools about young carers",
        "outcomes": [4],
        "lead": "Head of Inclusion, Children and Young People's Services",
        "orgs": ["cyps"],
        "commenced": "",
        "due": "TBC",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "YC3",
        "theme": "YC",
        "title": "Name a young carers' lead in every secondary school",
        "outcomes": [1, 4],
        "lead": "Head of Inclusion, Children and Young People's Services",
        "orgs": ["cyps"],
        "commenced": "",
        "due": "Q4 2018/19",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "YC4",
        "theme": "YC",
        "title": "Check whether caring affects school attendance or leads to exclusions",
        "outcomes": [4],
        "lead": "",
        "orgs": [],
        "commenced": "",
        "due": "",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "YC5",
        "theme": "YC",
        "title": "Present the strategy and the workbook to the Young Carers Council",
        "outcomes": [4, 5],
        "lead": "Young Carers Service Manager, Barnardo's",
        "orgs": ["barnardos"],
        "commenced": "Jan 2018",
        "due": "March 2018",
        "status": "in_progress",
        "rag": "amber",
        "rationale": "Meeting postponed.",
        "due_changes": [
            (
                "2018-03-05",
                "owner",
                "June 2018",
                "The Young Carers Council meeting on 1 March 2018 was postponed because of "
                "the weather.",
            ),
        ],
    },
    {
        "ref": "YC6",
        "theme": "YC",
        "title": "Support the voluntary sector consortium's funding bid to raise the educational "
        "attainment of looked after children and young carers",
        "outcomes": [4],
        "lead": "Head of Inclusion, Children and Young People's Services",
        "orgs": ["cyps"],
        "commenced": "",
        "due": "end of Sept 2018",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "YC7",
        "theme": "YC",
        "title": "Capture data on young carers known to services, starting by sampling known "
        "young carers",
        "outcomes": [1, 4],
        "lead": "Young Carers Service Manager, Barnardo's",
        "orgs": ["barnardos", "earlyhelp"],
        "commenced": "Apr 2018",
        "due": "Q3 2018/19",
        "status": "in_progress",
        "rag": "amber",
        "rationale": "Sampling agreed; data sharing between services still to be signed.",
        "updates": [
            (
                "2018-06-01",
                "owner",
                "Sampling approach agreed with the Early Help Service.",
                "in_progress",
                "amber",
                None,
            ),
        ],
    },
    {
        "ref": "YC8",
        "theme": "YC",
        "title": "Ask about young carers in the pupil Lifestyle Survey and report a baseline",
        "outcomes": [1, 4],
        "lead": "Performance Officer, Children and Young People's Services",
        "orgs": ["cyps", "earlyhelp"],
        "commenced": "",
        "due": "Dec 2018",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "UC1",
        "theme": "UC",
        "title": "Work with GP practices to keep their registers of carers up to date",
        "outcomes": [1],
        "lead": "Practice Manager, lead GP practice",
        "orgs": ["gp1", "gp2"],
        "commenced": "May 2018",
        "due": "March 2019",
        "status": "in_progress",
        "rag": "green",
    },
    {
        "ref": "UC2",
        "theme": "UC",
        "title": "Identify carers on the wards and at discharge",
        "outcomes": [1],
        "lead": "Carers Lead, The Rotherham NHS Foundation Trust",
        "orgs": ["hospital"],
        "commenced": "",
        "due": "when the new discharge team starts",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "UC3",
        "theme": "UC",
        "title": "Reach carers through social events such as those of the Parent Carers Forum",
        "outcomes": [1, 5],
        "lead": "Coordinator, Rotherham Parent Carers Forum",
        "orgs": ["pcf"],
        "commenced": "Jan 2018",
        "due": "Ongoing",
        "status": "in_progress",
        "rag": "green",
    },
    {
        "ref": "PP1",
        "theme": "PP",
        "title": "Publish a carers' information pack online and in print",
        "outcomes": [2],
        "lead": "Change Leader, Adult Social Care",
        "orgs": ["asc"],
        "commenced": "Feb 2018",
        "due": "Jun 2018",
        "status": "in_progress",
        "rag": "green",
        "updates": [
            (
                "2018-06-28",
                "lead",
                "Pack published on the council website and printed for GP surgeries and libraries.",
                "complete",
                "blue",
                (
                    "link",
                    "Carers' information pack (illustrative link)",
                    "https://www.example.org/carers-information-pack",
                ),
            ),
        ],
    },
    {
        "ref": "PP2",
        "theme": "PP",
        "title": "Run Carers Week and Carers Rights Day campaigns every year",
        "outcomes": [1, 2],
        "lead": "Communications Officer, Age UK Rotherham",
        "orgs": ["ageuk", "crossroads"],
        "commenced": "June 2018",
        "due": "Ongoing",
        "status": "in_progress",
        "rag": "green",
    },
    {
        "ref": "TO1",
        "theme": "TO",
        "title": "Deliver 'bite size' training sessions for carers",
        "outcomes": [3],
        "lead": "Training Coordinator, Crossroads Care",
        "orgs": ["crossroads", "ageuk"],
        "commenced": "Apr 2018",
        "due": "Q2 2018/19",
        "status": "in_progress",
        "rag": "green",
        "rationale": "Four sessions held; members asked for details of the training offer.",
    },
    {
        "ref": "TO2",
        "theme": "TO",
        "title": "Train frontline staff to recognise carers and refer them for support",
        "outcomes": [1],
        "lead": "",
        "orgs": [],
        "commenced": "",
        "due": "TBC",
        "status": "not_started",
        "rag": "",
    },
    {
        "ref": "QA1",
        "theme": "QA",
        "title": "Develop a Quality Assurance Framework with baseline data from the Early Help "
        "Service, Barnardo's and the Lifestyle Survey",
        "outcomes": [1, 4, 5],
        "lead": "Performance and Quality Manager, Adult Social Care",
        "orgs": ["asc", "barnardos", "earlyhelp"],
        "commenced": "Mar 2018",
        "due": "Q3 2018/19",
        "status": "in_progress",
        "rag": "amber",
        "rationale": "Depends on the young carers' data from YC7 and YC8.",
    },
    {
        "ref": "QA2",
        "theme": "QA",
        "title": "Review the Delivery Group's terms of reference, including a hospital "
        "representative",
        "outcomes": [5],
        "lead": "Change Leader, Adult Social Care",
        "orgs": ["asc"],
        "commenced": "Feb 2018",
        "due": "31/05/2018",
        "status": "in_progress",
        "rag": "green",
        "updates": [
            (
                "2018-05-24",
                "lead",
                "Revised terms of reference agreed, with a seat for the hospital trust.",
                "complete",
                "blue",
                (
                    "text",
                    "Terms of reference agreed",
                    "Illustrative: Delivery Group minutes, May 2018, item 3.",
                ),
            ),
        ],
    },
]
