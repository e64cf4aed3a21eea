"""``handbok schema``: JSON Schema for each kind of content, wired up for editors.

Writes ``<content>/_schemas/<kind>.schema.json`` from the pydantic models and
maps them to the content folders in ``.vscode/settings.json`` of the workspace
that holds the content folder (its parent), with paths relative to that folder
(the Red Hat YAML extension, built on yaml-language-server). Other
yaml-language-server editors can use the same files through a modeline; see the
README.

The editor shows each key's ``title`` and ``description``. pydantic would title
the keys in English from their names ("Legal Basis"), so every key gets a Swedish
label and a description of what to write from the tables below; a description
given with ``Field(description=…)`` in the model is kept unless the table
overrides it for that model.
"""

from __future__ import annotations

import copy
import json
import sys
from pathlib import Path
from typing import Iterator

from .load import KIND_DIRS, display_path
from .model import KIND_LABELS, KIND_MODELS

SCHEMA_DIR = "_schemas"

try:  # content kinds kept in one file at the top of the content folder (content/organisation.yml)
    from .load import KIND_FILES
except ImportError:  # pragma: no cover - an older load.py without them
    KIND_FILES: dict[str, str] = {}

# --- Swedish labels ---------------------------------------------------------------------------------------------------
#
# FIELDS: key -> (title, description). The description is used when the model gives none of its own.
# OVERRIDES: (model class, key) -> (title or None, description or None), for a key that means something else there.

