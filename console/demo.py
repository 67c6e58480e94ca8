"""A fictional, clearly labelled demo caseload, so a new user sees a living console.

Every demo client is marked `is_demo` and named "(demo)"; the people, places
and stories are invented. Later capabilities add their own part here.
"""

from __future__ import annotations

import functools
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta

from console.clinical import emdr as emdr_vocab
from console.clinical import ifs
from console.clinical import medicine as med
from console.errors import ValidationError
from console.pacer.set_log import SetResult
from console.services import audit
from console.services.art import ArtFields
from console.services.bundle import Services
from console.services.clients import DEMO_MARK, ClientFields, ClientRecord, DiagnosisFields
from console.services.emdr import SessionWorkFields, TargetFields
from console.services.ifs import PartWorkFields
from console.services.medicine import DoseFields, EventFields, ReadingFields
from console.services.programs import ProgramFields, ProgramRecord
from console.services.rescripting import RescriptingFields
from console.services.screening import ItemAnswer, ScreeningFields
from console.services.sessions import SessionFields, SessionRecord
from models import ClientStatus, NoteTemplate, ProgramKind, SessionKind, SessionLocation


@dataclass(frozen=True)
class DemoSummary:
    clients: int
    sessions: int
    notes: int

    def __str__(self) -> str:
        return f"{self.clients} clients, {self.sessions} sessions, {self.notes} notes"


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=UTC)


_NOTES: dict[SessionKind, tuple[NoteTemplate, dict[str, str]]] = {
    SessionKind.INTAKE: (
        NoteTemplate.INTAKE,
        {
            "reason": "Panic attacks on public transport for two years; avoids the underground.",
            "history": "Began after a crowded-train incident. CBT (8 sessions) helped in part.",
            "mental_status": "Alert, cooperative, anxious affect, no thought disorder.",
            "risk": "No suicidal ideation, no self-harm. Safety plan discussed.",
            "formulation": "Panic disorder with agoraphobia (F40.01). Somatic focus.",
            "plan": "Screening for ketamine-assisted therapy; EMDR preparation.",
        },
    ),
    SessionKind.PREPARATION: (
        NoteTemplate.SOAP,
        {
            "subjective": "Client feels ready; worried about losing control during the session.",
            "objective": "Calm, engaged. Practised the calm-place exercise.",
            "assessment": "Resourced; stop signal agreed.",
            "plan": "First medicine session next week; ride home arranged.",
        },
    ),
    SessionKind.MEDICINE: (
        NoteTemplate.PROGRESS,
        {"note": "Medicine session uneventful. Client described a sense of spaciousness."},
    ),
    SessionKind.INTEGRATION: (
        NoteTemplate.DAP,
        {
            "data": "Reviewed imagery from the medicine session: a quiet lake, a younger self.",
            "assessment": "New perspective on the train memory; less self-blame.",
            "plan": "EMDR on the train memory next session.",
        },
    ),
    SessionKind.EMDR: (
        NoteTemplate.BIRP,
        {
            "behaviour": "Arrived on time, moderate anxiety about the target memory.",
            "intervention": "EMDR desensitisation, horizontal eye movements, 6 sets.",
            "response": "SUD from 8 to 3; body tension eased in the chest.",
            "plan": "Continue desensitisation; future template for the commute.",
        },
    ),
    SessionKind.ART: (
        NoteTemplate.SOAP,
        {
            "subjective": "Wants to work on the exam-hall scene without describing it.",
            "objective": "Eye-movement sets tolerated well.",
            "assessment": "Voluntary image replacement completed; SUD 7 to 1.",
            "plan": "Check the scene next week.",
        },
    ),
    SessionKind.IFS: (
        NoteTemplate.PROGRESS,
        {"note": "Met the 'Worrier' manager; it protects a young part afraid of being judged."},
    ),
    SessionKind.MAINTENANCE: (
        NoteTemplate.PROGRESS,
        {"note": "Stable. Using the commute daily. GAD symptoms much reduced."},
    ),
    SessionKind.OTHER: (
        NoteTemplate.PROGRESS,
        {"note": "Telephone check-in after a stressful week; coping well."},
    ),
}

