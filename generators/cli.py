"""The ``handbok`` command."""

from __future__ import annotations

import argparse
import importlib.util
import signal
import sys
import time
from pathlib import Path

from . import TOOL_ROOT, __version__
from .issues import failing, print_issues, summary


EPILOG = """\
Exempel:
  handbok check                 granska innehållet i content/
  handbok check --strict        behandla även varningar som fel
  handbok build                 granska och bygg webbplatsen till site/ och dokumenten till dist/
  handbok serve                 förhandsgranska på http://127.0.0.1:8000 med automatisk omladdning
  handbok align                 stäm av utkastet till program mot vägledningen om betänketid
  handbok align content/programmes/program-mot-vald-2021-2025.yml --format json
  handbok align --compare content/programmes/program-mot-vald-2021-2025.yml content/programmes/program-mot-vald-2026.yml
  handbok review                lista rutiner som väntar på beslut eller ska granskas, per rutinägare
  handbok review --questions    lista de öppna frågorna till förvaltningen, per enhet som kan svara
  handbok remiss                skriv remissunderlaget dist/remiss/<program>.docx att kommentera
  handbok comments granskad.docx  läs in kommentarerna till content/remissvar/
  handbok schema                skriv JSON Schema för redigering i VS Code
  handbok new routine "Stöd vid akut placering"   skapa content/routines/stod-vid-akut-placering.yml att fylla i
  handbok new law --sfs 1990:52 --title "Lag (1990:52) med särskilda bestämmelser om vård av unga" --short LVU
  handbok laws                  lista lagarna och deras bestämmelser, som rutinerna kan hänvisa till
  handbok init nacka --organisation "Nacka kommun"   skapa en ny innehållsmapp för en annan kommun
  handbok build --content content --content nacka  bygg med en lokal mapp ovanpå grundinnehållet

Slutkoder: 0 = inga fel, 1 = fel i innehållet (eller varningar med --strict), 2 = felaktigt kommando.
"""


class _Parser(argparse.ArgumentParser):
    """argparse with Swedish headings."""

    def format_help(self) -> str:
        text = super().format_help()
        return (text.replace("usage:", "användning:").replace("options:", "flaggor:")
                .replace("positional arguments:", "argument:").replace("show this help message and exit", "visa hjälpen och avsluta"))

    def error(self, message: str) -> None:  # exit code 2 for usage errors, in Swedish
        self.print_usage(sys.stderr)
        message = (message.replace("the following arguments are required", "följande argument krävs")
                   .replace("invalid choice", "ogiltigt val").replace("unrecognized arguments", "okända argument")
                   .replace("expected one argument", "väntade ett argument"))
        self.exit(2, f"{self.prog}: fel: {message}\n")


def _content_arg(p: argparse.ArgumentParser) -> None:
    p.add_argument("--content", metavar="DIR", type=Path, action="append",
                   help="mappen med innehållet (standard: content/). Ange flera gånger för lager: basen först och "
                   "den lokala mappen sist; en senare mapp lägger till poster och kan ersätta en post med samma id")


