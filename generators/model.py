"""Stage 2, model: typed records for each kind of content, with pydantic v2.

Keys are English; values are Swedish. Every record has a stable ``id`` and, except
sources themselves, a non-empty ``sources`` list naming the documents it comes
from. The models are strict: a number is not silently turned into text, and a
date must be a real date written as YYYY-MM-DD.

The JSON Schema for editors (``handbok schema``) is generated from these classes.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints, ValidationError, WithJsonSchema

from .issues import Issue, error
from .load import Document

ID_PATTERN = r"^[a-z0-9]+(-[a-z0-9]+)*$"
Id = Annotated[str, StringConstraints(pattern=ID_PATTERN, max_length=80)]
Text = Annotated[str, StringConstraints(min_length=1, max_length=20_000)]
Line = Annotated[str, StringConstraints(min_length=1, max_length=400)]
Url = Annotated[str, StringConstraints(pattern=r"^(https?://|mailto:)[^\s]+$", max_length=2000)]
Date = Annotated[dt.date, Field(strict=True, description="Datum som ÅÅÅÅ-MM-DD")]


def _partial_date(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, int) and 1000 <= value <= 9999:
        return str(value)
    return value


PartialDate = Annotated[
    str,
    BeforeValidator(_partial_date),
    StringConstraints(pattern=r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"),
    WithJsonSchema({"anyOf": [{"type": "string", "pattern": r"^\d{4}(-\d{2}(-\d{2})?)?$"}, {"type": "integer"}],
                    "description": "ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD"}),
]

TIME_LIMIT_RE = re.compile(
    r"^(omedelbart|samma dag|skyndsamt|snarast|inom \d+ (timmar|timme|dagar|dag|veckor|vecka|månader|månad)"
    r"|minst \d+ (dagar|månader))$"
)
TimeLimit = Annotated[
    str,
    StringConstraints(pattern=TIME_LIMIT_RE.pattern),
    Field(description="Till exempel ”omedelbart”, ”samma dag”, ”skyndsamt”, ”inom 30 dagar”."),
]


class Record(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True, frozen=True)


class SourceCitation(Record):
    """A reference to a source document, optionally with where in it."""

    id: Id = Field(description="Källans id (filnamnet under content/sources/).")
    locator: Line | None = Field(None, description="Var i dokumentet, till exempel ”s. 5” eller ett avsnitt.")


def _source_ref(value: Any) -> Any:
    return {"id": value} if isinstance(value, str) else value


SourceRef = Annotated[
    SourceCitation,
    BeforeValidator(_source_ref),
    WithJsonSchema({"anyOf": [
        {"type": "string", "pattern": ID_PATTERN, "description": "Källans id"},
        {"type": "object", "additionalProperties": False, "required": ["id"],
         "properties": {"id": {"type": "string", "pattern": ID_PATTERN},
                        "locator": {"type": "string", "description": "Var i dokumentet, t.ex. ”s. 5”"}}},
    ]}),
]
Sources = Annotated[list[SourceRef], Field(min_length=1, description="Dokumenten som posten bygger på.")]

Citation = Annotated[str, StringConstraints(min_length=1, max_length=300),
                     Field(description="Lagrum, t.ex. ”5 kap. 15 § andra stycket utlänningslagen” eller ”utlanningslagen#k5-p15-s2”.")]


class HistoryEntry(Record):
    """Something that was true at a date and may have changed since."""

    date: PartialDate
    text: Text
    sources: Sources


class OpenQuestion(Record):
    """Something the sources do not settle, put to the one who can answer it; never shown in reader text.

    The reader meanwhile sees the best safe instruction (``meanwhile``); the question itself is listed on the
    editors' page, by ``handbok review --questions`` and in dist/oppna-fragor.docx.
    """

    question: Text = Field(description="Frågan till förvaltningen, som en fråga (slutar med ?).")
    why: Text = Field(description="Varför svaret spelar roll för den som ska följa rutinen.")
    ask: Id = Field(description="Vem som kan svara (id för en enhet).")
    meanwhile: Text | None = Field(None, description="Vad handboken säger läsaren tills frågan är besvarad "
                                   "(reservvägen), om det inte framgår av själva posten.")


OpenQuestions = Annotated[list[OpenQuestion], Field(description="Öppna frågor till förvaltningen: det som källorna "
                                                    "inte avgör. Visas aldrig i texten som läsaren ser.")]

EditorialStatus = Literal["utkast", "remiss", "fastställd"]


class Editorial(Record):
    """The editorial status of a record that readers act on (a routine, a unit's contact routes)."""

    status: EditorialStatus = Field(description="utkast (sammanställt, inte fastställt), remiss (ute på remiss) eller "
                                    "fastställd (beslutad; kräver approved_by och approved).")
    approved_by: Line | None = Field(None, description="Organet eller rollen som fastställde, t.ex. ”Socialnämnden” "
                                     "eller ”Avdelningschefen, socialförvaltningen”; aldrig en persons namn.")
    approved: Date | None = Field(None, description="Dagen då posten fastställdes.")
    reviewed: Date | None = Field(None, description="Dagen då posten senast granskades i sak; kräver reviewed_by.")
    reviewed_by: Line | None = Field(None, description="Organet eller rollen som granskade; aldrig en persons namn.")


# --- sources --------------------------------------------------------------------

SourceKind = Literal[
    "tjänsteutlåtande", "skrivelse", "rapport", "handlingsplan", "utlåtande", "motion", "program",
    "manual", "webbsida", "pressmeddelande", "författning", "konvention", "direktiv", "annat",
]


Lang = Annotated[Literal["sv", "en"], Field(description="Språket i titeln eller namnet; annat än svenska märks upp "
                                            "med lang så att skärmläsare läser rätt.")]


class Source(Record):
    id: Id
    title: Text
    lang: Lang = "sv"
    issuer: Line
    kind: SourceKind
    diarienummer: Line | None = Field(None, description="Diarienummer, t.ex. ”Dnr SOF 2025/920”. Utelämna om dokumentet saknar.")
    date: PartialDate | None = Field(None, description="När dokumentet är daterat eller publicerades; krävs utom för "
                                     "webbsidor utan datum.")
    url: Url | None = None
    read: Date | None = Field(None, description="Dagen då webbsidan lästes (krävs för webbsidor).")
    description: Text | None = None
    note: Text | None = None
    open_questions: OpenQuestions = []

    @property
    def sort_date(self) -> str:
        """For ordering: the document's date, or the day a web page was read."""
        return self.date or (self.read.isoformat() if self.read else "")


# --- units and actors -------------------------------------------------------------

UnitKind = Literal[
    "stadens verksamhet", "förvaltning", "nämnd", "myndighet", "region", "civilsamhälle", "samverkan",
    "internationell organisation",
]


class AgeRange(Record):
    min: Annotated[int, Field(ge=0, le=120)] | None = None
    max: Annotated[int, Field(ge=0, le=120)] | None = None


class TargetGroup(Record):
    description: Text
    age: AgeRange | None = None


class Unit(Editorial):
    id: Id
    name: Line
    lang: Lang = "sv"
    short_name: Line | None = None
    kind: UnitKind
    parent: Id | None = Field(None, description="Överordnad organisation (id för en annan enhet).")
    mission: Text
    target_group: TargetGroup | None = None
    offers: list[Text] = []
    when_to_contact: list[Text] = []
    co_located_with: list[Id] = []
    area: Line | None = Field(None, description="Geografiskt område, t.ex. ”hela länet”.")
    status: EditorialStatus = "utkast"
    reach: Line | None = Field(None, description="Kort kontaktväg för Först-blocket när enheten saknar eget nummer i "
                               "kontaktvagar.yml, t.ex. ”via Jämställdhetsmyndighetens stödtelefon, 020-39 00 00”.")
    contact: Text | None = Field(None, description="Hur man når enheten när ingen egen kontaktväg finns i "
                                 "content/privacy/kontaktvagar.yml, t.ex. via en växel; hitta aldrig på uppgifter.")
    history: list[HistoryEntry] = []
    open_questions: OpenQuestions = []
    sources: Sources


# --- legal sources ----------------------------------------------------------------

LegalKind = Literal["lag", "förordning", "föreskrift", "allmänna råd", "konvention", "direktiv"]


class Change(Record):
    """A dated change to a law or provision (renamed offence, changed threshold, amendment)."""

    date: Date
    text: Text
    by: Line | None = Field(None, description="Ändringsförfattningen, t.ex. ”SFS 2025:179” eller ”(EU) 2024/1712”.")
    deadline: Date | None = Field(None, description="Sista dag för genomförande, för direktiv.")
    sources: Sources


class Provision(Record):
    ref: Line = Field(description="Paragrafen eller artikeln, t.ex. ”5 kap. 15 § andra stycket” eller ”artikel 12.1 c”.")
    title: Line | None = None
    summary: Line = Field(description="En rad om vad bestämmelsen säger, med egna ord.")
    url: Url | None = Field(None, description="Länk till den officiella texten, om den inte kan härledas.")
    note: Text | None = None
    repealed: Date | None = None
    successor: Citation | None = Field(None, description="Bestämmelsen som ersatte den här.")
    changes: list[Change] = []
    open_questions: OpenQuestions = []


class LegalSource(Record):
    id: Id
    kind: LegalKind
    title: Line = Field(description="Officiell rubrik, t.ex. ”Utlänningslag (2005:716)”.")
    short_title: Line | None = Field(None, description="Kort namn i bestämd form, t.ex. ”utlänningslagen”.")
    abbreviations: list[Line] = []
    aliases: list[Line] = Field([], description="Andra namn som används i hänvisningar.")
    sfs: Annotated[str, StringConstraints(pattern=r"^\d{4}:\d+$")] | None = None
    celex: Annotated[str, StringConstraints(pattern=r"^[0-9A-Z()]+$")] | None = None
    cets: Annotated[str, StringConstraints(pattern=r"^\d+$")] | None = None
    in_force: Date | None = None
    repealed: Date | None = None
    successor: Id | None = None
    url: Url
    changes: list[Change] = []
    note: Text | None = None
    provisions: list[Provision] = []
    open_questions: OpenQuestions = []
    sources: Sources


# --- routines ---------------------------------------------------------------------

TargetKind = Literal["barn", "vuxen", "köpare"]
RoutineKind = Literal["situation", "arbetssätt"]


class Step(Record):
    actor: Id = Field(description="Vem som gör steget (id för en enhet).")
    action: Text
    legal_basis: list[Citation] = []
    time_limit: TimeLimit | None = None
    note: Text | None = None
    implements: list[Id] = Field([], description="Krav i avstämningen (id) som steget genomför. Bara ett sådant steg "
                                 "räknas som täckning i praktiken; att hänvisa till kravets artikel räcker inte.")


class Handover(Record):
    to: Id
    when: Text
    what: Text | None = None


class Right(Record):
    title: Line
    practice: Text = Field(description="Vad rättigheten betyder i praktiken.")
    legal_basis: list[Citation] = []


class First(Record):
    """The block at the top of a situation routine: what to do in the first minutes.

    112, socialjouren and the responsibility of the municipality where the person is come from
    content/first/ (the same on every routine); this part is the situation's own.
    """

    danger: Line | None = Field(None, description="Den här situationens rad om akut fara, i stället för "
                                "standardraden; måste nämna 112.")
    now: Annotated[list[Line], Field(max_length=2)] = Field([], description="Det som måste göras genast i just "
                                                            "den här situationen, högst två korta rader.")
    responsibility: Line | None = Field(None, description="Den här situationens rad om vem som ansvarar, i stället för "
                                        "standardraden, t.ex. för barn: socialtjänsten där barnet är.")
    call: Id = Field(description="Första samtalet under kontorstid (id för en enhet).")
    ask: Line = Field(description="Vad du säger eller ber om när du ringer.")
    have_ready: Annotated[list[Line], Field(min_length=1, max_length=3)] = Field(
        description="Vad du ska ha redo när du ringer, högst tre korta rader.")

    @property
    def words(self) -> int:
        """The routine's own words in the block (the shared lines are counted once, elsewhere)."""
        return sum(len(t.split()) for t in [self.danger or "", *self.now, self.ask, *self.have_ready])

    # The responsibility line replaces a shared line of the same length and is not counted.


class Decision(Record):
    """Who decides and who pays for one thing the routine leads to, before or after a permit."""

    what: Line = Field(description="Vad beslutet gäller, t.ex. ”Skyddat boende innan tillstånd har beviljats”.")
    decides: Id = Field(description="Nämnden eller myndigheten som beslutar (id för en enhet).")
    pays: Id = Field(description="Den som betalar (id för en enhet).")
    note: Text | None = None
    legal_basis: list[Citation] = []


class Routine(Editorial):
    id: Id
    title: Line
    summary: Line
    kind: RoutineKind = Field("situation", description="situation: man möter en person som kan behöva hjälp nu "
                              "(kräver first:); arbetssätt: hur man gör något i ett ärende, t.ex. en SIP.")
    situation: Text
    target_groups: Annotated[list[TargetKind], Field(min_length=1)]
    responsible: Id
    first: First | None = Field(None, description="Först-blocket överst på sidan; krävs för situationsrutiner.")
    steps: Annotated[list[Step], Field(min_length=1)]
    handovers: list[Handover] = []
    decisions: list[Decision] = Field([], description="Vem som beslutar och vem som betalar, före och efter tillstånd.")
    rights: list[Right] = []
    documentation: list[Text] = []
    legal_basis: list[Citation] = []
    related: list[Id] = []
    keywords: list[Line] = []
    synonyms: list[Line] = []
    tags: list[Line] = []
    owner: Id
    updated: Date = Field(description="Dagen då texten senast ändrades.")
    review_interval_months: Annotated[int, Field(ge=1, le=60)]
    featured: bool = Field(False, description="Visas på startsidan under ”Vad gäller situationen?”.")
    open_questions: OpenQuestions = []
    history: list[HistoryEntry] = []
    sources: Sources


class FirstDefaults(Record):
    """The lines that stand in every Först block: immediate danger, outside office hours, who is responsible."""

    id: Id
    danger: Line = Field(description="Raden om akut fara; måste nämna 112.")
    after_hours: Line = Field(description="Utanför kontorstid: socialjouren, och att den nås via 112.")
    after_hours_unit: Id = Field(description="Socialjouren (id för en enhet), som raden länkar till.")
    responsibility: Line = Field(description="Vem som ansvarar för akut stöd och hjälp.")
    responsibility_basis: Annotated[list[Citation], Field(min_length=1)]
    office_hours: Line = Field(description="Inledningen till raden om första samtalet under kontorstid.")
    open_questions: OpenQuestions = []
    sources: Sources


# --- glossary, municipalities, figures ----------------------------------------------


class DiscouragedTerm(Record):
    term: Line
    reason: Text


class Term(Record):
    id: Id
    term: Line
    definition: Text
    preferred: list[Line] = Field([], description="Andra godtagbara ord för samma sak.")
    discouraged: list[DiscouragedTerm] = []
    legal_basis: list[Citation] = []
    see_also: list[Id] = []
    open_questions: OpenQuestions = []
    sources: Sources


class Municipality(Record):
    id: Id
    name: Line
    status: Literal["ansluten", "ej ansluten", "värdkommun", "okänd"] = Field(
        description="Om kommunen har anslutit sig till det länsövergripande erbjudandet; okänd när inget källdokument "
        "säger det (lägg då till en öppen fråga).")
    county: Line = Field(description="Länet kommunen ligger i, t.ex. ”Uppsala län”.")
    police_region: Line = Field(description="Polisregionen, t.ex. ”Polisregion Mitt”.")
    note: Text | None = None
    contact_units: list[Id] = Field([], description="Kommunens egna kontaktenheter (id under content/units/), som "
                                    "visas i kommunens utbildningspaket och på kommunens sida, och inte hos andra "
                                    "kommuner.")
    routines: list[Id] = Field([], description="Kommunens egna rutiner (id under content/routines/). De visas i "
                               "kommunens utbildningspaket och på kommunens sida, och inte i andra kommuners paket.")
    local_note: Text | None = Field(None, description="En lokal anvisning till kommunens egen personal, som står "
                                    "först i kommunens utbildningspaket och på kommunens sida.")
    open_questions: OpenQuestions = []
    sources: Sources

    @property
    def local(self) -> bool:
        """Whether the municipality has a local layer (its own units, routines or note)."""
        return bool(self.contact_units or self.routines or self.local_note)



class Revision(Record):
    """En ändring av dokumentet: när, vad som ändrades och vilka källor ändringen bygger på."""

    model_config = ConfigDict(title="Ändring i dokumentet")

    date: PartialDate = Field(title="Datum", description="När dokumentet ändrades: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, "
                              "t.ex. 2021-12 när planen antogs. Aldrig ett datum som inte står i en källa eller i "
                              "innehållets historik.")
    text: Text = Field(title="Vad som ändrades", description="Vad som ändrades i dokumentet, i en eller två meningar, "
                       "t.ex. ”Socialnämnden antog planen.”")
    sources: list[SourceRef] = Field([], title="Källor", description="Dokumenten som ändringen bygger på, t.ex. "
                                     "[handlingsplan-2021]; utelämna när ändringen bara gäller handbokens egen text.")


class DocumentInfo(Record):
    """Dokumentuppgifterna som står först i ett dokument: typ, ansvarig, giltighet och revisionshistorik."""

    model_config = ConfigDict(title="Dokumentuppgifter")

    type: Line = Field(title="Dokumenttyp", description="Vilken sorts styrdokument det är, t.ex. ”Handlingsplan”, "
                       "”Rutiner” eller ”Bilaga”.")
    owner: Id | None = Field(None, title="Dokumentansvarig", description="Enheten eller nämnden som ansvarar för "
                             "dokumentet (id för en enhet); aldrig en person. Utelämnad visas ”–”.")
    diarienummer: Line | None = Field(None, title="Diarienummer", description="Dokumentets diarienummer, t.ex. "
                                      "”Dnr SOF 2026/123”. Utelämnat visas ”–”; en plan anger det i planen.")
    valid_until: PartialDate | None = Field(None, title="Gäller till", description="Sista dag, månad eller år som "
                                            "dokumentet gäller, enligt beslutet. Utelämnat visas ”–”.")
    version: Line | None = Field(None, title="Dokumentversion", description="Versionen så som förvaltningen anger den, t.ex. "
                                 "”1.0”. Utelämnad visas datumet för den senaste ändringen i revisionshistoriken.")
    changelog: list[Revision] = Field([], title="Revisionshistorik", description="Dokumentets ändringar, äldst "
                                      "först: datum, vad som ändrades och källor.")


class Organisation(Record):
    """Who publishes the handbook (content/organisation.yml): names, titles and the author of every document."""
    id: Id
    name: Line = Field(description="Organisationens namn, t.ex. ”Nacka kommun”.")
    department: Line | None = Field(None, description="Förvaltningen som äger handboken, t.ex. ”Socialförvaltningen”.")
    logo: Line | None = Field(None, description="Logotypen: en bildfil (SVG eller PNG) i innehållsmappen, relativt "
                              "den, t.ex. ”logotyp.svg”.")
    site_title: Line = Field(description="Webbplatsens och den utskrivbara handbokens titel.")
    short_title: Line | None = Field(None, description="Kort titel för sidhuvudet på telefon.")
    site_description: Line | None = Field(None, description="En mening om handboken, för sökmotorer och delade länkar.")
    about: Text | None = Field(None, description="Inledningen på sidan Om handboken (Markdown), när innehållet "
                               "saknar en egen pages/om.md.")
    document_author: Line | None = Field(None, description="Författaren i dokumentens egenskaper; standard är namnet "
                                         "och förvaltningen.")
    document_header: Line | None = Field(None, description="Texten i sidhuvudet på fastställda dokument; standard är "
                                         "namnet.")
    default_owner: Id | None = Field(None, description="Enheten som äger nya rutiner (id under content/units/).")
    feedback: Url | None = Field(None, description="Vart läsarna skickar synpunkter på en sida: en mailto:-adress "
                                 "eller adressen till ett formulär. Går före extra.feedback i mkdocs.yml.")
    site_url: Url | None = Field(None, description="Webbplatsens publicerade adress, t.ex. "
                                 "”https://example.se/rutinhandbok/”, för sitemap och 404-sidan. Går före site_url i "
                                 "mkdocs.yml; `handbok build --site-url` går före båda.")
    note: Text | None = None
    documents: dict[Id, DocumentInfo] = Field({}, title="Dokumentuppgifter", description="Uppgifterna överst i "
                                              "varje utskrivet dokument utom planen, per dokument: rutinhandbok, "
                                              "avstamning, oppna-fragor eller utbildning (utbildningspaketens "
                                              "deltagarmaterial och utbildarhandledning).")
    open_questions: OpenQuestions = []
    sources: list[SourceCitation] = []

    @property
    def author(self) -> str:
        if self.document_author:
            return self.document_author
        return f"{self.name}, {self.department[:1].lower() + self.department[1:]}" if self.department else self.name

    @property
    def header(self) -> str:
        return self.document_header or self.name


#: Used when the content has no organisation record (a neutral handbook, named by nothing but its title).
DEFAULT_ORGANISATION = Organisation.model_construct(
    id="organisation", name="", department=None, logo=None, site_title="Rutinhandbok mot prostitution och människohandel",
    short_title="Rutinhandboken", site_description=None, about=None, document_author="", document_header="",
    default_owner=None, feedback=None, site_url=None, note=None, sources=[])


class Breakdown(Record):
    label: Line
    value: int | float


class Figure(Record):
    id: Id
    label: Line
    value: int | float
    unit: Line
    period: Line = Field(description="Perioden i klartext, t.ex. ”2024” eller ”våren 2025”.")
    date: PartialDate = Field(description="När uppgiften gällde, för sortering.")
    series: Id | None = Field(None, description="Serie som punkten hör till i diagram.")
    approximate: bool = False
    breakdown: list[Breakdown] = []
    note: Text | None = None
    open_questions: OpenQuestions = []
    sources: Sources


# --- the action plan and its measures ---------------------------------------------------

PROSE_FILE_RE = r"^[a-z0-9][a-z0-9._/-]*\.md$"
ProseFile = Annotated[str, StringConstraints(pattern=PROSE_FILE_RE, max_length=300),
                      Field(description="Markdownfil med kapitlets text, relativt content/plans/, t.ex. ”handlingsplan-2021/inledning.md”.")]


class Area(Record):
    """A development area (utvecklingsområde) of the plan; its measures point at its number."""

    number: Annotated[int, Field(ge=1, le=20)]
    title: Line
    file: ProseFile | None = None
    summary: Line | None = Field(None, title="Områdets mening i sammanfattningen", description="En eller två "
                                 "meningar ur områdets text, ordagrant, som står i planens sammanfattning.")


class Chapter(Record):
    id: Id
    title: Line
    file: ProseFile | None = None
    terms: list[Id] = Field([], description="Begrepp som kapitlet hämtar ur begreppslistan.")
    units: list[Id] = Field([], description="Enheter som kapitlet hämtar ur enhetsposterna.")
    areas: list[Area] = Field([], description="Utvecklingsområden; varje område visar sin text och sina åtgärder.")
    measures: bool = Field(False, description="Visa hela listan med åtgärder här.")
    figures: bool = Field(False, description="Visa uppföljningens diagram och tabeller här.")
    follow_up: bool = Field(False, title="Åtgärdernas status", description="Visa åtgärdernas status här, i en "
                            "bilaga skild från planens egen text; annars står den vid åtgärderna.")
    editorial: bool = Field(False, title="Redaktionella anmärkningar", description="Visa här, i dokumenten, vad "
                            "texten är och hur åtgärderna har tagits fram (status_note och measures_note).")


class Plan(Record):
    id: Id
    title: Line
    committee: Id = Field(description="Nämnden som antog planen (id för en enhet).")
    diarienummer: Line
    adopted: PartialDate
    period: Line
    source: Id = Field(description="Källposten för själva dokumentet.")
    status_note: Text = Field(description="Vad texten är och vad som har ändrats sedan planen antogs, daterat.")
    measures_note: Text | None = Field(None, description="Hur listan med åtgärder har tagits fram.")
    summary: Text | None = Field(None, title="Sammanfattning", description="Planens syfte i några meningar ur "
                                 "planens egen text, ordagrant; sammanfattningen lägger till en mening per "
                                 "utvecklingsområde (summary under areas).")
    document: DocumentInfo | None = Field(None, title="Dokumentuppgifter", description="Dokumenttyp, ansvarig, "
                                          "giltighet och revisionshistorik för den utskrivna planen.")
    chapters: Annotated[list[Chapter], Field(min_length=1)]
    open_questions: OpenQuestions = []
    sources: Sources


MeasureStatus = Literal["föreslagen", "påbörjad", "genomförd", "okänd"]


class Measure(Record):
    id: Id
    plan: Id
    area: Annotated[int, Field(ge=1, le=20, description="Utvecklingsområdets nummer i planen.")]
    title: Line
    description: Text
    responsible: Id
    timeframe: Line
    programme_goal: Line | None = Field(None, description="Programmets mål som åtgärden hör till; null när källorna inte säger det.")
    indicator: Text | None = Field(None, description="Hur åtgärden följs upp; null när källorna inte anger det.")
    status: MeasureStatus
    status_note: Text | None = None
    reconstructed: bool = Field(False, description="true när åtgärden är rekonstruerad ur planens text.")
    open_questions: OpenQuestions = []
    sources: Sources


# --- training --------------------------------------------------------------------------


class Segment(Record):
    title: Line
    minutes: Annotated[int, Field(ge=1, le=240)]
    points: Annotated[list[Line], Field(max_length=6)] = []
    notes: Text = Field(description="Talaranteckningar för utbildaren.")
    routines: list[Id] = []
    legal: list[Citation] = []
    terms: list[Id] = []
    units: list[Id] = []
    teaches: list[Id] = Field([], description="Krav i avstämningen (id) som avsnittet lär ut; bara så räknas "
                              "utbildningen som täckning.")


class Option(Record):
    text: Line
    correct: bool = False


class Question(Record):
    question: Line
    options: Annotated[list[Option], Field(min_length=2, max_length=5)]
    explanation: Text
    teaches: list[Id] = Field([], description="Krav i avstämningen (id) som frågan prövar.")


class Module(Record):
    id: Id
    title: Line
    audience: Text
    duration_minutes: Annotated[int, Field(ge=5, le=480)]
    objectives: Annotated[list[Line], Field(min_length=1)]
    segments: Annotated[list[Segment], Field(min_length=1)]
    questions: Annotated[list[Question], Field(min_length=1)]
    open_questions: OpenQuestions = []
    sources: Sources


class Route(Record):
    """Where the staff of a municipality turn in one situation: to whom, and how; ``{kommun}`` is replaced."""

    model_config = ConfigDict(**Record.model_config, title="Kontaktväg i paketet", json_schema_extra={
        "description": "En kontaktväg i ett utbildningspaket: i vilken situation, till vem och hur; {kommun} byts "
                       "mot kommunens namn."})

    when: Line = Field(title="Situation", description="När vägen gäller, kort, t.ex. ”Misstänkt människohandel”.")
    who: Line = Field(title="Vänd dig till", description="Vem man vänder sig till, t.ex. ”Regionkoordinatorn”.")
    how: Text = Field(title="Så gör du", description="Hur man når dem, med en kontaktväg ur listan över officiella "
                      "kontaktvägar, t.ex. ”Ring 112 och be att få tala med socialjouren.”")
    sources: Sources


class Variant(Record):
    """What a training pack says for one kind of municipality; ``{kommun}`` is replaced by its name."""

    title: Line
    audience: Text | None = Field(None, title="Målgrupp", description="Vem paketet är till för, i den här sortens "
                                  "kommun; står först i deltagarmaterialet och handledningen. Tom: kursens målgrupp.")
    points: Annotated[list[Line], Field(max_length=6)] = []
    notes: Text
    routes: list[Route] = Field([], title="Vart ni vänder er", description="En kontaktväg per situation. Paketet "
                                "anger bara de här vägarna, likadant i presentationen, deltagarmaterialet och "
                                "handledningen.")
    units: list[Id] = []
    routines: list[Id] = []
    sources: Sources


class Variants(Record):
    ansluten: Variant
    ej_ansluten: Variant = Field(alias="ej ansluten")
    okand: Variant | None = Field(None, alias="okänd", title="Kommun med okänd anslutning", description="Vad "
                                  "utbildningspaketet säger i en kommun där det inte är klarlagt om den har anslutit "
                                  "sig till länserbjudandet; {kommun} byts mot kommunens namn. Tom: som ej ansluten.")


class Course(Record):
    id: Id
    title: Line
    offer: Id = Field(description="Erbjudandet som kursen hör till (id för en enhet).")
    audience: Text
    description: Text
    modules: Annotated[list[Id], Field(min_length=1)]
    variants: Variants
    open_questions: OpenQuestions = []
    sources: Sources


# --- guidance and the programme (alignment) ----------------------------------------------

RequirementBasis = Literal["convention", "guidance", "law", "manual"]


class Finding(Record):
    """A tension between a requirement and Swedish law, practice or the programme's own wording.

    Open until the programme states its position; an open finding is a warning, and the alignment then reads
    "i linje, med N öppna avvikelser", never a plain "i linje".
    """

    id: Id
    title: Line
    text: Text = Field(description="Vad avvikelsen består i: vad kravet begär och vad lagen, praxis eller programmet säger.")
    against: Literal["lag", "praxis", "programmet"] = Field(description="Vad kravet avviker mot.")
    severity: Literal["låg", "medel", "hög"]
    date: Date = Field(description="När avvikelsen noterades.")
    legal: list[Citation] = Field([], description="Bestämmelser som avvikelsen gäller, med punkt där det behövs.")
    status: Literal["öppen", "besvarad"] = "öppen"
    position: Text | None = Field(None, description="Programmets ställningstagande; krävs när status är besvarad.")
    sources: Sources


class Requirement(Record):
    """A requirement of the guidance on the reflection period and the victim's rights."""

    id: Id
    title: Line
    text: Text
    rationale: Text
    basis: RequirementBasis = Field(description="Konventionen, GRETA:s vägledning, svensk lag eller MMM.")
    legal: list[Citation] = Field([], description="Bestämmelser som kravet vilar på. En rutin som hänvisar till dem "
                                  "utan ett steg som genomför kravet redovisas som ”nämns men genomförs inte”.")
    actors: list[Id] = Field([], description="Aktörer (id för enheter) som kravet själv pekar ut som ansvariga. Ett steg "
                             "räknas bara om dess aktör är en kommunal enhet eller står här.")
    key_terms: list[Line] = Field([], description="Ord som ett genomförande steg måste använda i sin egen text (böjda "
                                  "former räknas), t.ex. ”avvisning” för kravet att ingen avlägsnas under identifieringen.")
    programme_terms: list[Line] = Field([], description="Ord som programmets text måste använda.")
    findings: list[Finding] = Field([], description="Avvikelser mellan kravet och svensk lag, praxis eller programmets "
                                    "formulering, öppna eller besvarade med programmets ställningstagande.")
    open_questions: OpenQuestions = []
    sources: Sources


class Commitment(Record):
    id: Id
    text: Text
    addresses: list[Id] = Field([], description="Kraven (id) som åtagandet svarar mot.")
    sources: Sources


class Goal(Record):
    id: Id
    title: Line
    text: Text | None = None
    commitments: list[Commitment] = []


class Waiver(Record):
    """A requirement the programme does not take on, with a written justification and a date."""

    requirement: Id
    justification: Text
    date: Date


class Programme(Record):
    id: Id
    title: Text
    period: Line
    status: Literal["gällande", "utkast", "ersatt"]
    adopted: PartialDate | None = None
    draft_note: Text | None = Field(None, description="Krävs för utkast: att texten är ett utkast att ändra i.")
    description: Text = Field(description="Vad källorna säger om programmet (inte programmets egen text).")
    goals: list[Goal] = []
    waivers: list[Waiver] = []
    open_questions: OpenQuestions = []
    sources: Sources


# --- accessibility statement ------------------------------------------------------------------


class KnownIssue(Record):
    """Something known not to comply, with why: an axe rule id from the audit, or a limitation found by hand."""

    rule: Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(-[a-z0-9]+)*$")] = Field(
        description="axe-regelns id (t.ex. ”heading-order”) eller ett eget id för en brist som hittats för hand.")
    title: Line
    reason: Text
    fix: Text | None = Field(None, description="Vad som görs åt bristen, och när, om det är bestämt.")