_CLIENTS = (
    ClientFields(
        name=f"Alex Rivera {DEMO_MARK}",
        preferred_name="Alex",
        date_of_birth=date(1988, 4, 12),
        phone="+44 20 7946 0011",
        email="alex.rivera@example.org",
        emergency_contact_name="Sam Rivera",
        emergency_contact_phone="+44 20 7946 0012",
        presenting_concerns="Panic attacks on trains; avoidance of crowded places.",
        diagnoses=(DiagnosisFields("F40.01", "Panic disorder with agoraphobia"),),
        anxiety_somatic=True,
        anxiety_behavioural=True,
        treatment_history="CBT in 2022 (partial response).",
    ),
    ClientFields(
        name=f"Zoë Ångström {DEMO_MARK}",
        preferred_name="Zoë",
        date_of_birth=date(1995, 9, 30),
        email="zoe@example.org",
        presenting_concerns="Constant worry about work and health; poor sleep.",
        diagnoses=(
            DiagnosisFields("F41.1", "Generalised anxiety disorder", primary=True),
            DiagnosisFields("F43.10", "Post-traumatic stress disorder"),
        ),
        anxiety_cognitive=True,
    ),
    ClientFields(
        name=f"Dmitri Ivanov {DEMO_MARK}",
        preferred_name="Дима",
        date_of_birth=date(1979, 1, 5),
        presenting_concerns="Fear of speaking in meetings since a humiliating incident.",
        diagnoses=(DiagnosisFields("F40.10", "Social anxiety disorder"),),
        anxiety_cognitive=True,
        anxiety_behavioural=True,
    ),
    ClientFields(
        name=f"Noor Haddad {DEMO_MARK}",
        preferred_name="نور",
        date_of_birth=date(2001, 6, 17),
        presenting_concerns="Exam anxiety and a frightening memory from school.",
        diagnoses=(DiagnosisFields("F40.248", "Specific phobia (situational)"),),
        anxiety_somatic=True,
    ),
)


_DEMO_SETS = (
    (8, None, "Tight chest, the carriage doors closing"),
    (6, None, "Heat in the face; noise of the crowd"),
    (4, None, "It feels further away, like a film"),
    (2, None, "Breathing easier; I got off at the next stop"),
    (1, 5, "I can handle it now"),
    (0, 6, "Calm; the memory is just a memory"),
)


def _log_demo_sets(services: Services, session_id: object, start: datetime) -> None:
    """Six 24-pass sets at 1 Hz with the SUD falling, as an EMDR session's log looks."""
    at = start + timedelta(minutes=15)
    for number, (sud, voc, noticed) in enumerate(_DEMO_SETS):
        ended = at + timedelta(seconds=12)
        services.bls_sets.log(
            session_id,  # type: ignore[arg-type]
            SetResult(
                started_at=at,
                ended_at=ended,
                speed_hz=1.0,
                path="horizontal",
                profile="sinusoidal",
                sound="tone" if number % 2 else "off",
                passes_completed=24,
                ended_by="limit",
                frames=720,
                frame_p50_ms=16.7,
                frame_p99_ms=17.9,
                late_frames=0,
                max_position_error_px=0.5,
                sud=sud,
                voc=voc,
                notes=noticed,
            ),
        )
        at = ended + timedelta(minutes=2)


# (days ago, GAD-7 answers, PHQ-9 answers): Alex improving across his medicine
# sessions, with one early PHQ-9 item 9 above 0 so the flag shows in the demo.
_ALEX_MEASURES: tuple[tuple[int, list[int | None], list[int | None]], ...] = (
    (70, [3, 3, 2, 2, 2, 2, 2], [2, 2, 2, 2, 1, 2, 2, 0, 1]),
    (63, [2, 2, 2, 2, 2, 2, 2], [2, 2, 1, 2, 1, 1, 1, 1, 0]),
    (56, [2, 2, 2, 2, 1, 1, 1], [1, 2, 1, 1, 1, 1, 1, 1, 0]),
    (40, [2, 1, 1, 1, 1, 1, 1], [1, 1, 1, 1, 1, 1, 1, 0, 0]),
    (20, [1, 1, 1, 1, 1, 1, 0], [1, 1, 0, 1, 0, 0, 1, 0, 0]),
)
_NOOR_PCL5: list[int | None] = [3, 3, 2, 3, 3, 2, 2, 1, 2, 2, 2, 1, 1, 1, 1, 0, 3, 3, 2, 1]