FIELDS: dict[str, tuple[str, str]] = {
    "about": ("Om handboken", "Inledningen på sidan Om handboken, i Markdown."),
    "abbreviations": ("Förkortningar", "Förkortningar som används i hänvisningar, t.ex. [LVU] eller [OSL]."),
    "action": ("Vad som görs", "Vad aktören gör i steget, som en uppmaning till läsaren, t.ex. ”Gör en orosanmälan "
               "samma dag.”"),
    "actor": ("Vem", "Vem som gör steget (id för en enhet), t.ex. ”socialjouren”."),
    "actors": ("Ansvariga aktörer", "Aktörer (id för enheter) som kravet pekar ut som ansvariga, t.ex. [polisen]."),
    "addresses": ("Svarar mot krav", "Kraven (id) som åtagandet svarar mot, t.ex. [betanketid-minst-30-dagar]."),
    "adopted": ("Antagen", "När dokumentet antogs: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, t.ex. 2021-12-15."),
    "after_hours": ("Utanför kontorstid", "Raden om tiden utanför kontorstid, t.ex. ”Ring 112 och be att få tala med "
                    "socialjouren.”"),
    "after_hours_unit": ("Socialjouren", "Socialjouren (id för en enhet), som raden länkar till."),
    "against": ("Avviker mot", "Vad kravet avviker mot: lag, praxis eller programmet."),
    "age": ("Ålder", "Åldersspannet, t.ex. {min: 18} för vuxna eller {max: 17} för barn."),
    "aliases": ("Andra namn", "Andra namn som används i hänvisningar, t.ex. ”lagen om vård av unga”."),
    "anchor": ("Block", "Blocket som kommentaren sitter i: krav/<id>, åtagande/<id> eller mål/<id>."),
    "ansluten": ("Ansluten kommun", "Vad utbildningspaketet säger i en kommun som har anslutit sig till "
                 "länserbjudandet; {kommun} byts mot kommunens namn."),
    "approved": ("Fastställd den", "Dagen då posten fastställdes, ÅÅÅÅ-MM-DD, t.ex. 2026-03-18."),
    "approved_by": ("Fastställd av", "Organet eller rollen som fastställde, t.ex. ”Socialnämnden”; aldrig en persons "
                    "namn."),
    "approximate": ("Ungefärlig", "true när siffran är ungefärlig (”cirka 40”), annars utelämna nyckeln."),
    "area": ("Område", "Geografiskt område, t.ex. ”hela länet”."),
    "areas": ("Utvecklingsområden", "Planens utvecklingsområden, med nummer och rubrik."),
    "ask": ("Fråga till", "Vem som kan svara (id för en enhet), t.ex. ”socialforvaltningen”."),
    "audience": ("Målgrupp", "Vem utbildningen är till för, t.ex. ”Socialsekreterare i stadsdelsförvaltningarna”."),
    "author": ("Författare", "Författaren så som det står i filen."),
    "basis": ("Grund", "Vad kravet vilar på: convention, guidance, law eller manual."),
    "breakdown": ("Fördelning", "Delsiffror med benämning och värde, t.ex. {label: Kvinnor, value: 12}."),
    "by": ("Ändrad genom", "Ändringsförfattningen, t.ex. ”SFS 2025:179” eller ”(EU) 2024/1712”."),
    "call": ("Ring först", "Första samtalet under kontorstid (id för en enhet), t.ex. ”regionkoordinatorerna”."),
    "celex": ("CELEX-nummer", "EU-rättsaktens CELEX-nummer, t.ex. ”32011L0036”."),
    "cets": ("CETS-nummer", "Europarådskonventionens nummer i CETS, t.ex. ”197”."),
    "changes": ("Ändringar", "Daterade ändringar med text och källa, t.ex. ett brott som fått nytt namn."),
    "chapters": ("Kapitel", "Planens kapitel i ordning, med id, rubrik och textfil."),
    "co_located_with": ("Samlokaliserad med", "Enheter (id) som finns på samma plats, t.ex. [barnahus-stockholm]."),
    "comments": ("Kommentarer", "Kommentarerna som lästes in ur filen; skrivs av `handbok comments`."),
    "commitments": ("Åtaganden", "Programmets åtaganden under målet, med id, text och vilka krav de svarar mot."),
    "committee": ("Nämnd", "Nämnden som antog planen (id för en enhet)."),
    "compliance": ("Förenlighet", "Hur väl tjänsten uppfyller kraven, med egna ord och utan att överdriva."),
    "contact": ("Kontakt", "Hur man når enheten när ingen egen kontaktväg finns, t.ex. via en växel."),
    "contact_units": ("Lokala kontaktenheter", "Kommunens egna kontaktenheter (id under content/units/)."),
    "correct": ("Rätt svar", "true för det rätta svarsalternativet; utelämna för de andra."),
    "county": ("Län", "Länet kommunen ligger i, t.ex. ”Uppsala län”."),
    "danger": ("Akut fara", "Raden om akut fara; måste nämna 112, t.ex. ”Är någon i akut fara: ring 112.”"),
    "date": ("Datum", "Datumet, som ÅÅÅÅ-MM-DD, t.ex. 2026-03-18."),
    "deadline": ("Sista dag", "Sista dag för genomförande av ett direktiv, ÅÅÅÅ-MM-DD."),
    "decides": ("Beslutar", "Nämnden eller myndigheten som beslutar (id för en enhet)."),
    "decisions": ("Beslut och betalning", "Vem som beslutar och vem som betalar, före och efter tillstånd."),
    "default_owner": ("Standardägare", "Enheten som äger nya rutiner (id under content/units/)."),
    "definition": ("Betydelse", "Vad ordet betyder, i en eller två meningar, t.ex. ”En tidsbegränsad period då ett "
                   "möjligt offer kan återhämta sig och fundera på om hen vill samarbeta med polisen.”"),
    "department": ("Förvaltning", "Förvaltningen som äger handboken, t.ex. ”Socialförvaltningen”."),
    "description": ("Beskrivning", "En kort beskrivning med egna ord, t.ex. vad dokumentet innehåller."),
    "diarienummer": ("Diarienummer (dnr)", "Diarienummer, t.ex. ”Dnr SOF 2025/920”."),
    "discouraged": ("Ord att undvika", "Ord som inte ska användas, vart och ett med skäl, t.ex. {term: trafficking, "
                    "reason: Engelskt ord; skriv människohandel.}"),
    "document_author": ("Dokumentens författare", "Författaren i dokumentens egenskaper."),
    "document_header": ("Sidhuvud", "Texten i sidhuvudet på fastställda dokument."),
    "documentation": ("Dokumentation", "Vad läsaren ska dokumentera, en punkt per rad, t.ex. ”Anteckna vem som "
                      "tolkade.”"),
    "draft_note": ("Om utkastet", "Krävs för utkast: att texten är ett utkast att ändra i."),
    "duration_minutes": ("Längd i minuter", "Hur lång modulen är, i minuter (5–480), t.ex. 90."),
    "ej ansluten": ("Kommun som inte är ansluten", "Vad utbildningspaketet säger i en kommun som inte har anslutit "
                    "sig till länserbjudandet; {kommun} byts mot kommunens namn."),
    "enforcement": ("Tillsyn", "Vart man vänder sig om svaret inte räcker, t.ex. Myndigheten för digital förvaltning."),
    "entries": ("Kontaktvägar", "De officiella kontaktvägarna: nummer eller adress, typ, namn och källa."),
    "explanation": ("Förklaring", "Varför svaret är rätt, som visas efter att man har svarat."),
    "featured": ("På startsidan", "true för att visa rutinen på startsidan under ”Vad gäller situationen?”."),
    "feedback": ("Rapportera brister", "Hur man rapporterar en brist; hitta inte på kontaktuppgifter."),
    "figures": ("Diagram", "true för att visa uppföljningens diagram och tabeller i kapitlet."),
    "file": ("Fil", "Filen med texten, t.ex. ”handlingsplan-2021/inledning.md”."),
    "findings": ("Avvikelser", "Avvikelser mellan kravet och svensk lag, praxis eller programmets formulering."),
    "first": ("Först-blocket", "Först-blocket överst på sidan; krävs för situationsrutiner."),
    "fix": ("Åtgärd", "Vad som görs åt bristen, och när, om det är bestämt."),
    "goals": ("Mål", "Programmets mål, vart och ett med sina åtaganden."),
    "handovers": ("Överlämningar", "Till vem ärendet lämnas över och när, t.ex. {to: socialjouren, when: Utanför "
                  "kontorstid.}"),
    "have_ready": ("Ha redo", "Vad du ska ha redo när du ringer, högst tre korta rader, t.ex. ”Var personen är "
                   "nu.”"),
    "history": ("Historik", "Det som gällde förr, daterat och med källa, t.ex. {date: 2021-12, text: …, sources: …}."),
    "hours": ("Öppettider", "När kontaktvägen är öppen, enligt källan, t.ex. ”vardagar 8–16”."),
    "id": ("Id (filnamn)", "Postens id: samma som filnamnet utan .yml, med små bokstäver a–z, siffror och "
           "bindestreck, utan å, ä, ö, t.ex. ”betanketid-vuxen”."),
    "implements": ("Genomför krav", "Krav i avstämningen (id) som steget genomför, t.ex. [tolk-och-oversattning]."),
    "in_force": ("I kraft", "Dagen då författningen trädde i kraft, ÅÅÅÅ-MM-DD."),
    "indicator": ("Indikator", "Hur åtgärden följs upp; null när källorna inte anger det."),
    "issuer": ("Utgivare", "Vem som har gett ut dokumentet, t.ex. ”Socialstyrelsen” eller ”Socialnämnden, "
               "Nacka kommun”."),
    "justification": ("Motivering", "Varför programmet inte tar på sig kravet."),
    "key_terms": ("Nyckelord", "Ord som ett genomförande steg måste använda, t.ex. ”avvisning”."),
    "keywords": ("Sökord", "Ord som läsaren kan söka på och som inte står i rubriken, t.ex. ”tvångsarbete”."),
    "kind": ("Typ", "Vilken sorts post det är; välj ett av de tillåtna värdena."),
    "known_issues": ("Kända brister", "Det som inte uppfyller kraven, med skäl, t.ex. en axe-regel från granskningen."),
    "label": ("Benämning", "Vad siffran gäller, t.ex. ”Ansökningar om betänketid”."),
    "lang": ("Språk", "Språket i titeln eller namnet: sv eller en."),
    "legal": ("Lagrum", "Bestämmelser, skrivna som i löptext, t.ex. ”5 kap. 15 § andra stycket utlänningslagen”."),
    "legal_basis": ("Lagstöd", "Lagrum som stöder texten, t.ex. ”5 kap. 15 § andra stycket utlänningslagen” eller "
                    "”10 kap. 23 § OSL”."),
    "local_note": ("Lokal anvisning", "En lokal anvisning till kommunens egen personal."),
    "locator": ("Var i källan", "Var i dokumentet, t.ex. ”s. 5” eller ett avsnitt."),
    "logo": ("Logotyp", "Logotypen: en bildfil (SVG eller PNG) i innehållsmappen, t.ex. ”logotyp.svg”."),
    "max": ("Högsta ålder", "Högsta ålder i år, t.ex. 17."),
    "meanwhile": ("Under tiden", "Vad handboken säger läsaren tills frågan är besvarad (reservvägen)."),
    "measures": ("Åtgärder", "true för att visa hela listan med åtgärder i kapitlet."),
    "measures_note": ("Om åtgärderna", "Hur listan med åtgärder har tagits fram."),
    "method": ("Metod", "Hur granskningen har gjorts, utöver den automatiska."),
    "min": ("Lägsta ålder", "Lägsta ålder i år, t.ex. 18."),
    "minutes": ("Minuter", "Hur lång tid avsnittet tar, i minuter (1–240), t.ex. 15."),
    "mission": ("Uppdrag", "Vad enheten gör och för vem, med egna ord, t.ex. ”Regionkoordinatorerna samordnar stöd "
                "till personer som kan vara utsatta för människohandel.”"),
    "modules": ("Moduler", "Utbildningsmodulerna (id) i den ordning de ges, t.ex. [grunder]."),
    "name": ("Namn", "Namnet så som läsaren känner igen det, t.ex. ”Socialjouren”."),
    "note": ("Anteckning", "En kort upplysning till läsaren som inte får plats i den övriga texten."),
    "notes": ("Talaranteckningar", "Vad utbildaren säger, i hela meningar."),
    "now": ("Gör genast", "Det som måste göras genast i just den här situationen, högst två korta rader."),
    "number": ("Nummer", "Utvecklingsområdets nummer i planen, t.ex. 1."),
    "objectives": ("Lärandemål", "Vad deltagaren ska kunna efteråt, en rad per mål, t.ex. ”Känna igen tecken på "
                   "människohandel.”"),
    "offer": ("Erbjudande", "Erbjudandet som kursen hör till (id för en enhet)."),
    "offers": ("Erbjuder", "Vad enheten erbjuder, en punkt per rad, t.ex. ”Samtalsstöd för vuxna.”"),
    "office_hours": ("Kontorstid", "Inledningen till raden om första samtalet under kontorstid, t.ex. ”Ring”."),
    "open_questions": ("Öppna frågor", "Öppna frågor till förvaltningen: det som källorna inte avgör. Visas aldrig "
                       "för läsaren."),
    "options": ("Svarsalternativ", "Två till fem svarsalternativ; markera det rätta med correct: true."),
    "organisation": ("Ansvarig organisation", "Organisationen som ansvarar för webbplatsen, t.ex. ”Nacka kommun”."),
    "owner": ("Ägare", "Enheten som äger texten och ser till att den granskas (id för en enhet)."),
    "parent": ("Överordnad", "Överordnad organisation (id för en annan enhet), t.ex. ”socialforvaltningen”."),
    "pays": ("Betalar", "Den som betalar (id för en enhet)."),
    "period": ("Tidsperiod", "Perioden i klartext, t.ex. ”2021–2025”."),
    "plan": ("Handlingsplan", "Handlingsplanen som åtgärden hör till (id)."),
    "points": ("Punkter", "Högst sex korta punkter som visas på bilden."),
    "police_region": ("Polisregion", "Polisregionen, t.ex. ”Polisregion Mitt”."),
    "position": ("Ställningstagande", "Programmets ställningstagande; krävs när status är besvarad."),
    "practice": ("I praktiken", "Vad rättigheten betyder i praktiken."),
    "preferred": ("Ord att använda", "Andra godtagbara ord för samma sak."),
    "programme": ("Program", "Programmet som kommentarerna gäller (id)."),
    "programme_goal": ("Programmets mål", "Programmets mål som åtgärden hör till; null när källorna inte säger det."),
    "programme_terms": ("Ord i programmet", "Ord som programmets text måste använda."),
    "provisions": ("Bestämmelser", "Paragrafer eller artiklar som handboken hänvisar till, var och en med ref och "
                   "summary, t.ex. {ref: 6 §, summary: …}."),
    "question": ("Fråga", "Frågan, som slutar med ?."),
    "questions": ("Kunskapsfrågor", "Självtestets frågor, med svarsalternativ och förklaring."),
    "quoted": ("Markerad text", "Den text i dokumentet som kommentaren markerar."),
    "rationale": ("Motivering", "Varför kravet finns, med egna ord."),
    "reach": ("Nås via", "Kort kontaktväg för Först-blocket, t.ex. ”via Jämställdhetsmyndighetens stödtelefon”."),
    "read": ("Läst den", "Dagen då webbsidan lästes, ÅÅÅÅ-MM-DD (krävs för webbsidor)."),
    "reason": ("Skäl", "Varför, med egna ord."),
    "reconstructed": ("Rekonstruerad", "true när åtgärden är rekonstruerad ur planens text."),
    "ref": ("Paragraf eller artikel", "Paragrafen eller artikeln, t.ex. ”5 kap. 15 § andra stycket” eller "
            "”artikel 12.1 c”."),
    "related": ("Relaterade rutiner", "Andra rutiner (id) som läsaren kan behöva, t.ex. [betanketid]."),
    "repealed": ("Upphävd", "Dagen då bestämmelsen eller författningen upphörde att gälla, ÅÅÅÅ-MM-DD."),
    "requirement": ("Krav", "Kravet (id) som programmet inte tar på sig."),
    "response": ("Svar", "Svaret; en kommentar med svar är stängd."),
    "responsibility": ("Ansvar", "Vem som ansvarar för akut stöd och hjälp, t.ex. ”Kommunen där personen är "
                       "ansvarar.”"),
    "responsibility_basis": ("Lagstöd för ansvaret", "Lagrum för raden om ansvar, t.ex. ”socialtjänstlag "
                             "(2025:400)”."),
    "responsible": ("Ansvarig", "Enheten som ansvarar (id för en enhet), t.ex. ”stadsdelsforvaltningarna”."),
    "review_interval_months": ("Granskas var", "Hur ofta rutinen ska granskas, i månader (1–60), t.ex. 12."),
    "reviewed": ("Granskad den", "Dagen då posten senast granskades i sak, ÅÅÅÅ-MM-DD; kräver reviewed_by."),
    "reviewed_by": ("Granskad av", "Organet eller rollen som granskade; aldrig en persons namn."),
    "rights": ("Rättigheter", "Rättigheter som personen har i situationen, med vad de betyder i praktiken."),
    "routines": ("Rutiner", "Rutiner (id under content/routines/), t.ex. [betanketid]."),
    "rule": ("Regel", "axe-regelns id (t.ex. ”heading-order”) eller ett eget id för en brist som hittats för hand."),
    "scope": ("Omfattning", "Vad redogörelsen gäller: webbplatsen och dokumenten."),
    "see_also": ("Se även", "Andra begrepp (id), t.ex. [manniskohandel]."),
    "segments": ("Avsnitt", "Modulens avsnitt i ordning, med rubrik, minuter och talaranteckningar."),
    "series": ("Diagramserie", "Serie som punkten hör till i diagram (id), t.ex. ”betanketid-ansokningar”."),
    "severity": ("Allvarlighet", "Hur allvarlig avvikelsen är: låg, medel eller hög."),
    "sfs": ("SFS-nummer", "Numret i Svensk författningssamling, ÅÅÅÅ:NNN inom citattecken, t.ex. \"2005:716\"."),
    "short_name": ("Kort namn", "Ett kortare namn som används i löptext, t.ex. ”Mikamottagningen”."),
    "short_title": ("Kort namn", "Kort namn i bestämd form, t.ex. ”utlänningslagen”, eller en förkortning som LVU."),
    "site_description": ("Beskrivning av webbplatsen", "En mening om handboken, för sökmotorer och delade länkar."),
    "site_url": ("Webbplatsens adress", "Webbplatsens publicerade adress, t.ex. ”https://example.se/rutinhandbok/”."),
    "site_title": ("Webbplatsens titel", "Webbplatsens och den utskrivbara handbokens titel."),
    "situation": ("Situationen", "Vad läsaren möter, så att hen känner igen sig, t.ex. ”Du möter en person som "
                  "arbetar under mycket dåliga villkor.”"),
    "source": ("Källpost", "Källposten för själva dokumentet (id under content/sources/)."),
    "sources": ("Källor", "Dokumenten som posten bygger på: id under content/sources/, gärna med var i dokumentet, "
                "t.ex. {id: handlingsplan-2021, locator: ”s. 5”}."),
    "status": ("Läge", "Postens läge; välj ett av de tillåtna värdena."),
    "status_note": ("Om läget", "Vad som har hänt med åtgärden eller dokumentet sedan det antogs, daterat."),
    "steps": ("Steg", "Stegen i ordning, vart och ett med vem (actor) och vad (action), t.ex. {actor: socialjouren, "
              "action: Gör en skyddsbedömning.}"),
    "successor": ("Ersatt av", "Det som ersatte den här, t.ex. ”sol-2025”."),
    "summary": ("Sammanfattning", "En rad om det viktigaste, med egna ord."),
    "synonyms": ("Synonymer", "Andra ord för samma situation, även engelska, t.ex. ”forced labour”."),
    "tags": ("Taggar", "Ämnen som rutinen listas under, t.ex. [människohandel, barn]."),
    "target_group": ("Målgrupp", "Vem enheten är till för, med beskrivning och gärna ålder, t.ex. {description: "
                     "Vuxna, age: {min: 18}}."),
    "target_groups": ("Målgrupper", "Vilka rutinen gäller: barn, vuxen och/eller köpare, t.ex. [vuxen, barn]."),
    "teaches": ("Lär ut krav", "Krav i avstämningen (id) som delen lär ut eller prövar."),
    "term": ("Ord", "Ordet som förklaras, t.ex. ”betänketid”."),
    "terms": ("Begrepp", "Begrepp (id under content/glossary/), t.ex. [betanketid]."),
    "text": ("Innehåll", "Texten, med egna ord."),
    "time_limit": ("Tidsgräns", "När steget ska vara gjort: ”omedelbart”, ”samma dag”, ”skyndsamt”, ”snarast” eller "
                   "”inom 30 dagar”."),
    "timeframe": ("Tidsram", "När åtgärden ska vara genomförd, t.ex. ”2022–2023”."),
    "title": ("Titel", "Titeln så som läsaren ser den, t.ex. ”Betänketid för vuxna”."),
    "to": ("Till", "Enheten som tar över (id för en enhet), t.ex. ”socialjouren”."),
    "unit": ("Enhet", "Enheten (id under content/units/)."),
    "units": ("Enheter", "Enheter (id under content/units/), t.ex. [regionkoordinatorerna]."),
    "updated": ("Ändrad den", "Dagen då texten senast ändrades, ÅÅÅÅ-MM-DD, t.ex. 2026-03-18."),
    "url": ("Länk", "Länk till den officiella texten eller sidan, som börjar med https://."),
    "value": ("Värde", "Siffran, utan enhet, t.ex. 14."),
    "variants": ("Varianter", "En variant för anslutna kommuner, en för icke anslutna och, om det behövs, en för "
                 "kommuner med okänd anslutning."),
    "waivers": ("Undantag", "Krav som programmet inte tar på sig, var och ett med motivering och datum."),
    "what": ("Vad", "Vad som lämnas över eller beslutas, t.ex. ”Dina iakttagelser och var personen är.”"),
    "when": ("När", "När ärendet lämnas över, t.ex. ”Så snart du misstänker människohandel.”"),
    "when_to_contact": ("När man kontaktar", "När läsaren ska vända sig till enheten, en punkt per rad, t.ex. "
                        "”När ett barn kan vara utsatt.”"),
    "why": ("Varför", "Varför svaret spelar roll för den som ska följa rutinen."),
}

