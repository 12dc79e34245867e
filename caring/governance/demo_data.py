"""The demo's scrutiny record, from the Health Select Commission's minutes (the seeds).

From the minutes: the meeting of 1 March 2018 and its four resolutions, word for word; the
matters members debated there; the postponed Young Carers Council meeting of 1 March 2018; the
later meeting's two resolutions (one asking that the next update in 12 months include
equalities information) and the questions members asked at it. The minutes refer to five
recommendations made on 30 November 2017 (Minute No. 50) but do not give their text: that
wording is ILLUSTRATIVE, as are the responses, updates, answers and the dates the minutes do not
give (marked ``illustrative``). People appear only as role titles.
"""

# key -> (name, short name, kind, host organisation key, purpose, terms of reference)
BODIES = {
    "hsc": (
        "Health Select Commission",
        "HSC",
        "scrutiny",
        "scrutiny",
        "The council's scrutiny committee for health and adult social care.",
        None,
    ),
    "csdg": (
        "Carers Strategy Delivery Group",
        "CSDG",
        "partnership",
        "asc",
        "The partnership of council services, the NHS and carers' organisations that delivers "
        "the Carers Strategy and its action plan.",
        ("Carers Strategy Delivery Group terms of reference", "2017-04-01", "2018-04-30"),
    ),
    "ycc": (
        "Young Carers Council",
        "YCC",
        "forum",
        "barnardos",
        "Young carers who advise the council and its partners on what young carers need.",
        None,
    ),
}

# body key -> [(role, organisation key, position)]
MEMBERS = {
    "hsc": [
        ("Chair, Health Select Commission", "scrutiny", "chair"),
        ("Vice-Chair, Health Select Commission", "scrutiny", "vice_chair"),
        ("Elected Member, Health Select Commission", "scrutiny", "member"),
        ("Governance Advisor", "scrutiny", "officer"),
    ],
    "csdg": [
        ("Change Leader, Adult Social Care", "asc", "chair"),
        ("Head of Service, Children and Young People's Services", "cyps", "member"),
        ("Early Help Service Manager", "earlyhelp", "member"),
        ("Young Carers Service Manager, Barnardo's", "barnardos", "member"),
        ("Service Manager, Crossroads Care", "crossroads", "member"),
        ("Chief Officer, Age UK Rotherham", "ageuk", "member"),
        ("Chair, Rotherham Parent Carers Forum", "pcf", "member"),
    ],
    "ycc": [
        ("Young Carers Service Manager, Barnardo's", "barnardos", "officer"),
        ("Young carer representatives", None, "member"),
    ],
}

# Meetings: key -> dict. Dates the minutes do not give are illustrative.
MEETINGS = {
    "hsc-2017-11": {
        "body": "hsc",
        "date": "2017-11-30",
        "status": "held",
        "minute_ref": "Minute No. 50",
        "illustrative": True,
        "notes": "The Commission considered the Carers Strategy and made five recommendations "
        "(Minute No. 50). The minutes available to this demo do not give their text: the "
        "wording shown here is illustrative.",
        "agenda": [("Carers Strategy", "Minute No. 50", ["Change Leader, Adult Social Care"])],
    },
    "hsc-2018-03": {
        "body": "hsc",
        "date": "2018-03-01",
        "status": "held",
        "minute_ref": "",
        "illustrative": False,
        "notes": "In accordance with Minute No. 50(5), a progress report on the implementation of "
        "the Carer's Strategy delivery plan, including the response to the five recommendations "
        "made at the 30 November 2017 meeting. The refreshed plan is thematic: Carers Support, "
        "Young Carers, Unknown Carers, Publicity and Promotion, Training Offer and Quality "
        "Assurance, captured in the workbook 'Caring Together Revised Action Plan January 2018'.",
        "agenda": [
            (
                "Carers Strategy Update",
                "",
                [
                    "Change Leader, Adult Social Care",
                    "Children and Young People's Services",
                    "Barnardo's",
                ],
            )
        ],
    },
    "ycc-2018-03": {
        "body": "ycc",
        "date": "2018-03-01",
        "status": "postponed",
        "status_reason": "Inclement weather",
        "illustrative": False,
        "notes": "A full presentation of the Caring Together Strategy and the workbook was to be "
        "given to the Young Carers Council at this meeting.",
        "agenda": [
            ("Caring Together Strategy and workbook", "", ["Change Leader, Adult Social Care"])
        ],
    },
    "hsc-2019-10": {
        "body": "hsc",
        "date": "2019-10-10",
        "status": "held",
        "illustrative": True,
        "notes": "A report introducing a new way of working toward a consistent, robust and "
        "sustainable pathway for carers (the later minutes refer to it; the date is "
        "illustrative).",
        "agenda": [("Carers Strategy Update", "", ["Change Leader, Adult Social Care"])],
    },
    "hsc-2021-07": {
        "body": "hsc",
        "date": "2021-07-08",
        "status": "held",
        "illustrative": True,
        "notes": "A scheduled update on the reprofiled timeline for the Carers Strategy and the "
        "Carers Programme, following reports in October 2019 and March 2020. Carers have been "
        "added to the Health and Social Care Place Plan as a key area of focus. (The minutes do "
        "not give the date: it is illustrative.)",
        "agenda": [("Carers Strategy Update", "", ["Change Leader, Adult Social Care"])],
    },
}