class Statement(Record):
    """The accessibility statement (tillgänglighetsredogörelse) that the DOS law requires."""

    id: Id
    title: Line
    organisation: Line
    scope: Text = Field(description="Vad redogörelsen gäller: webbplatsen och dokumenten.")
    compliance: Text = Field(description="Hur väl tjänsten uppfyller kraven, med egna ord och utan att överdriva.")
    method: Text = Field(description="Hur granskningen har gjorts, utöver den automatiska.")
    known_issues: list[KnownIssue] = []
    feedback: Text = Field(description="Hur man rapporterar en brist; hitta inte på kontaktuppgifter.")
    enforcement: Text = Field(description="Vart man vänder sig om svaret inte räcker.")
    open_questions: OpenQuestions = []
    sources: list[SourceRef] = []


# --- privacy ----------------------------------------------------------------------

class ContactPoint(Record):
    """An official contact point whose phone number or e-mail address may appear in the content."""

    value: Line = Field(description="Numret eller adressen som det skrivs i innehållet.")
    kind: Literal["phone", "email"]
    name: Line = Field(description="Vems kontaktväg det är, t.ex. en enhets växel eller funktionsbrevlåda.")
    unit: Id | None = Field(None, description="Enheten som kontaktvägen hör till, om den finns i content/units/.")
    hours: Line | None = Field(None, description="När kontaktvägen är öppen, enligt källan.")
    note: Line | None = Field(None, description="Vem den är till för eller vad man ska tänka på, enligt källan.")
    sources: Annotated[list[SourceRef], Field(min_length=1, description="Den officiella webbsidan som anger "
                                              "kontaktvägen (en källa med url och läsdatum).")]