OVERRIDES: dict[tuple[str, str], tuple[str | None, str | None]] = {
    # ids inside a record: not a file name
    ("Chapter", "id"): ("Kapitlets id", "Kapitlets id inom planen, t.ex. ”inledning”: a–z, siffror och bindestreck."),
    ("Commitment", "id"): ("Åtagandets id", "Åtagandets id, t.ex. ”samordna-stod”: a–z, siffror och bindestreck."),
    ("Finding", "id"): ("Avvikelsens id", "Avvikelsens id, t.ex. ”betanketid-lagen-saknar-tidsgrans”."),
    ("Goal", "id"): ("Målets id", "Målets id, t.ex. ”skydd-och-stod”: a–z, siffror och bindestreck."),
    ("ReviewComment", "id"): ("Kommentarens id", None),
    ("SourceCitation", "id"): ("Källa", "Källans id (filnamnet under content/sources/), t.ex. ”handlingsplan-2021”."),
    # titles
    ("Routine", "title"): ("Rubrik", "Rutinens rubrik, som läsaren söker efter den, t.ex. ”Agera vid misstänkt "
                           "arbetskraftsexploatering”."),
    ("Routine", "summary"): (None, "En eller två meningar om vad läsaren ska göra, t.ex. ”Gör en orosanmälan och "
                             "kontakta socialjouren samma dag.”"),
    ("Source", "title"): ("Dokumentets titel", "Titeln så som den står i dokumentet, t.ex. ”Handlingsplan mot "
                          "prostitution och människohandel”."),
    ("LegalSource", "title"): ("Officiell rubrik", None),
    ("Provision", "title"): ("Rubrik", "Bestämmelsens rubrik med egna ord, t.ex. ”Betänketid”."),
    ("Provision", "repealed"): (None, "Dagen då bestämmelsen upphörde att gälla, ÅÅÅÅ-MM-DD."),
    ("Provision", "note"): (None, "En upplysning om bestämmelsen, t.ex. när den gäller och när den inte gäller."),
    ("LegalSource", "repealed"): (None, "Dagen då författningen upphörde att gälla, ÅÅÅÅ-MM-DD; ange då successor."),
    ("LegalSource", "successor"): (None, "Författningen som ersatte den här (id), t.ex. ”sol-2025”."),
    ("LegalSource", "url"): (None, "Länk till den officiella texten; för svenska lagar https://lagen.nu/ och "
                             "SFS-numret, t.ex. https://lagen.nu/1990:52."),
    ("LegalSource", "note"): (None, "Vad lagen handlar om och när den gäller, med egna ord."),
    ("LegalSource", "kind"): ("Typ av rättskälla", "lag, förordning, föreskrift, allmänna råd, konvention eller "
                              "direktiv."),
    ("Right", "title"): ("Rättighet", "Rättigheten kort, t.ex. ”Tolk vid samtal”."),
    ("KnownIssue", "title"): ("Brist", "Bristen med egna ord, t.ex. ”Diagrammen saknar mönster”."),
    ("KnownIssue", "reason"): (None, "Varför bristen finns."),
    ("DiscouragedTerm", "term"): ("Ord att undvika", "Ordet som inte ska användas, t.ex. ”trafficking”."),
    ("DiscouragedTerm", "reason"): (None, "Varför, och vad man skriver i stället, t.ex. ”Engelskt ord; skriv "
                                    "människohandel.”"),
    ("Area", "title"): ("Områdets rubrik", "Utvecklingsområdets rubrik, t.ex. ”Stöd och skydd”."),
    ("Area", "file"): ("Textfil", "Markdownfil med områdets text, relativt content/plans/."),
    ("Chapter", "title"): ("Kapitelrubrik", "Kapitlets rubrik, t.ex. ”Inledning”."),
    ("Chapter", "file"): ("Textfil", None),
    ("Segment", "title"): ("Avsnittets rubrik", "Avsnittets rubrik, t.ex. ”Tecken på människohandel”."),
    ("Variant", "title"): ("Rubrik", "Rubriken för kommunens del av utbildningen."),
    ("Variant", "notes"): (None, "Vad utbildaren säger om kommunen; {kommun} byts mot kommunens namn."),
    ("Goal", "title"): ("Målets rubrik", "Målet kort, t.ex. ”Personer som utsatts får skydd och stöd”."),
    ("Goal", "text"): ("Målets text", "Målet i hela meningar, så som programmet skriver det."),
    ("Finding", "title"): ("Avvikelsens rubrik", "Avvikelsen kort, t.ex. ”Lagen anger ingen tid för betänketid”."),
    ("Finding", "text"): ("Beskrivning", None),
    ("Finding", "date"): ("Noterad den", None),
    ("Finding", "status"): ("Läge", "öppen tills programmet har tagit ställning, därefter besvarad."),
    ("Finding", "legal"): ("Lagrum", None),
    ("Requirement", "title"): ("Kravets rubrik", "Kravet kort, t.ex. ”Betänketid i minst 30 dagar”."),
    ("Requirement", "text"): ("Kravets lydelse", "Vad kravet begär, med egna ord."),
    ("Requirement", "legal"): ("Lagrum", None),
    ("Commitment", "text"): ("Åtagandets text", "Vad programmet åtar sig, så som programmet skriver det."),
    ("Option", "text"): ("Svarsalternativ", "Svarsalternativets text."),
    ("Question", "question"): ("Fråga", "Frågan i självtestet, t.ex. ”Vem ansöker om betänketid?”"),
    ("HistoryEntry", "date"): ("Datum", "När det gällde: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD, t.ex. 2021-12."),
    ("HistoryEntry", "text"): ("Vad som gällde", "Vad som gällde vid datumet, i dåtid."),
    ("Change", "date"): ("Datum", "Dagen då ändringen trädde i kraft, ÅÅÅÅ-MM-DD."),
    ("Change", "text"): ("Vad som ändrades", "Vad som ändrades, t.ex. ”Brottet fick namnet människoexploatering.”"),
    ("ReviewComment", "text"): ("Kommentaren", "Kommentarens text."),
    ("ReviewComment", "date"): ("Datum", "Datumet i filen, så som det står där."),
    ("Remissvar", "file"): ("Fil", None),
    ("Waiver", "date"): ("Beslutat den", "Dagen då undantaget beslutades, ÅÅÅÅ-MM-DD."),
    ("Figure", "unit"): ("Måttenhet", "Vad siffran räknar, t.ex. ”ansökningar” eller ”personer”."),
    ("Figure", "label"): (None, "Vad siffran gäller, t.ex. ”Ansökningar om betänketid”."),
    ("Figure", "date"): (None, None),
    ("Breakdown", "label"): (None, "Delens benämning, t.ex. ”Kvinnor”."),
    ("Breakdown", "value"): (None, "Delsiffran, t.ex. 12."),
    ("ContactPoint", "kind"): ("Typ", "phone för ett telefonnummer, email för en e-postadress."),
    ("ContactPoint", "unit"): (None, None),
    ("Unit", "kind"): ("Typ av enhet", "Vilken sorts enhet: stadens verksamhet, förvaltning, nämnd, myndighet, "
                       "region, civilsamhälle, samverkan eller internationell organisation."),
    ("Unit", "name"): (None, "Enhetens namn så som läsaren känner igen det, t.ex. ”Socialjouren”."),
    ("Unit", "status"): ("Redaktionell status", "utkast (sammanställt, inte fastställt), remiss (ute på remiss) eller "
                         "fastställd (beslutad; kräver approved_by och approved)."),
    ("Routine", "status"): ("Redaktionell status", None),
    ("Routine", "kind"): ("Typ av rutin", None),
    ("Source", "kind"): ("Typ av dokument", "Vilken sorts dokument: tjänsteutlåtande, skrivelse, rapport, "
                         "handlingsplan, utlåtande, motion, program, manual, webbsida, pressmeddelande, författning, "
                         "konvention, direktiv eller annat."),
    ("Source", "url"): (None, "Länk till dokumentet eller sidan, som börjar med https://; krävs för webbsidor."),
    ("Source", "description"): (None, "Vad dokumentet innehåller och vad handboken använder det till."),
    ("Source", "note"): (None, "En upplysning om dokumentet, t.ex. att det har ersatts."),
    ("Municipality", "name"): (None, "Kommunens namn, t.ex. ”Solna”."),
    ("Municipality", "status"): ("Anslutning", None),
    ("Measure", "status"): ("Genomförande", "Hur långt åtgärden har kommit: föreslagen, påbörjad, genomförd eller "
                            "okänd."),
    ("Measure", "responsible"): (None, "Enheten som ansvarar för åtgärden (id för en enhet)."),
    ("Measure", "area"): ("Utvecklingsområde", None),
    ("Measure", "description"): (None, "Vad åtgärden går ut på, med planens ord."),
    ("Programme", "status"): ("Programmets status", "gällande, utkast eller ersatt."),
    ("Programme", "title"): (None, "Programmets titel, t.ex. ”Program mot våld 2026–2030”."),
    ("Course", "description"): (None, "Vad kursen handlar om och vem den är till för."),
    ("Course", "title"): (None, "Kursens titel, t.ex. ”Grundutbildning om människohandel”."),
    ("Module", "title"): (None, "Modulens titel, t.ex. ”Grunderna”."),
    ("Plan", "title"): (None, "Planens titel, t.ex. ”Handlingsplan mot prostitution och människohandel 2021–2025”."),
    ("Plan", "diarienummer"): (None, "Planens diarienummer, t.ex. ”Dnr SOF 2021/123”."),
    ("Plan", "period"): (None, "Perioden som planen gäller, t.ex. ”2021–2025”."),
    ("Programme", "period"): (None, "Perioden som programmet gäller, t.ex. ”2026–2030”."),
    ("Plan", "adopted"): (None, "När planen antogs: ÅÅÅÅ, ÅÅÅÅ-MM eller ÅÅÅÅ-MM-DD."),
    ("Statement", "title"): (None, "Redogörelsens titel, t.ex. ”Tillgänglighetsredogörelse”."),
    ("Allowlist", "title"): (None, "Listans titel, t.ex. ”Officiella kontaktvägar”."),
    ("Term", "term"): ("Ord", None),
    ("Step", "note"): (None, "Det läsaren också behöver veta om steget, t.ex. tecken att vara uppmärksam på."),
    ("Decision", "note"): (None, "Det läsaren behöver veta om beslutet, t.ex. vad som gäller utan tillstånd."),
    ("Handover", "what"): (None, "Vad som lämnas över, t.ex. ”Dina iakttagelser och var personen är.”"),
    ("Organisation", "name"): ("Organisationens namn", None),
    ("Organisation", "short_title"): ("Kort titel", None),
    ("FirstDefaults", "responsibility"): (None, "Raden om vem som ansvarar för akut stöd och hjälp, t.ex. ”Kommunen "
                                          "där personen är ansvarar.”"),
    ("TargetGroup", "description"): ("Vilka", "Vilka enheten är till för, t.ex. ”Vuxna som säljer sex”."),
    ("Variants", "ansluten"): (None, None),
}