def _record_demo_measures(
    services: Services, alex_id: uuid.UUID, noor_id: uuid.UUID, today: date
) -> None:
    """GAD-7 and PHQ-9 for Alex at his sessions (one between them), a PCL-5 for Noor."""
    now = datetime.now(UTC)
    for client_id, rows in (
        (
            alex_id,
            [(days, "gad7", g) for days, g, _ in _ALEX_MEASURES]
            + [(days, "phq9", p) for days, _, p in _ALEX_MEASURES],
        ),
        (noor_id, [(10, "pcl5", _NOOR_PCL5)]),
    ):
        by_day = {s.starts_at.date(): s for s in services.sessions.list_for_client(client_id)}
        for days_ago, key, answers in rows:
            day = today - timedelta(days=days_ago)
            session = by_day.get(day)
            at = session.starts_at if session else _at(day, 9)
            services.measures.record(
                client_id,
                key,
                answers,
                None,
                min(at, now),
                session_id=session.id if session else None,
            )


def _address_demo_risk(services: Services, alex_id: uuid.UUID) -> None:
    """Alex's early PHQ-9 item 9 answer, addressed by a risk assessment in the same session."""
    flagged = [r for r in services.measures.list_for_client(alex_id) if r.risk_open]
    for record in flagged:
        services.measures.address_risk(
            record.id,
            "assessment",
            services.vault.actor,
            min(record.answered_at + timedelta(minutes=40), datetime.now(UTC)),
            "Asked about item 9: passive thoughts of not waking up on bad weeks after the "
            "train incident; no plan, no intent, no past attempts. Protective: partner, work, "
            "his dog. Safety plan reviewed and a copy given; crisis line number in his phone. "
            "Risk judged low; item 9 reviewed at every session.",
        )


def _first_of_kind(services: Services, client_id: uuid.UUID, kind: SessionKind) -> uuid.UUID:
    """The client's earliest session of a kind (list_for_client is newest first)."""
    return [s for s in services.sessions.list_for_client(client_id) if s.kind is kind][-1].id


def _add_demo_worksheets(
    services: Services, alex_id: uuid.UUID, zoe_id: uuid.UUID, noor_id: uuid.UUID
) -> None:
    """Alex's EMDR target and session work, Noor's ART worksheet, a rescripting for Zoë."""
    _add_demo_emdr_work(services, alex_id)
    _add_demo_art_and_rescripting(services, noor_id, zoe_id)
    # Alex's integration session combined the approaches, so his chart shows them all.
    _add_demo_integration_worksheets(services, alex_id)


def _add_demo_emdr_work(services: Services, alex_id: uuid.UUID) -> None:
    target = services.emdr.create_target(
        alex_id,
        TargetFields(
            title="Crowded train, March 2024",
            memory="Train stopped between stations in the rush hour; could not get off.",
            worst_image="The doors closing, faces pressed close",
            negative_cognition="I am in danger",
            positive_cognition="I can handle it",
            voc=2,
            emotions="Fear, panic",
            sud=8,
            body_location="Tight chest, throat",
        ),
    )
    services.emdr.save_work(
        _first_of_kind(services, alex_id, SessionKind.EMDR),
        SessionWorkFields(
            target_id=target.id,
            phases_done=("assessment", "desensitisation", "installation", "body_scan"),
            preparation=tuple((key, True) for key in emdr_vocab.PREPARATION_KEYS),
            containment="Calm place (the lake), then the container",
            state_at_end="Calm, grounded",
            sud_end=0,
            voc_end=6,
            plan="Re-evaluate the train memory; future template for the commute.",
            body_scan_clear=True,
        ),
    )


def _add_demo_art_and_rescripting(
    services: Services, noor_id: uuid.UUID, zoe_id: uuid.UUID
) -> None:
    services.art.save(
        _first_of_kind(services, noor_id, SessionKind.ART),
        ArtFields(
            scene_title="The night at the station",
            scene_private=True,
            sud_before=7,
            sud_after=1,
            replacement="I see myself walking out into the sunshine",
            current_step=6,
        ),
    )
    services.rescripting.save(
        _first_of_kind(services, zoe_id, SessionKind.EMDR),
        RescriptingFields(
            memory="Age 8, waiting alone after school as it got dark",
            hotspot="The last car leaving the car park",
            emotions="Fear, abandonment",
            unmet_needs="Safety, someone to come",
            who_rescripts="therapist",
            rescript="The therapist arrives, sits with her and walks her home.",
            new_meaning="I was a child who deserved to be looked after",
            distress_before=8,
            distress_after=3,
        ),
    )