class Allowlist(Record):
    """The explicit list of official contact points; every other phone number or e-mail address is an error."""

    id: Id
    title: Line
    note: Text = Field(description="Varför listan ser ut som den gör, t.ex. att källorna inte anger några kontaktvägar.")
    entries: list[ContactPoint] = []


class ReviewComment(Record):
    """A reviewer's comment on the remiss document, read by `handbok comments` (never written by hand)."""

    id: Id = Field(description="Räknas fram ur ankare, författare, datum och text; samma kommentar får samma id.")
    anchor: Line = Field(description="Blocket som kommentaren sitter i: krav/<id>, åtagande/<id> eller mål/<id>.")
    author: Line = Field(description="Författaren så som det står i filen.")
    date: Line | None = None
    text: Text
    quoted: Text | None = Field(None, description="Den text i dokumentet som kommentaren markerar.")
    response: Text | None = Field(None, description="Svaret; en kommentar med svar är stängd.")


class Remissvar(Record):
    """The comments read from one reviewed remiss document (content/remissvar/<file>.yml)."""

    id: Id
    file: Line = Field(description="Filen som kommentarerna lästes ur.")
    programme: Id
    comments: list[ReviewComment] = []


KIND_MODELS: dict[str, type[Record]] = {
    "source": Source,
    "unit": Unit,
    "legal": LegalSource,
    "routine": Routine,
    "term": Term,
    "municipality": Municipality,
    "figure": Figure,
    "plan": Plan,
    "measure": Measure,
    "module": Module,
    "course": Course,
    "requirement": Requirement,
    "programme": Programme,
    "statement": Statement,
    "allowlist": Allowlist,
    "first": FirstDefaults,
    "remissvar": Remissvar,
    "organisation": Organisation,
}
KIND_LABELS = {
    "source": "källa",
    "unit": "enhet",
    "legal": "rättskälla",
    "routine": "rutin",
    "term": "begrepp",
    "municipality": "kommun",
    "figure": "uppgift",
    "plan": "handlingsplan",
    "measure": "åtgärd",
    "module": "utbildningsmodul",
    "course": "kurs",
    "requirement": "krav",
    "programme": "program",
    "statement": "tillgänglighetsredogörelse",
    "allowlist": "lista över kontaktvägar",
    "first": "först-block",
    "remissvar": "remissvar",
    "organisation": "organisation",
}