# The records themselves: model class -> (title, description), in place of the English class name and docstring.
MODELS: dict[str, tuple[str, str]] = {
    "Source": ("Källa", "Ett dokument eller en webbsida som innehållet bygger på."),
    "Unit": ("Enhet", "En enhet, myndighet eller organisation som läsaren kan vända sig till."),
    "LegalSource": ("Rättskälla", "En lag, förordning, föreskrift, konvention eller ett direktiv, med de bestämmelser "
                    "som handboken hänvisar till."),
    "Routine": ("Rutin", "Vad läsaren gör i en situation, steg för steg, med ansvar, lagstöd och källor."),
    "Term": ("Begrepp", "Ett ord i begreppslistan, med betydelse och ord att använda eller undvika."),
    "Municipality": ("Kommun", "En kommun i länet och om den har anslutit sig till länserbjudandet."),
    "Figure": ("Uppgift", "En daterad siffra för uppföljningen."),
    "Plan": ("Handlingsplan", "Handlingsplanen: uppgifter om dokumentet och dess kapitel."),
    "Measure": ("Åtgärd", "En åtgärd i handlingsplanen."),
    "Module": ("Utbildningsmodul", "En utbildningsmodul med mål, avsnitt och självtest."),
    "Course": ("Kurs", "En kurs: moduler i ordning och en variant per sorts kommun."),
    "Requirement": ("Krav", "Ett krav i vägledningen om betänketid och rättighetspaketet."),
    "Programme": ("Program", "En version av programmet, med mål, åtaganden och undantag."),
    "Statement": ("Tillgänglighetsredogörelse", "Tillgänglighetsredogörelsen som lagen om tillgänglighet till digital "
                  "offentlig service kräver."),
    "Allowlist": ("Lista över kontaktvägar", "De officiella kontaktvägar som får stå i innehållet; alla andra "
                  "telefonnummer och e-postadresser är fel."),
    "FirstDefaults": ("Först-blockets standardrader", "Raderna som står i varje Först-block: akut fara, utanför "
                      "kontorstid och vem som ansvarar."),
    "Remissvar": ("Remissvar", "Kommentarerna som lästes in ur ett kommenterat remissunderlag."),
    "Organisation": ("Organisation", "Vem som ger ut handboken: namn, titlar och författare till dokumenten."),
    "SourceCitation": ("Källhänvisning", "En källa (id), gärna med var i dokumentet."),
    "HistoryEntry": ("Historik", "Något som gällde vid ett datum och kan ha ändrats sedan."),
    "OpenQuestion": ("Öppen fråga", "En fråga som källorna inte avgör, till den som kan svara; visas aldrig för "
                     "läsaren."),
    "AgeRange": ("Ålder", "Ett åldersspann i år."),
    "TargetGroup": ("Målgrupp", "Vem enheten är till för."),
    "Change": ("Ändring", "En daterad ändring av en lag eller bestämmelse."),
    "Provision": ("Bestämmelse", "En paragraf eller artikel som handboken hänvisar till."),
    "Step": ("Steg", "Ett steg i rutinen: vem som gör vad."),
    "Handover": ("Överlämning", "Till vem ärendet lämnas över, och när."),
    "Right": ("Rättighet", "En rättighet och vad den betyder i praktiken."),
    "First": ("Först-blocket", "Det som görs de första minuterna i just den här situationen."),
    "Decision": ("Beslut", "Vem som beslutar och vem som betalar för något som rutinen leder till."),
    "DiscouragedTerm": ("Ord att undvika", "Ett ord som inte ska användas, med skäl."),
    "Breakdown": ("Delsiffra", "En del av uppgiften, med benämning och värde."),
    "Area": ("Utvecklingsområde", "Ett utvecklingsområde i planen."),
    "Chapter": ("Kapitel", "Ett kapitel i planen."),
    "Segment": ("Avsnitt", "Ett avsnitt i en utbildningsmodul."),
    "Option": ("Svarsalternativ", "Ett svarsalternativ i en kunskapsfråga."),
    "Question": ("Kunskapsfråga", "En fråga i modulens självtest."),
    "Variant": ("Kommunvariant", "Vad utbildningspaketet säger för en sorts kommun."),
    "Variants": ("Kommunvarianter", "En variant för anslutna kommuner, en för icke anslutna och, om det behövs, en för "
                 "kommuner med okänd anslutning."),
    "Finding": ("Avvikelse", "En avvikelse mellan ett krav och svensk lag, praxis eller programmet."),
    "Commitment": ("Åtagande", "Ett åtagande i programmet."),
    "Goal": ("Mål", "Ett mål i programmet, med sina åtaganden."),
    "Waiver": ("Undantag", "Ett krav som programmet inte tar på sig, med motivering och datum."),
    "KnownIssue": ("Känd brist", "Något som inte uppfyller kraven, med skäl."),
    "ContactPoint": ("Kontaktväg", "Ett officiellt telefonnummer eller en e-postadress som får stå i innehållet."),
    "ReviewComment": ("Kommentar", "En granskares kommentar, inläst av `handbok comments`."),
}