# Resolutions: (meeting, number, kind, text, illustrative, details)
# details: lead, orgs, due, response (kind, date, text), actions, updates, signed_off (meeting,
# note), requirement (topic, text).
# Updates: (date, narrative, status, rag, evidence, new_due, due_reason)
RESOLUTIONS = [
    (
        "hsc-2017-11", 1, "recommendation",
        "That the delivery plan be refreshed with partners so that every action has a named "
        "owner and a timescale, and mapped to the strategy's outcomes.",
        True,
        {
            "lead": "Change Leader, Adult Social Care",
            "orgs": ["asc"],
            "due": "31/01/2018",
            "response": ("accepted", "2018-01-22", "Accepted. The plan will be refreshed into "
                         "themes with the Delivery Group."),
            "updates": [
                ("2018-02-05", "The refreshed plan, 'Caring Together Revised Action Plan January "
                 "2018', gives every action an owner and a timescale.", "complete", "blue",
                 "Revised Action Plan January 2018 agreed by the Delivery Group.", None, ""),
            ],
            "signed_off": ("hsc-2018-03", "Endorsed with the refreshed plan (resolution 2)."),
        },
    ),
    (
        "hsc-2017-11", 2, "recommendation",
        "That partners work with GP practices so that carers are identified and practices keep "
        "their registers of carers up to date.",
        True,
        {
            "lead": "Change Leader, Adult Social Care",
            "orgs": ["asc"],
            "due": "in 12 months",
            "response": ("accepted", "2018-01-22",
                         "Accepted, as part of the Unknown Carers theme."),
            "actions": ["UC1"],
            "updates": [
                ("2018-06-12", "Two practices have reviewed their carers' registers with the "
                 "carers' service; the approach is being offered to all practices.",
                 "in_progress", "amber", "", None, ""),
                ("2018-11-20", "Fewer practices than planned have reviewed their registers; the "
                 "date moves while the Clinical Commissioning Group is engaged.", "in_progress",
                 "amber", "", "March 2019", "Practices asked for more time to review registers."),
            ],
        },
    ),
    (
        "hsc-2017-11", 3, "recommendation",
        "That young carers be identified early through schools and the Early Help Service, with "
        "an agreed way of sharing concerns about attendance.",
        True,
        {
            "lead": "Head of Service, Children and Young People's Services",
            "orgs": ["cyps", "barnardos"],
            "due": "during the 2018/19 Municipal Year",
            "response": ("partly_accepted", "2018-01-22", "Partly accepted: schools will be "
                         "approached about a memorandum of understanding; a shared attendance "
                         "process is for the schools to agree."),
            "actions": ["YC2", "YC4"],
            "updates": [
                ("2018-09-03", "A draft memorandum of understanding has been shared with "
                 "secondary head teachers.", "in_progress", "green", "", None, ""),
            ],
        },
    ),
    (
        "hsc-2017-11", 4, "recommendation",
        "That a training offer for carers be developed and members told how it is used.",
        True,
        {
            "lead": "Service Manager, Crossroads Care",
            "orgs": ["crossroads"],
            "due": "in 12 months",
            "response": ("accepted", "2018-01-22", "Accepted."),
            "actions": ["TO1"],
            "updates": [
                ("2018-10-30", "'Bite size' sessions have run monthly since April; attendance and "
                 "feedback are reported to the Delivery Group.", "complete", "blue",
                 "Programme of sessions and feedback summary sent to members.", None, ""),
            ],
        },
    ),
    (
        "hsc-2017-11", 5, "future_report",
        "That a progress report on the implementation of the delivery plan, including the "
        "response to these recommendations, be submitted to the Commission.",
        True,
        {
            "lead": "Change Leader, Adult Social Care",
            "orgs": ["asc"],
            "due": "31/03/2018",
            "updates": [
                ("2018-03-01", "Progress report presented to the Commission on 1 March 2018.",
                 "complete", "blue", "Report and presentation to the Commission, 1 March 2018.",
                 None, ""),
            ],
            "signed_off": ("hsc-2018-03", "Report received (resolution 1)."),
        },
    ),
    (
        "hsc-2018-03", 1, "noted",
        "That the report and presentation be received and their contents noted.", False, {},
    ),
    (
        "hsc-2018-03", 2, "endorsed",
        "That the refreshed carers' strategy delivery plan and progress with the implementation "
        "of the recommendations since November 2017 be endorsed.", False, {},
    ),
    (
        "hsc-2018-03", 3, "recommendation",
        "That the additional information suggested by Members of this Select Commission be "
        "included in the \u201cCaring Together Revised Action Plan January 2018\u201d workbook.",
        False,
        {
            "lead": "Change Leader, Adult Social Care",
            "orgs": ["asc"],
            "due": "Q1 2018/19",
            "actions": ["QA1"],
            "updates": [
                ("2018-05-21", "The workbook now has columns for the red-amber-green rating, when "
                 "each action commenced and the evidence of completed actions.", "complete",
                 "blue", "Workbook columns added: RAG, date commenced, evidence.", None, ""),
            ],
        },
    ),
    (
        "hsc-2018-03", 4, "future_report",
        "That a further progress report on the implementation of the carers' strategy be "
        "submitted to a meeting of the Health Select Commission during the 2018/19 Municipal "
        "Year.",
        False,
        {
            "lead": "Change Leader, Adult Social Care",
            "orgs": ["asc"],
            "due": "during the 2018/19 Municipal Year",
            "updates": [
                ("2019-03-18", "The report is moved to the autumn so that it can describe the new "
                 "carers' pathway.", "in_progress", "amber", "", "October 2019",
                 "To report on the new pathway once agreed."),
                ("2019-10-10", "Progress report presented to the Commission.", "complete", "blue",
                 "Report to the Commission, October 2019.", None, ""),
            ],
            "signed_off": ("hsc-2019-10", "Report received."),
        },
    ),
    (
        "hsc-2021-07", 1, "other",
        "That thanks be recorded on behalf of the Chair to all the carers and organisations who "
        "have supported and continue to support carers throughout the pandemic.", False, {},
    ),
    (
        "hsc-2021-07", 2, "future_report",
        "That the report be noted, and the next update in 12 months include equalities "
        "information.",
        False,
        {
            "lead": "Change Leader, Adult Social Care",
            "orgs": ["asc"],
            "due": "in 12 months",
            "requirement": ("equalities",
                            "Equalities information about carers known and supported"),
        },
    ),
]  # fmt: skip