def _add_demo_integration_worksheets(services: Services, alex_id: uuid.UUID) -> None:
    integration = _first_of_kind(services, alex_id, SessionKind.INTEGRATION)
    services.art.save(
        integration,
        ArtFields(
            scene_title="Stuck between stations",
            sud_before=6,
            body_sensations="Chest tight, 6/10; eased after two calming sets",
            first_pass="The carriage, then the lake image from the medicine session",
            second_pass="Watched it through without distress",
            replacement="The doors open onto the platform and I step out into fresh air",
            final_check="Scene viewed calmly",
            body_scan="Clear",
            sud_after=1,
            current_step=6,
        ),
    )
    services.rescripting.save(
        integration,
        RescriptingFields(
            memory="Age 10, locked in the school storeroom by older boys",
            hotspot="The light going off",
            emotions="Terror, shame",
            unmet_needs="To be found, to be told it was not his fault",
            who_rescripts="adult_self",
            rescript="Adult Alex opens the door, switches on the light and takes him outside.",
            new_meaning="I can get myself out; I am not trapped",
            distress_before=7,
            distress_after=2,
        ),
    )


def _demo_part(
    owner: uuid.UUID, name: str, kind: str, status: str, activation: int, **attrs: str
) -> ifs.Part:
    """Ids stable within one client's map (snapshots share them), unique to that client, so a
    re-run after an interrupted demo does not collide with the archived partial caseload."""
    part_id = uuid.uuid5(uuid.NAMESPACE_URL, f"session-console-demo/{owner}/part/{name}")
    return ifs.Part(part_id, name, kind, status, activation, **attrs)  # type: ignore[arg-type]


def _relation(
    owner: uuid.UUID,
    kind: str,
    source: ifs.Part,
    target: ifs.Part | None,
    strength: int | None = None,
) -> ifs.Relation:
    key = f"{owner}/{kind}/{source.name}/{target.name if target else 'Self'}"
    relation_id = uuid.uuid5(uuid.NAMESPACE_URL, f"session-console-demo/relation/{key}")
    return ifs.Relation(relation_id, kind, source.id, target.id if target else None, strength)


def _add_demo_parts_map(services: Services, zoe_id: uuid.UUID) -> None:
    """Zoë's parts map as it grew over four sessions, so the history slider has a story."""
    sessions = sorted(
        (s for s in services.sessions.list_for_client(zoe_id) if s.kind is not SessionKind.INTAKE),
        key=lambda s: s.starts_at,
    )
    first, second, third, fourth = (
        s.id for s in sessions if s.kind in (SessionKind.IFS, SessionKind.OTHER)
    )
    parts = _zoe_parts(zoe_id)
    stages = _zoe_map_stages(zoe_id, parts, (first, second, third, fourth))
    for session_id, stage_parts, relations, energy, cs in stages:
        stage = ifs.tidy_layout(ifs.PartsMap(tuple(stage_parts), tuple(relations), energy, cs))
        services.ifs.save(zoe_id, stage, session_id)
    _add_zoe_part_work(services, parts, first, third, fourth)


@dataclass(frozen=True)
class _ZoeParts:
    worrier: ifs.Part
    girl: ifs.Part
    email: ifs.Part
    scroller: ifs.Part
    planner: ifs.Part


def _zoe_parts(zoe_id: uuid.UUID) -> _ZoeParts:
    """Each part as first met; later stages change its status and activation."""
    part = functools.partial(_demo_part, zoe_id)
    worrier = part(
        "The Worrier",
        "manager",
        "acknowledged",
        8,
        body_location="Tight band across the forehead",
        age="About 14",
        emotions="Anxious, urgent",
        burden="If I stop checking, something terrible will happen",
        fears="That Zoë will be caught out and humiliated",
        positive_intent="Keeps her prepared and safe from judgement",
    )
    girl = part(
        "Girl in the car park",
        "exile",
        "emerging",
        6,
        body_location="Hollow in the stomach",
        age="8",
        appearance="Small, in a school coat, by the gate",
        emotions="Fear, loneliness",
        burden="Nobody is coming for me",
    )
    email = part("Exam results email", "trailhead", "acknowledged", 5)
    scroller = part(
        "Night-time scroller",
        "firefighter",
        "emerging",
        7,
        body_location="Restless hands",
        positive_intent="Numbs the dread so she can get through the night",
    )
    planner = part(
        "The Planner",
        "manager",
        "emerging",
        5,
        positive_intent="Makes lists so nothing is forgotten",
    )
    return _ZoeParts(worrier, girl, email, scroller, planner)