# An object written inline in a key's schema (not a model of its own): whose keys it has.
INLINE = {"sources": "SourceCitation"}


def auto_title(name: str) -> str:
    """The title pydantic gives a key by itself (English: ``legal_basis`` -> ``Legal Basis``)."""
    return name.title().replace("_", " ")


def _generic() -> set[str]:
    """Descriptions that come with a shared type (``Sources``, ``Date``), not with the key; the table's are better."""
    from . import model as m

    out = set()
    for name in ("Sources", "Date", "PartialDate"):
        for meta in getattr(getattr(m, name, None), "__metadata__", ()):
            text = getattr(meta, "description", None) or (getattr(meta, "json_schema", None) or {}).get("description")
            if text:
                out.add(text)
    return out


GENERIC = _generic()


def label(model: str, key: str, given: dict) -> tuple[str | None, str | None]:
    """The Swedish (title, description) of ``key`` in ``model``; ``given`` is the key's schema from pydantic.

    The table's entry for the model wins; then what the model says itself (unless pydantic made the title up from
    the key, or the description only describes a shared type); then the table's entry for the key.
    """
    o_title, o_desc = OVERRIDES.get((model, key), (None, None))
    f_title, f_desc = FIELDS.get(key, (None, None))
    own_title, own_desc = given.get("title"), given.get("description")
    if own_title in (auto_title(key), key, model):
        own_title = None
    if own_desc in GENERIC and f_desc:
        own_desc = None
    return o_title or own_title or f_title, o_desc or own_desc or f_desc