# Information requests: (meeting, asked by, question, to answer, orgs, due, outside, answered
# in meeting, answer, answered on, actions, illustrative)
REQUESTS = [
    (
        "hsc-2018-03", "Members of the Select Commission",
        "Further details of the 'bite size' training offer for carers: its availability and "
        "effectiveness.",
        "Service Manager, Crossroads Care", ["crossroads", "asc"], "in 6 weeks", False, False,
        "Details of the sessions, places and feedback were sent to members.", "2018-04-10",
        ["TO1"], True,
    ),
    (
        "hsc-2018-03", "Members of the Select Commission",
        "The review of the Delivery Group's terms of reference, including the possibility of a "
        "representative of the Rotherham hospital.",
        "Change Leader, Adult Social Care", ["asc"], "during the 2018/19 Municipal Year", False,
        False, "", None, ["QA2"], False,
    ),
    (
        "hsc-2018-03", "Members of the Select Commission",
        "How GP surgeries will be helped to keep up-to-date registers of carers.",
        "Change Leader, Adult Social Care", ["asc"], "", False, True,
        "Officers described the work with practices under action UC1.", None, ["UC1"], False,
    ),
    (
        "hsc-2018-03", "Members of the Select Commission",
        "Discussions with schools about young carers whose caring might affect attendance or "
        "lead to exclusions, and a possible memorandum of understanding.",
        "Head of Service, Children and Young People's Services", ["cyps"], "", False, True,
        "Officers described the proposed memorandum of understanding (actions YC2 and YC4).",
        None, ["YC2", "YC4"], False,
    ),
    (
        "hsc-2018-03", "Members of the Select Commission",
        "Alternative ways of monitoring young carers' experiences, and capturing data on young "
        "carers for actions YC7 and YC8.",
        "Young Carers Service Manager, Barnardo's", ["barnardos", "earlyhelp"], "", False, True,
        "Initially there would be sampling with known young carers, linked to the Quality "
        "Assurance Framework and baseline data from the Early Help Service, Barnardo's and the "
        "Lifestyle Survey.", None, ["YC7", "YC8", "QA1"], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "Whether training accompanied the tech packages provided to carers.",
        "Change Leader, Adult Social Care", ["asc", "crossroads"], "", False, True,
        "Crossroads provided that added value in the physical handover of the devices where "
        "appropriate for the individual.", None, [], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "The pathways by which carers become known to the service.",
        "Change Leader, Adult Social Care", ["asc"], "", False, True,
        "Socially based events such as those of the Parent Carers Forum; the Crossroads coffee "
        "shop; direct contact for someone in crisis; some carers became known via the "
        "vaccination programme.", None, ["UC3", "CS2", "CS3"], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "Whether the grant for assistive technology was taken up for people who are cared for.",
        "Change Leader, Adult Social Care", ["asc"], "", False, True,
        "Grants are used by carers to access technology; feedback was described and focus "
        "groups on assistive technology will be strengthened.", None, [], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "More about young carers.",
        "Head of Service, Children and Young People's Services", ["cyps"], "", True, False,
        "", None, [], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "Carers in isolation.",
        "Change Leader, Adult Social Care", ["asc", "ageuk", "crossroads"], "", False, True,
        "Age UK and Crossroads work closely together; isolation will be a key focus in the "
        "refreshed strategy.", None, [], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "Carers who access support in a non-digital way.",
        "Change Leader, Adult Social Care", ["asc"], "", False, True,
        "Some carers became known via the vaccination programme; work continues toward a "
        "Carer-Friendly Borough.", None, [], False,
    ),
    (
        "hsc-2021-07", "Members of the Commission",
        "How support for carers is prioritised given costs and pressure on resources.",
        "Change Leader, Adult Social Care", ["asc"], "", False, True,
        "Officers compared the carers self-identifying in the 2011 census with those known to "
        "Adult Social Care, and described preventative work across the whole population.",
        None, [], False,
    ),
]  # fmt: skip

# Executive: who answers recommendations in the demo.
EXECUTIVE_NOTE = "Responses are from the council's Cabinet (illustrative dates and wording)."