_MapStage = tuple[uuid.UUID, list[ifs.Part], list[ifs.Relation], int, tuple[str, ...]]


def _zoe_map_stages(
    zoe_id: uuid.UUID, parts: _ZoeParts, session_ids: tuple[uuid.UUID, ...]
) -> list[_MapStage]:
    """The map after each of the four sessions: the parts, how they relate, and Self-energy."""
    first, second, third, fourth = session_ids
    relation = functools.partial(_relation, zoe_id)
    return [
        *_zoe_stages_while_blended(relation, parts, first, second),
        *_zoe_stages_toward_unburdening(relation, parts, third, fourth),
    ]


_RelationMaker = Callable[..., ifs.Relation]


def _zoe_stages_while_blended(
    relation: _RelationMaker, parts: _ZoeParts, first: uuid.UUID, second: uuid.UUID
) -> list[_MapStage]:
    """The Worrier blended with Self, then active and polarised with the scroller."""
    worrier, girl, email, scroller = parts.worrier, parts.girl, parts.email, parts.scroller
    return [
        (
            first,
            [worrier, girl, email],
            [
                relation("protects", worrier, girl),
                relation("leads_to", email, worrier),
                relation("blended", worrier, None),
            ],
            3,
            ("curiosity",),
        ),
        (
            second,
            [replace(worrier, status="active"), girl, email, scroller],
            [
                relation("protects", worrier, girl),
                relation("leads_to", email, worrier),
                relation("polarised", worrier, scroller, 7),
            ],
            5,
            ("calm", "curiosity", "compassion"),
        ),
    ]


def _zoe_stages_toward_unburdening(
    relation: _RelationMaker, parts: _ZoeParts, third: uuid.UUID, fourth: uuid.UUID
) -> list[_MapStage]:
    """The Planner joins, the polarisation eases, and the girl in the car park is unburdened."""
    worrier, girl, email, scroller, planner = (
        parts.worrier,
        parts.girl,
        parts.email,
        parts.scroller,
        parts.planner,
    )
    return [
        (
            third,
            [
                replace(worrier, status="active", activation=6),
                replace(girl, status="acknowledged"),
                email,
                replace(scroller, status="acknowledged"),
                planner,
            ],
            [
                relation("protects", worrier, girl),
                relation("protects", scroller, girl),
                relation("leads_to", email, worrier),
                relation("polarised", worrier, scroller, 5),
                relation("allied", planner, worrier),
            ],
            6,
            ("calm", "curiosity", "compassion", "clarity"),
        ),
        (
            fourth,
            [
                replace(worrier, status="active", activation=4),
                replace(girl, status="unburdened", activation=2),
                email,
                replace(scroller, status="acknowledged", activation=4),
                planner,
            ],
            [
                relation("protects", worrier, girl),
                relation("leads_to", email, worrier),
                relation("polarised", worrier, scroller, 3),
                relation("allied", planner, worrier),
            ],
            8,
            ("calm", "curiosity", "compassion", "clarity", "connectedness", "courage"),
        ),
    ]