def _objects(node: object) -> Iterator[dict]:
    """Inline objects with keys inside a key's schema (not behind a $ref)."""
    if isinstance(node, dict):
        if "properties" in node:
            yield node
            return
        for value in node.values():
            yield from _objects(value)
    elif isinstance(node, list):
        for value in node:
            yield from _objects(value)


def _label_keys(schema: dict, model: str) -> None:
    for key, prop in schema.get("properties", {}).items():
        title, description = label(model, key, prop)
        if title:
            prop["title"] = title
        if description:
            prop["description"] = description
        for inner in _objects({k: v for k, v in prop.items() if k != "properties"}):
            _label_keys(inner, INLINE.get(key, model))


def swedish(schema: dict, model: str) -> dict:
    """The schema with Swedish titles and descriptions on every key and every sub-record."""
    _label_keys(schema, model)
    if model in MODELS:
        schema["description"] = MODELS[model][1]
    for name, sub in schema.get("$defs", {}).items():
        if name in MODELS:
            sub["title"], sub["description"] = MODELS[name]
        _label_keys(sub, name)
    return schema


def _targets() -> list[tuple[str, list[str]]]:
    """(kind, file patterns relative to the content folder), in a stable order."""
    out = [(kind, [f"{folder}/*.yml", f"{folder}/*.yaml"]) for folder, kind in sorted(KIND_DIRS.items())]
    out += [(kind, [f"{stem}.yml", f"{stem}.yaml"]) for stem, kind in sorted(KIND_FILES.items())]
    return out