def make_parser() -> argparse.ArgumentParser:
    parser = _Parser(prog="handbok", description="Rutinhandboken mot prostitution och människohandel: "
                     "granska YAML-innehållet och bygg webbplats och dokument.",
                     epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--version", action="version", version=f"handbok {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", parser_class=_Parser)
    sub.required = True

    p = sub.add_parser("check", help="granska innehållet och lista alla problem")
    _content_arg(p)
    p.add_argument("--strict", action="store_true", help="behandla varningar som fel (slutkod 1)")
    p.add_argument("--no-cache", action="store_true", help="läs och granska varje fil på nytt, utan cachen i "
                   ".handbok-cache/")
    p.add_argument("--quiet", "-q", action="store_true", help="skriv bara ut fel och varningar, inte sammanfattningen")
    p.add_argument("--config", metavar="FIL", type=Path,
                   help="mkdocs-konfigurationen, som också granskas (standard: mkdocs.yml i mappen du står i, "
                   "annars verktygets egen)")

    p = sub.add_parser("build", help="granska och bygg webbplatsen (site/) och dokumenten (dist/)")
    _content_arg(p)
    p.add_argument("--strict", action="store_true", help="vägra bygga även vid varningar")
    p.add_argument("--no-cache", action="store_true", help="bygg allt på nytt, utan cachen i .handbok-cache/")
    p.add_argument("--site-dir", metavar="DIR", type=Path, default=Path("site"), help="var webbplatsen skrivs (standard: site/)")
    p.add_argument("--dist-dir", metavar="DIR", type=Path, default=Path("dist"), help="var dokumenten skrivs (standard: dist/)")
    p.add_argument("--config", metavar="FIL", type=Path, help="mkdocs-konfigurationen (standard: mkdocs.yml i mappen "
                   "du står i, annars verktygets egen)")
    p.add_argument("--site-url", metavar="URL", help="webbplatsens publicerade adress för det här bygget, för sitemap "
                   "och 404-sidan (standard: site_url i mkdocs.yml)")

    p = sub.add_parser("serve", help="förhandsgranska med automatisk omladdning vid ändringar")
    _content_arg(p)
    p.add_argument("--addr", default="127.0.0.1:8000", help="adress och port (standard: 127.0.0.1:8000)")
    p.add_argument("--config", metavar="FIL", type=Path, help="mkdocs-konfigurationen (standard: mkdocs.yml i mappen "
                   "du står i, annars verktygets egen)")

    p = sub.add_parser("align", help="stäm av ett program mot vägledningen om betänketid och rättighetspaketet",
                       description="Visar för varje krav i vägledningen var programmet, rutinerna och utbildningen "
                       "täcker det. Slutkod 1 om något krav varken är täckt eller undantaget, eller om programmets "
                       "text saknar ett ord som krävs.")
    _content_arg(p)
    p.add_argument("programme", nargs="?", metavar="PROGRAM",
                   help="programmets id eller YAML-fil (standard: utkastet, programmet med status: utkast)")
    p.add_argument("--format", choices=("text", "json", "markdown"), default="text", help="utdataformat (standard: text)")
    p.add_argument("--compare", nargs=2, metavar=("GAMMALT", "NYTT"),
                   help="visa vilka krav som blev täckta eller otäckta mellan två programversioner")

    p = sub.add_parser("review", help="lista rutiner som väntar på beslut eller ska granskas, och öppna frågor",
                       description="Listar rutiner som inte är fastställda och rutiner vars granskningsdatum har "
                       "passerats, per rutinägare. Med --questions: de öppna frågorna till förvaltningen, per enhet "
                       "som kan svara, med fil och rad.")
    _content_arg(p)
    p.add_argument("--within", type=int, default=0, metavar="DAGAR",
                   help="ta också med rutiner som ska granskas inom så många dagar")
    p.add_argument("--questions", action="store_true",
                   help="lista de öppna frågorna till förvaltningen i stället, per enhet som kan svara")

    p = sub.add_parser("audit", help="granska tillgängligheten med axe-core i Chromium (kräver testberoendena)",
                       description="Granskar varje sidtyp i den byggda webbplatsen i telefon- och datorbredd, ljust och "
                       "mörkt läge. Slutkod 1 vid allvarliga eller kritiska brister.")
    _content_arg(p)
    p.add_argument("--site-dir", metavar="DIR", type=Path, default=Path("site"), help="den byggda webbplatsen (standard: site/)")
    p.add_argument("--write", action="store_true",
                   help="spara resultatet i content/accessibility/audit.json, som tillgänglighetsredogörelsen byggs av")

    p = sub.add_parser("remiss", help="skriv remissunderlaget (Word) för ett program, att kommentera",
                       description="Skriver dist/remiss/<program>.docx med utkastets mål och åtaganden och kravtabellen "
                       "med täckning. Varje block har en rubrik med bokmärke, så att kommentarer kan läsas in igen med "
                       "`handbok comments`.")
    _content_arg(p)
    p.add_argument("programme", nargs="?", metavar="PROGRAM",
                   help="programmets id eller YAML-fil (standard: utkastet)")
    p.add_argument("--dist-dir", metavar="DIR", type=Path, default=Path("dist"), help="var filen skrivs (standard: dist/)")
    p.add_argument("--templates", metavar="DIR", type=Path, default=Path(__file__).resolve().parent.parent / "templates",
                   help=argparse.SUPPRESS)

    p = sub.add_parser("comments", help="läs in kommentarerna i ett kommenterat remissunderlag",
                       description="Läser kommentarerna i en Word-fil (sparad i Word eller LibreOffice), knyter varje "
                       "kommentar till sitt mål, åtagande eller krav och skriver dem till "
                       "content/remissvar/<filnamn>.yml. Samma kommentar läses bara in en gång. Personuppgifter tas bort.")
    _content_arg(p)
    p.add_argument("file", metavar="FIL.docx", type=Path, help="den kommenterade filen")
    p.add_argument("--programme", metavar="PROGRAM", help="programmets id (standard: utkastet)")

    p = sub.add_parser("init", help="skapa en ny innehållsmapp för en annan kommun eller organisation",
                       description="Skriver en liten, giltig innehållsmapp: organisationen (organisation.yml), de lagar, "
                       "begrepp och krav som alla kommuner delar, med sina källor, och en exempelenhet och en "
                       "exempelrutin. Mappen klarar `handbok check` och `handbok build --strict` som den är.")
    p.add_argument("dir", metavar="DIR", type=Path, help="den nya mappen (får inte finnas, eller ska vara tom)")
    p.add_argument("--organisation", metavar="NAMN", required=True, help="organisationens namn, t.ex. ”Nacka kommun”")
    p.add_argument("--department", metavar="NAMN", help="förvaltningen som äger handboken, t.ex. ”Socialförvaltningen”")

    p = sub.add_parser("schema", help="skriv JSON Schema och koppla dem till editorn")
    _content_arg(p)
    p.add_argument("--check", action="store_true", help="kontrollera bara att schemafilerna är aktuella")

    p = sub.add_parser("new", help="skapa en ny rutin, enhet, lag eller källa att fylla i",
                       description="Skriver <mapp>/<id>.yml med alla nycklar som krävs och en kommentar om vad som\n"
                       "ska stå i varje. Id:t bildas av titeln (a–z, siffror och bindestreck, utan å, ä, ö).\n"
                       "Det som bara du vet lämnas tomt, och `handbok check` visar ett fel för varje tomt\n"
                       "värde tills det är ifyllt. En befintlig fil skrivs aldrig över (slutkod 1).",
                       formatter_class=argparse.RawDescriptionHelpFormatter,
                       epilog="Exempel:\n"
                       "  handbok new routine \"Stöd vid akut placering\"\n"
                       "  handbok new unit socialjouren --title Socialjouren\n"
                       "  handbok new source \"Handlingsplan mot människohandel 2021\"\n"
                       "  handbok new law --sfs 1990:52 --title \"Lag (1990:52) med särskilda bestämmelser om vård "
                       "av unga\" --short LVU")
    _content_arg(p)
    p.add_argument("what", metavar="SORT", choices=("routine", "unit", "law", "source"),
                   help="vad som ska skapas: routine (rutin), unit (enhet), law (lag) eller source (källa)")
    p.add_argument("name", nargs="?", metavar="ID_ELLER_TITEL",
                   help="postens id, eller dess titel som id:t bildas av (för law räcker --title eller --short)")
    p.add_argument("--title", metavar="TITEL", help="titeln (namnet för en enhet), när id:t anges först")
    p.add_argument("--sfs", metavar="ÅÅÅÅ:NNN", help="lagens nummer i Svensk författningssamling, t.ex. 1990:52 "
                   "(bara för law)")
    p.add_argument("--short", metavar="NAMN", help="lagens korta namn eller förkortning, t.ex. LVU eller "
                   "utlänningslagen; blir id:t om inget id anges (bara för law)")

    p = sub.add_parser("laws", help="lista lagarna och deras bestämmelser",
                       description="Listar rättskällorna i innehållet (id, typ, nummer, förkortning, kort namn och om "
                       "de gäller) och varje lags bestämmelser med det id som en rutin kan hänvisa till.")
    _content_arg(p)
    p.add_argument("--format", choices=("text", "json"), default="text", help="utdataformat (standard: text)")
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    from types import SimpleNamespace

    from .pipeline import check_report

    start = time.perf_counter()
    report = check_report(args.content)
    issues = report.issues
    print_issues(issues)
    failed = bool(failing(issues, args.strict))
    if not args.quiet:
        from .pipeline import site_config

        # notes, not problems: they never fail the check
        for note in site_config(args.config, SimpleNamespace(feedback=report.feedback, site_url=report.site_url)):
            print(note.format(), file=sys.stderr)
        counts = report.counts
        again = " (innehållet är oförändrat sedan förra granskningen: resultatet kommer från cachen)" if report.cached else ""
        print(f"Granskade {counts['routines']} rutiner, {counts['units']} enheter, {counts['legal']} rättskällor, "
              f"{counts['terms']} begrepp, {counts['municipalities']} kommuner, {counts['figures']} uppgifter, "
              f"{counts['sources']} källor, {counts['plans']} handlingsplaner med {counts['prose']} kapiteltexter och "
              f"{counts['measures']} åtgärder, {counts['modules']} utbildningsmoduler, {counts['courses']} kurser, "
              f"{counts['requirements']} krav och {counts['programmes']} program "
              f"på {time.perf_counter() - start:.2f} s{again}: {summary(issues)}.", file=sys.stderr)
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    from .publish import build

    return build(content=args.content, site_dir=args.site_dir, dist_dir=args.dist_dir, config_file=args.config,
                 strict=args.strict, site_url=args.site_url)


def cmd_serve(args: argparse.Namespace) -> int:
    from .preview import serve

    return serve(content=args.content, config_file=args.config, addr=args.addr)


def _checked(args: argparse.Namespace, before: str):
    """The checked project, or None after printing its errors and what to do (``before``: 'innan avstämningen')."""
    from .pipeline import check_content

    project, issues = check_content(args.content)
    bad = failing(issues)
    if bad:
        print_issues(bad)
        print(f"Innehållet har fel ({summary(issues)}); rätta dem {before}.", file=sys.stderr)
        return None
    return project


def _programme(project, ref: str | None):
    """A programme by id, by YAML file, or the one draft; (programme, problem) where problem is a message."""
    from pathlib import Path as _Path

    from .align import current_draft
    from .graph import add_document

    if ref is None:
        drafts = current_draft(project)
        if len(drafts) != 1:
            return None, (f"Det finns {len(drafts)} program med status utkast; ange vilket program som ska stämmas av."
                          if drafts else "Det finns inget program med status utkast; ange programmets id eller fil.")
        return drafts[0], None
    if ref in project.programmes:
        return project.programmes[ref], None
    path = _Path(ref)
    if path.is_file():
        record, issues = add_document(project, path, "programme")
        print_issues(issues)
        if record is None or failing(issues):
            return None, f"{ref}: programmet har fel och kan inte stämmas av."
        return record, None
    return None, (f"Okänt program {ref!r}. Kända program: {', '.join(sorted(project.programmes)) or 'inga'}. "
                  "Ange ett id eller en sökväg till en YAML-fil.")


def _checked_programme(args: argparse.Namespace):
    """(project, programme) for ``args.programme`` in content without errors; (project or None, None) after printing
    why not."""
    project = _checked(args, "först")
    if project is None:
        return None, None
    programme, problem = _programme(project, args.programme)
    if problem:
        print(problem, file=sys.stderr)
    return project, programme


def cmd_align(args: argparse.Namespace) -> int:
    from . import align as al

    project = _checked(args, "innan avstämningen")
    if project is None:
        return 1
    if args.compare:
        if args.programme:
            print("handbok align: ange antingen PROGRAM eller --compare GAMMALT NYTT.", file=sys.stderr)
            return 2
        old, problem = _programme(project, args.compare[0])
        new, problem2 = (None, None) if problem else _programme(project, args.compare[1])
        if problem or problem2:
            print(problem or problem2, file=sys.stderr)
            return 1
        sys.stdout.write(al.format_compare(al.align(project, old), al.align(project, new),
                                           "json" if args.format == "json" else "text"))
        return 0
    prog, problem = _programme(project, args.programme)
    if problem:
        print(problem, file=sys.stderr)
        return 1
    result = al.align(project, prog)
    if args.format == "json":
        import json

        sys.stdout.write(json.dumps(result.to_json(), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(al.format_markdown(result) if args.format == "markdown" else al.format_text(result))
    return 0 if result.aligned else 1


def cmd_review(args: argparse.Namespace) -> int:
    from .pipeline import build_date
    from .review import format_questions, format_review, review

    project = _checked(args, "först")
    if project is None:
        return 1
    if args.questions:
        sys.stdout.write(format_questions(project))
        return 0
    sys.stdout.write(format_review(project, review(project, build_date(), args.within)))
    return 0


def cmd_audit(args: argparse.Namespace) -> int:
    from . import audit
    from .pipeline import check_content

    if not (args.site_dir / "index.html").is_file():
        print(f"{args.site_dir}/ har ingen byggd webbplats; kör `handbok build` först.", file=sys.stderr)
        return 1
    if not audit.CHROMIUM.exists():
        print("Granskningen behöver Debians chromium (/usr/bin/chromium): apt-get install chromium.", file=sys.stderr)
        return 1
    if importlib.util.find_spec("axe_playwright_python") is None:
        print("Granskningen behöver testberoendena: pip install -e '.[test]' (make test installerar dem).", file=sys.stderr)
        return 1
    project, _ = check_content(args.content)
    result = audit.run_audit(args.site_dir, audit.page_types(project))
    for line in audit.summary_lines(result):
        print(line)
    if args.write:
        target = args.content[-1] / audit.AUDIT_FILE
        audit.write(result, target)
        print(f"Skrev {target}; bygg om webbplatsen så att tillgänglighetsredogörelsen visar resultatet.", file=sys.stderr)
    bad = audit.blocking(result)
    for line in bad:
        print(f"allvarlig: {line}", file=sys.stderr)
    return 1 if bad else 0


def cmd_init(args: argparse.Namespace) -> int:
    from .pipeline import build_date
    from .scaffold import InitError, init_tree

    try:  # the example's date is the one the check takes as today (SOURCE_DATE_EPOCH), or it lies in the future
        written = init_tree(args.dir, args.organisation.strip(), args.department, today=build_date())
    except InitError as exc:
        print(f"handbok init: {exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"handbok init: mappen kunde inte skrivas: {exc.strerror or exc} ({exc.filename}).", file=sys.stderr)
        return 1
    d = args.dir
    print(f"Skrev {len(written)} filer i {d}/ för {args.organisation.strip()}.\n\n"
          "Så går du vidare:\n"
          f"  1. Läs {d}/organisation.yml och fyll i förvaltning och logotyp.\n"
          f"  2. Skriv om exemplen {d}/units/socialtjansten.yml och {d}/routines/exempel-akut-fara.yml,\n"
          f"     eller skriv nya: handbok new routine \"Rutinens titel\" --content {d}\n"
          f"  3. Granska: handbok check --content {d}\n"
          f"  4. Bygg:    handbok build --content {d} --site-dir {d.name}-site --dist-dir {d.name}-dist", file=sys.stderr)
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    return write_schemas(args.content[-1], check=args.check)


def cmd_remiss(args: argparse.Namespace) -> int:
    from .finish import source_date_epoch
    from .remiss import write_remiss
    from .render.documents import DocumentError

    project, programme = _checked_programme(args)
    if programme is None:
        return 1
    try:
        out = write_remiss(project, programme, args.templates, args.dist_dir, source_date_epoch())
    except DocumentError as exc:
        print(f"Remissunderlaget kunde inte skrivas: {exc}", file=sys.stderr)
        return 1
    print(f"Skrev {out}. Kommentera i Word eller LibreOffice och läs in med `handbok comments {out.name}`.",
          file=sys.stderr)
    return 0


def cmd_comments(args: argparse.Namespace) -> int:
    import yaml

    from .remiss import known_anchors, merge, read_comments, stem_id

    if not args.file.is_file():
        print(f"Filen {args.file} finns inte.", file=sys.stderr)
        return 1
    project, programme = _checked_programme(args)
    if programme is None:
        return 1
    try:
        imported = read_comments(args.file, known_anchors(project, programme))
    except Exception as exc:  # python-docx raises several kinds on a file that is not a Word document
        print(f"{args.file}: filen kunde inte läsas som Word-dokument ({type(exc).__name__}).", file=sys.stderr)
        return 1
    target = args.content[-1] / "remissvar" / f"{stem_id(args.file)}.yml"
    existing = []
    if target.is_file():
        existing = (yaml.safe_load(target.read_text(encoding="utf-8")) or {}).get("comments") or []
    comments, added = merge(existing, imported.comments)
    record = {"id": target.stem, "file": args.file.name, "programme": programme.id, "comments": comments}
    target.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(record, allow_unicode=True, sort_keys=False, width=100)
    partial = target.with_name(target.name + ".tmp")
    partial.write_text(text, encoding="utf-8")
    partial.replace(target)
    for message in imported.unmapped:
        print(message, file=sys.stderr)
    if imported.redacted:
        print(f"{imported.redacted} personuppgifter (personnummer, telefonnummer eller e-postadresser) togs bort ur "
              "kommentarerna.", file=sys.stderr)
    print(f"{target}: {added} nya kommentarer, {len(comments) - added} fanns redan"
          + (f"; {len(imported.unmapped)} kunde inte knytas till något block" if imported.unmapped else "") + ".",
          file=sys.stderr)
    return 1 if imported.unmapped else 0


def _content_dirs(args: argparse.Namespace) -> list[Path]:
    return list(args.content) if isinstance(args.content, (list, tuple)) else [args.content]


def cmd_new(args: argparse.Namespace) -> int:
    from .pipeline import build_date
    from .skeleton import SkeletonError, new_record, report

    dirs = _content_dirs(args)
    try:
        written = new_record(dirs, args.what, args.name, title=args.title, sfs=args.sfs, short=args.short,
                             today=build_date())
    except SkeletonError as exc:
        print(f"handbok new: {exc}" if exc.code == 2 else str(exc), file=sys.stderr)
        return exc.code
    flags = "" if dirs == [Path("content")] else "".join(f" --content {d}" for d in dirs)
    sys.stderr.write(report(written, f"handbok check{flags}"))
    return 0


def cmd_laws(args: argparse.Namespace) -> int:
    import json

    from .graph import build_project
    from .pipeline import build_date
    from .skeleton import format_laws, laws_json

    dirs = _content_dirs(args)
    project = build_project(dirs if len(dirs) > 1 else dirs[0])
    # Only the problems that hide a law or a provision from the list: the rest is for `handbok check`.
    bad = [i for i in failing(project.issues) if Path(i.path).parent.name == "legal" or i.code == "content-dir"]
    print_issues(bad)
    if args.format == "json":
        sys.stdout.write(json.dumps(laws_json(project, build_date()), ensure_ascii=False, indent=2) + "\n")
    else:
        sys.stdout.write(format_laws(project, build_date()))
    if bad:
        print(f"{len(bad)} fel i rättskällorna; det som har fel visas inte. Kör `handbok check`.", file=sys.stderr)
    return 1 if bad else 0


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    if hasattr(args, "content") and not args.content:
        args.content = [Path("content")]
    if hasattr(args, "config") and args.config is None:
        # The tool finds its own configuration: the one in the folder you stand in, otherwise the tool's.
        args.config = Path("mkdocs.yml") if Path("mkdocs.yml").is_file() else TOOL_ROOT / "mkdocs.yml"
    # A terminated build unwinds like Ctrl-C: temporary files are removed and site/ and dist/ stay as they were.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    if getattr(args, "no_cache", False):
        from . import cache

        cache.disable()
    handler = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "schema": cmd_schema, "align": cmd_align,
               "review": cmd_review, "audit": cmd_audit, "remiss": cmd_remiss, "comments": cmd_comments,
               "init": cmd_init, "new": cmd_new, "laws": cmd_laws}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