def _add_zoe_part_work(
    services: Services,
    parts: _ZoeParts,
    first: uuid.UUID,
    third: uuid.UUID,
    fourth: uuid.UUID,
) -> None:
    worrier, girl = parts.worrier, parts.girl
    services.ifs.save_part_work(
        first,
        worrier.id,
        PartWorkFields(
            six_fs=("find", "focus", "flesh_out", "feel_toward"),
            six_fs_notes=(
                ("find", "Forehead, like a tight band"),
                ("feel_toward", "Irritated at first; curious after unblending"),
            ),
        ),
    )
    services.ifs.save_part_work(
        third,
        worrier.id,
        PartWorkFields(
            six_fs=tuple(key for key, _, _ in ifs.SIX_FS),
            six_fs_notes=(("fears", "That she will be found out as not good enough"),),
        ),
    )
    services.ifs.save_part_work(
        fourth,
        girl.id,
        PartWorkFields(
            six_fs=tuple(key for key, _, _ in ifs.SIX_FS),
            witnessing="Showed Zoë the dark car park and the long wait",
            do_over="Zoë arrives, takes her hand and drives her home",
            retrieval="Brought to Zoë's warm kitchen, now",
            release_element="light",
            qualities_invited="Playfulness, trust",
            new_roles="The Worrier would like to help with planning trips instead",
        ),
    )


# (minutes after the dose, systolic, diastolic, heart rate, SpO2) per medicine session
_DEMO_VITALS: tuple[tuple[tuple[int, int, int, int, int], ...], ...] = (
    (
        (0, 128, 82, 74, 98),
        (15, 146, 90, 88, 97),
        (30, 152, 94, 92, 97),
        (45, 162, 98, 90, 96),
        (60, 144, 88, 84, 97),
        (90, 134, 84, 78, 98),
        (120, 126, 80, 72, 98),
    ),
    (
        (0, 124, 80, 70, 99),
        (15, 138, 86, 80, 98),
        (30, 142, 88, 84, 97),
        (45, 136, 86, 80, 98),
        (60, 130, 84, 76, 98),
        (90, 126, 80, 72, 98),
        (120, 122, 78, 70, 99),
    ),
)


def _add_demo_medicine(services: Services, alex_id: uuid.UUID) -> None:
    """Alex's screening and his two medicine sessions: dose, vitals, an adverse event, discharge."""
    _save_demo_screening(services, alex_id)
    medicine = sorted(
        (s for s in services.sessions.list_for_client(alex_id) if s.kind is SessionKind.MEDICINE),
        key=lambda s: s.starts_at,
    )
    for number, (session, vitals) in enumerate(zip(medicine, _DEMO_VITALS, strict=True), start=1):
        _add_demo_medicine_session(services, session.id, session.starts_at, number, vitals)