def schemas() -> dict[str, dict]:
    out = {}
    for kind, patterns in _targets():
        model = KIND_MODELS[kind]
        schema = swedish(copy.deepcopy(model.model_json_schema()), model.__name__)
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema"
        schema["title"] = f"Rutinhandboken: {KIND_LABELS[kind]} (content/{patterns[0]})"
        out[f"{kind}.schema.json"] = schema
    return out


def _dump(data: dict) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def workspace(content: Path) -> Path:
    """The folder that holds the content folder: the project, opened as a workspace in the editor."""
    return content.resolve().parent


def vscode_settings(content: Path, existing: dict) -> dict:
    """The settings with a schema for each content folder, as paths relative to the workspace (never absolute)."""
    name = content.resolve().name
    mapping = dict(existing.get("yaml.schemas", {}))
    for kind, patterns in _targets():
        mapping[f"{name}/{SCHEMA_DIR}/{kind}.schema.json"] = [f"{name}/{p}" for p in patterns]
    settings = dict(existing)
    settings["yaml.schemas"] = mapping
    return settings


def write_schemas(content: Path, check: bool = False, settings_file: Path | None = None) -> int:
    """Write the schemas into ``content/_schemas/`` and map them in ``.vscode/settings.json`` beside the content."""
    target = content / SCHEMA_DIR
    settings_file = settings_file or workspace(content) / ".vscode" / "settings.json"
    stale = []
    files = {target / name: _dump(data) for name, data in schemas().items()}
    existing = {}
    if settings_file.is_file():
        try:
            existing = json.loads(settings_file.read_text(encoding="utf-8"))
        except json.JSONDecodeError:
            print(f"{display_path(settings_file)}: ogiltig JSON; rätta eller ta bort filen och kör igen.",
                  file=sys.stderr)
            return 1
    files[settings_file] = _dump(vscode_settings(content, existing))
    for path, text in files.items():
        if not path.is_file() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    if check:
        for path in stale:
            print(f"{display_path(path)}: inaktuell; kör `handbok schema`.", file=sys.stderr)
        return 1 if stale else 0
    for path in stale:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(files[path], encoding="utf-8")
        print(f"Skrev {display_path(path)}", file=sys.stderr)
    if not stale:
        print("Schemafilerna är redan aktuella.", file=sys.stderr)
    return 0
