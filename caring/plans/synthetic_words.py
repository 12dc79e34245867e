"""The words synthetic plans are made of: organisations, leads, action titles, update texts,
and how statuses and ratings are spread. Data only, for ``synthetic.py``."""

NOTE = (
    "Synthetic benchmark data made by 'caring generate-synthetic': not a real council's strategy. "
    "Titles, dates, updates and evidence are generated at random."
)
ORGANISATIONS = (  # the shared pool: (name, kind, short name)
    ("Synthetic Council Adult Social Care", "council_service", "ASC"),
    ("Synthetic Council Children's Services", "council_service", "CYPS"),
    ("Synthetic Council Public Health", "council_service", "PH"),
    ("Synthetic Carers Centre", "charity", "Carers Centre"),
    ("Synthetic Young Carers Project", "charity", "YCP"),
    ("Synthetic Parent Carers Forum", "charity", "PCF"),
    ("Synthetic Older People's Charity", "charity", "OPC"),
    ("Synthetic NHS Foundation Trust", "nhs_body", "FT"),
    ("Synthetic Integrated Care Board", "nhs_body", "ICB"),
    ("Synthetic Primary Care Network", "gp_practice", "PCN"),
    ("Synthetic Schools Partnership", "school", "Schools"),
    ("Synthetic Voluntary Action", "other", "VA"),
)


def _split(text: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in text.split("|"))


LEADS = _split(
    "Carers Lead, Adult Social Care | Young Carers Service Manager | Head of Commissioning | "
    "Public Health Principal | Carers Centre Manager | Workforce Development Manager | "
    "Communications Officer | Quality Assurance Officer | Primary Care Development Lead | "
    "Head of Early Help"
)
TITLES = {  # theme prefix -> what its actions do
    "CS": _split(
        "Review carers' assessments | Extend short breaks | Offer carers' emergency plans"
    ),
    "YC": _split("Record young carers known to services | Train school staff | Run holiday groups"),
    "UC": _split("Find carers through GP registers | Work with employers | Use pharmacies"),
    "PP": _split("Publish a carers' guide | Run a Carers Week campaign | Promote the carers' card"),
    "TO": _split(
        "Train staff in carer awareness | Run moving and handling courses | Teach IT skills"
    ),
    "QA": _split("Survey carers about support | Report to scrutiny | Audit carers' assessments"),
}
AREAS = ("", "", "", " across the borough", " in the north locality", " in the south locality")
AREAS += (" with partners", " for older carers", " for parent carers")
DONE = _split(
    "Met partners to agree next steps. | Progress reported to the carers' partnership board. | "
    "Draft circulated for comment. | Staff briefing held; feedback was positive. | "
    "Waiting on data from health partners. | Recruitment to the post is under way. | "
    "Pilot running in two localities. | Budget confirmed for this year. | "
    "Carers consulted on the draft. | Work paused while the service is restructured."
)
NEXT = _split(
    "Next step: agree the timetable. | Next step: report to the board. | "
    "Carers reached this month: {n}. | On track against the milestones. | "
    "Some delay while a post is filled. | Referrals this month: {n}."
)
UNREADABLE = _split(
    "When funding allows | Spring 2026 | Following the review | Autumn term | "
    "After the new contract starts | 2026 onwards"
)
SLIP_REASONS = _split(
    "Delayed by staff vacancies. | Waiting for partners to agree the approach. | "
    "Funding confirmed later than expected. | Moved to fit the commissioning cycle. | "
    "Consultation extended at carers' request."
)
EVIDENCE = _split(
    "Board minutes | Survey results summary | Training attendance record | Published guide | "
    "Monitoring report"
)
# status -> weight; the owner's RAG by status -> (values, weights)
STATUS_WEIGHTS = dict(complete=22, in_progress=43, not_started=17, on_hold=8, cancelled=5)
RAG_BY_STATUS = {
    "complete": (("blue", "green", ""), (85, 10, 5)),
    "in_progress": (("green", "amber", "red", ""), (50, 30, 12, 8)),
    "not_started": (("", "green", "amber", "red"), (35, 35, 20, 10)),
    "on_hold": (("amber", "red", ""), (60, 30, 10)),
    "cancelled": (("",), (1,)),
}