def _save_demo_screening(services: Services, alex_id: uuid.UUID) -> None:
    services.screening.save(
        alex_id,
        ScreeningFields(
            answers=tuple(
                ItemAnswer(
                    key,
                    "no",
                    "Family history of psychosis: none known"
                    if key == "psychosis_dissociation"
                    else "",
                )
                for key in med.CONTRAINDICATION_KEYS
            ),
            weight_kg=78.0,
            baseline_systolic=124,
            baseline_diastolic=80,
            medications="Sertraline 50 mg daily; propranolol 10 mg as needed",
            consent_date=min(
                s.starts_at for s in services.sessions.list_for_client(alex_id)
            ).date(),
            consent_version="KAP consent v2.1",
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )


def _add_demo_medicine_session(
    services: Services,
    session_id: uuid.UUID,
    starts_at: datetime,
    number: int,
    vitals: tuple[tuple[int, int, int, int, int], ...],
) -> None:
    """Baseline, dose, readings, the first session's nausea, then the record at discharge."""
    dose_at = starts_at + timedelta(minutes=20)
    services.medicine.add_reading(
        session_id,
        ReadingFields(starts_at + timedelta(minutes=10), 126, 82, 76, 98, pre_dose=True),
    )
    dose = DoseFields(
        medicine="racemic_ketamine",
        form="lozenge",
        route="sublingual",
        dose_mg=200.0 if number == 1 else 250.0,
        lot_number=f"KL-2417{number}",
        given_at=dose_at,
        given_by="Dr Maya Okafor (prescriber)",
        monitored_by="Sam Reyes, RN",
    )
    services.medicine.save(session_id, dose)
    for minutes, systolic, diastolic, heart_rate, spo2 in vitals:
        services.medicine.add_reading(
            session_id,
            ReadingFields(
                dose_at + timedelta(minutes=minutes),
                systolic,
                diastolic,
                heart_rate,
                spo2,
                respiratory_rate=14,
                sedation=4 if 15 <= minutes <= 45 else 5,
            ),
        )
    if number == 1:
        services.medicine.add_event(
            session_id,
            EventFields(
                "nausea_vomiting",
                dose_at + timedelta(minutes=35),
                "mild",
                "resolved",
                action="Reassurance, sips of water, eyes closed",
                medication_given="Ondansetron 4 mg ODT",
            ),
        )
    services.medicine.save(session_id, _demo_discharge(dose, number, dose_at))


def _demo_discharge(dose: DoseFields, number: int, dose_at: datetime) -> DoseFields:
    return replace(
        dose,
        dissociation_scale="cadss6",
        dissociation_total=9 if number == 1 else 12,
        client_state="Eyes shaded, music on; described floating above the lake."
        if number == 1
        else "Calm; brief fear at onset, settled with breathing.",
        notes="Integration themes: the lake as a calm place; letting go of control."
        if number == 1
        else "Alert and steady from 90 min and keen to go; stayed until the two-hour "
        "observation was complete.",
        discharge_alert=True,
        discharge_vitals_in_range=True,
        discharge_escort_present=True,
        discharged_at=dose_at + timedelta(minutes=135 if number == 1 else 120),
    )


def _add_demo_needs_review(services: Services, noor_id: uuid.UUID, today: date) -> None:
    """Noor's screening for a first medicine session: everything is answered, but a high
    baseline, an interacting medication and a consent past its year wait for the prescriber."""
    services.screening.save(
        noor_id,
        ScreeningFields(
            answers=tuple(ItemAnswer(key, "no") for key in med.CONTRAINDICATION_KEYS),
            weight_kg=64.0,
            baseline_systolic=186,
            baseline_diastolic=112,
            medications="Clonazepam 0.5 mg at night; lamotrigine 100 mg daily",
            consent_date=today - timedelta(days=400),
            consent_version="KAP consent v2.0",
            fasting_acknowledged=True,
            ride_home_arranged=True,
        ),
    )


def _demo_completed(services: Services) -> bool:
    with services.vault.session() as db:
        return bool(audit.events_for(db, "create", "demo"))


def build_demo(services: Services, today: date | None = None) -> DemoSummary:
    """Add the demo caseload; refuses to add it twice.

    A run that was killed part-way left demo clients but no completion mark:
    those are archived (demo records, like every record, are never deleted)
    and a whole caseload is added, so re-running finishes the job.
    """
    demo_clients = [c for c in services.clients.list(status=None) if c.is_demo]
    if demo_clients and _demo_completed(services):
        raise ValidationError("demo", "the demo caseload is already in this vault")
    for partial in demo_clients:
        if partial.status is not ClientStatus.ARCHIVED:
            services.clients.archive(partial.id)
    today = today or datetime.now(UTC).date()

    clients = [services.clients.create(fields, is_demo=True) for fields in _CLIENTS]
    alex, zoe, dmitri, noor = clients
    intensive, weekly = _create_demo_programs(services, alex, zoe, today)
    sessions, notes, signed_ids = _add_demo_sessions(services, clients, intensive, weekly, today)
    _add_demo_addenda(services, signed_ids)
    services.clients.archive(dmitri.id)
    _record_demo_measures(services, alex.id, noor.id, today)
    _address_demo_risk(services, alex.id)
    _add_demo_worksheets(services, alex.id, zoe.id, noor.id)
    _add_demo_parts_map(services, zoe.id)
    _add_demo_medicine(services, alex.id)
    _add_demo_needs_review(services, noor.id, today)
    services.vault.audit("create", "demo", "caseload", "complete")
    return DemoSummary(len(clients), sessions, notes)


def _create_demo_programs(
    services: Services, alex: ClientRecord, zoe: ClientRecord, today: date
) -> tuple[ProgramRecord, ProgramRecord]:
    intensive = services.programs.create(
        alex.id,
        ProgramFields(
            kind=ProgramKind.INTENSIVE,
            title="Ketamine-assisted intensive",
            start_date=today - timedelta(days=70),
            end_date=today - timedelta(days=40),
            description="Two preparation sessions, three medicine sessions with integration.",
            goals=(
                "Ride the train to work without a panic attack",
                "Reduce GAD-7 below 10",
                "Build a reliable calm-place resource",
            ),
        ),
    )
    weekly = services.programs.create(
        zoe.id,
        ProgramFields(
            kind=ProgramKind.WEEKLY,
            title="Weekly integration (EMDR and IFS)",
            start_date=today - timedelta(days=56),
            goals=("Worry less than an hour a day", "Sleep through most nights"),
        ),
    )

    return intensive, weekly


def _add_demo_sessions(
    services: Services,
    clients: list[ClientRecord],
    intensive: ProgramRecord,
    weekly: ProgramRecord,
    today: date,
) -> tuple[int, int, list[uuid.UUID]]:
    """Every demo session with its notes; returns the sessions, notes and signed note ids."""
    alex, zoe, dmitri, noor = clients
    plan = [
        (alex, intensive.id, SessionKind.INTAKE, 70),
        (alex, intensive.id, SessionKind.PREPARATION, 66),
        (alex, intensive.id, SessionKind.MEDICINE, 63),
        (alex, intensive.id, SessionKind.INTEGRATION, 62),
        (alex, intensive.id, SessionKind.MEDICINE, 56),
        (alex, intensive.id, SessionKind.EMDR, 55),
        (alex, intensive.id, SessionKind.MAINTENANCE, 20),
        (zoe, weekly.id, SessionKind.INTAKE, 56),
        (zoe, weekly.id, SessionKind.EMDR, 49),
        (zoe, weekly.id, SessionKind.IFS, 42),
        (zoe, weekly.id, SessionKind.EMDR, 35),
        (zoe, weekly.id, SessionKind.OTHER, 30),
        (zoe, weekly.id, SessionKind.IFS, 23),
        (zoe, weekly.id, SessionKind.IFS, 9),
        (dmitri, None, SessionKind.INTAKE, 21),
        (dmitri, None, SessionKind.IFS, 14),
        (noor, None, SessionKind.INTAKE, 10),
        (noor, None, SessionKind.ART, 3),
    ]
    sessions = notes = 0
    signed_ids: list[uuid.UUID] = []
    for index, (client, program_id, kind, days_ago) in enumerate(plan):
        session = services.sessions.create(
            client.id,
            SessionFields(
                starts_at=_at(today - timedelta(days=days_ago), 10 + index % 6),
                kind=kind,
                duration_min=120 if kind is SessionKind.MEDICINE else 50,
                location=SessionLocation.TELEHEALTH
                if kind is SessionKind.OTHER
                else SessionLocation.IN_PERSON,
                program_id=program_id,
            ),
        )
        sessions += 1
        added, signed = _add_demo_notes(services, session, client, kind, days_ago, alex, zoe)
        notes += added
        if signed is not None:
            signed_ids.append(signed)
    return sessions, notes, signed_ids


def _add_demo_notes(
    services: Services,
    session: SessionRecord,
    client: ClientRecord,
    kind: SessionKind,
    days_ago: int,
    alex: ClientRecord,
    zoe: ClientRecord,
) -> tuple[int, uuid.UUID | None]:
    """The session's note (signed when older than a week), its sets, any psychotherapy note.

    Returns how many notes it wrote and the id of the note it signed.
    """
    signed: uuid.UUID | None = None
    template, sections = _NOTES[kind]
    if kind is SessionKind.INTAKE and client is not alex:
        sections = {
            **sections,
            "reason": client.presenting_concerns,
            "history": "No previous treatment for this concern.",
            "formulation": "; ".join(f"{d.label} ({d.code})" for d in client.diagnoses) + ".",
            "plan": "Psychoeducation, resource building, then trauma-focused work.",
        }
    note = services.notes.create(session.id, template, sections)
    added = 1
    if days_ago > 7:
        services.notes.sign(note.id)
        signed = note.id
    if kind is SessionKind.EMDR:
        _log_demo_sets(services, session.id, session.starts_at)
    if kind is SessionKind.IFS and client is zoe:
        services.notes.create(
            session.id,
            NoteTemplate.PSYCHOTHERAPY,
            {"process": "My sense: the Worrier softened when I slowed my own breathing."},
        )
        added += 1
    return added, signed


def _add_demo_addenda(services: Services, signed_ids: list[uuid.UUID]) -> None:
    correction = services.notes.add_addendum(
        signed_ids[1], "Correction: the stop signal agreed was a raised hand, not a word."
    )
    services.notes.sign_addendum(correction.id)
    services.notes.add_addendum(
        signed_ids[3], "Client phoned: the lake image returned in a dream, felt calm."
    )