# --- from documents to records -------------------------------------------------------

def _fields(model: type[BaseModel], loc: tuple) -> list[str]:
    """The keys allowed at ``loc`` inside ``model``, for 'did you mean' hints."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = getattr(current, "model_fields", {}).get(part)
        if field is None:
            break
        current = _inner_model(field.annotation)
        if current is None:
            return []
    names = list(getattr(current, "model_fields", {}))
    # The editorial fields come first in the model (a base class); in a hint they read better after the record's own.
    own = [n for n in names if n not in Editorial.model_fields]
    return own + [n for n in names if n in Editorial.model_fields] if own and len(own) < len(names) else names


def _inner_model(annotation: Any) -> Any:
    from typing import get_args

    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in get_args(annotation):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


_CODES = {
    "missing": "missing-key",
    "extra_forbidden": "unknown-key",
    "date_type": "invalid-date",
    "date_parsing": "invalid-date",
    "date_from_datetime_parsing": "invalid-date",
    "date_from_datetime_inexact": "invalid-date",
    "string_pattern_mismatch": "invalid-value",
    "literal_error": "invalid-value",
    "too_short": "invalid-value",
    "too_long": "invalid-value",
    "string_too_short": "invalid-value",
    "string_too_long": "invalid-value",
    "greater_than_equal": "invalid-value",
    "less_than_equal": "invalid-value",
}


def _describe(value: Any) -> str:
    if isinstance(value, bool):
        return "ett sanningsvärde"
    if isinstance(value, (int, float)):
        return f"talet {value}"
    if isinstance(value, str):
        return f"texten {value[:40]!r}"
    if isinstance(value, list):
        return "en lista"
    if isinstance(value, dict):
        return "en mappning"
    if isinstance(value, dt.date):
        return f"datumet {value.isoformat()}"
    if value is None:
        return "ett tomt värde"
    return type(value).__name__


def _doc_loc(loc: tuple, data: Any) -> tuple:
    """A pydantic location without the names of union members (``SourceCitation``).

    A part that is a key in the document stays, whatever its case: ``Title:`` is an unknown key to report.
    """
    out: list = []
    node = data
    for part in loc:
        if (isinstance(node, dict) and part in node) or (isinstance(node, list) and isinstance(part, int)
                                                          and 0 <= part < len(node)):
            out.append(part)
            node = node[part]
            continue
        node = None
        if not (isinstance(part, str) and part[:1].isupper()):
            out.append(part)
    return tuple(out)


# How a writer names the items of a list: "steg 1", not "steps.0".
ITEM_NAMES = {
    "steps": "steg", "handovers": "överlämning", "rights": "rättighet", "decisions": "beslut", "segments": "avsnitt",
    "questions": "fråga", "options": "alternativ", "sources": "källa", "commitments": "åtagande", "goals": "mål",
    "findings": "avvikelse", "comments": "kommentar", "history": "ändring", "open_questions": "öppen fråga",
    "entries": "kontaktväg", "provisions": "bestämmelse", "chapters": "kapitel", "areas": "område",
    "waivers": "undantag", "breakdown": "delsiffra", "variants": "variant", "have_ready": "punkt",
    "now": "punkt", "legal_basis": "lagrum", "legal": "lagrum", "points": "punkt", "target_groups": "målgrupp",
    "tags": "tagg", "keywords": "sökord", "synonyms": "synonym", "related": "relaterad rutin",
    "implements": "krav", "teaches": "krav", "offers": "erbjudande", "when_to_contact": "tillfälle",
}


def human_loc(loc: tuple) -> str:
    """('steps', 0, 'time_limit') -> 'steg 1, time_limit'; counted from 1, as the writer counts."""
    parts: list[str] = []
    for i, part in enumerate(loc):
        if isinstance(part, int):
            parent = loc[i - 1] if i else ""
            name = ITEM_NAMES.get(str(parent))
            if name and parts and parts[-1] == parent:
                parts[-1] = f"{name} {part + 1}"
            else:
                parts.append(f"nummer {part + 1}")
        else:
            parts.append(str(part))
    return ", ".join(parts)


def _message(err: dict, model: type[BaseModel], doc: Document) -> tuple[str, str, str, bool]:
    """(code, message, hint, point at key) for one pydantic error."""
    import difflib

    etype = err["type"]
    loc = _doc_loc(tuple(err["loc"]), doc.data)
    where = human_loc(loc) or "filen"
    code = _CODES.get(etype, "wrong-type")
    value = err.get("input")
    if etype == "extra_forbidden":
        key = loc[-1]
        allowed = _fields(model, loc[:-1])
        close = difflib.get_close_matches(str(key), allowed, n=1)
        hint = f"Menade du {close[0]!r}? " if close else ""
        hint += "Tillåtna nycklar här: " + ", ".join(allowed) + "."
        return code, f"Okänd nyckel {key!r}.", hint, True
    if etype == "missing":
        return code, f"Nyckeln {loc[-1]!r} saknas.", f"Lägg till `{loc[-1]}:` i filen.", False
    if code == "invalid-date":
        return code, f"{where}: {_describe(value)} är inget giltigt datum.", \
            "Skriv datum som ÅÅÅÅ-MM-DD utan citattecken, till exempel 2026-03-18.", False
    if etype == "literal_error":
        expected = err.get("ctx", {}).get("expected", "")
        return code, f"{where}: {_describe(value)} är inte ett tillåtet värde.", f"Tillåtna värden: {expected.replace(' or ', ' eller ')}.", False
    if etype == "string_pattern_mismatch":
        field = str(loc[-1]) if loc else ""
        hints = {
            "time_limit": "Skriv till exempel ”omedelbart”, ”samma dag”, ”skyndsamt” eller ”inom 30 dagar”.",
            "url": "Länkar ska börja med https:// (eller http://, mailto:).",
            "sfs": "SFS-nummer skrivs ÅÅÅÅ:NNN, till exempel 2005:716.",
        }
        hint = hints.get(field, "")
        is_id = (field in ("id", "parent", "responsible", "owner", "actor", "to", "successor", "call", "decides", "pays",
                           "ask", "default_owner")
                 or any(k in loc for k in ("related", "see_also", "co_located_with", "sources", "contact_units",
                                           "routines", "implements", "teaches", "actors")))
        if not hint and is_id:
            hint = "Id skrivs med små bokstäver a–z, siffror och bindestreck, utan å, ä, ö, till exempel `betanketid-vuxen`."
        if value == "":  # a placeholder left empty, as `handbok new` writes them
            return code, f"{where} får inte vara tom.", (f"Fyll i ett id. {hint}" if is_id else
                                                          hint or "Fyll i värdet eller ta bort nyckeln om den är frivillig."), False
        return code, f"{where}: {_describe(value)} har fel form.", hint or "Se README: Skriva innehåll.", False
    if etype in ("too_short", "string_too_short"):
        return code, f"{where} får inte vara tom.", "Fyll i värdet eller ta bort nyckeln om den är frivillig.", False
    if etype in ("too_long", "string_too_long"):
        return code, f"{where} är för lång.", f"Gränsen är {err.get('ctx', {}).get('max_length', '?')} tecken.", False
    if etype in ("greater_than_equal", "less_than_equal"):
        return code, f"{where}: {_describe(value)} ligger utanför det tillåtna intervallet.", err["msg"] + ".", False
    expected = {
        "string_type": "text", "int_type": "ett heltal", "bool_type": "true eller false", "list_type": "en lista",
        "dict_type": "en mappning", "model_type": "en mappning", "model_attributes_type": "en mappning",
        "float_type": "ett tal", "int_from_float": "ett heltal",
    }.get(etype, err["msg"].lower())
    hint = "Sätt text inom citattecken om den ser ut som ett tal, datum eller true/false." if etype == "string_type" else ""
    if etype in ("list_type",):
        hint = "En lista skrivs med ett bindestreck per rad: `- första`."
    return "wrong-type", f"{where}: väntade {expected}, fick {_describe(value)}.", hint, False


def build_record(doc: Document) -> tuple[Record | None, list[Issue]]:
    model = KIND_MODELS[doc.kind]
    try:
        return model.model_validate(doc.data), []
    except ValidationError as exc:
        issues = []
        seen = set()
        for err in exc.errors(include_url=False):
            code, message, hint, at_key = _message(err, model, doc)
            loc = tuple(p for p in err["loc"])
            pos = doc.pos(loc, key=at_key)
            if err["type"] == "missing":
                pos = doc.pos(loc[:-1])
            key = (code, message, pos)
            if key in seen:
                continue
            seen.add(key)
            issues.append(error(code, message, doc.path, pos, hint=hint))
        return None, issues
