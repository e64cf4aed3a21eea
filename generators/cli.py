"""The ``handbok`` command."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import __version__
from .issues import failing, print_issues, summary

EPILOG = """\
Exempel:
  handbok check                 granska innehållet i content/
  handbok check --strict        behandla även varningar som fel
  handbok build                 granska och bygg webbplatsen till site/ och dokumenten till dist/
  handbok serve                 förhandsgranska på http://127.0.0.1:8000 med automatisk omladdning
  handbok schema                skriv JSON Schema för redigering i VS Code

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
    p.add_argument("--content", metavar="DIR", type=Path, default=Path("content"),
                   help="mappen med innehållet (standard: content/)")


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
    p.add_argument("--quiet", "-q", action="store_true", help="skriv bara ut fel och varningar, inte sammanfattningen")

    p = sub.add_parser("build", help="granska och bygg webbplatsen (site/) och dokumenten (dist/)")
    _content_arg(p)
    p.add_argument("--strict", action="store_true", help="vägra bygga även vid varningar")
    p.add_argument("--site-dir", metavar="DIR", type=Path, default=Path("site"), help="var webbplatsen skrivs (standard: site/)")
    p.add_argument("--dist-dir", metavar="DIR", type=Path, default=Path("dist"), help="var dokumenten skrivs (standard: dist/)")
    p.add_argument("--config", metavar="FIL", type=Path, default=Path("mkdocs.yml"), help="mkdocs-konfigurationen (standard: mkdocs.yml)")

    p = sub.add_parser("serve", help="förhandsgranska med automatisk omladdning vid ändringar")
    _content_arg(p)
    p.add_argument("--addr", default="127.0.0.1:8000", help="adress och port (standard: 127.0.0.1:8000)")
    p.add_argument("--config", metavar="FIL", type=Path, default=Path("mkdocs.yml"), help="mkdocs-konfigurationen")

    p = sub.add_parser("schema", help="skriv JSON Schema och koppla dem till editorn")
    _content_arg(p)
    p.add_argument("--check", action="store_true", help="kontrollera bara att schemafilerna är aktuella")
    return parser


def cmd_check(args: argparse.Namespace) -> int:
    from .pipeline import check_content

    start = time.perf_counter()
    project, issues = check_content(args.content)
    print_issues(issues)
    failed = bool(failing(issues, args.strict))
    if not args.quiet:
        counts = {k: len(getattr(project, k)) for k in ("routines", "units", "legal", "terms", "municipalities", "figures",
                                                        "sources", "plans", "measures", "prose", "modules", "courses")}
        print(f"Granskade {counts['routines']} rutiner, {counts['units']} enheter, {counts['legal']} rättskällor, "
              f"{counts['terms']} begrepp, {counts['municipalities']} kommuner, {counts['figures']} uppgifter, "
              f"{counts['sources']} källor, {counts['plans']} handlingsplaner med {counts['prose']} kapiteltexter och "
              f"{counts['measures']} åtgärder, {counts['modules']} utbildningsmoduler och {counts['courses']} kurser "
              f"på {time.perf_counter() - start:.2f} s: {summary(issues)}.", file=sys.stderr)
    return 1 if failed else 0


def cmd_build(args: argparse.Namespace) -> int:
    from .publish import build

    return build(content=args.content, site_dir=args.site_dir, dist_dir=args.dist_dir, config_file=args.config,
                 strict=args.strict)


def cmd_serve(args: argparse.Namespace) -> int:
    from .publish import serve

    return serve(content=args.content, config_file=args.config, addr=args.addr)


def cmd_schema(args: argparse.Namespace) -> int:
    from .schema import write_schemas

    return write_schemas(args.content, check=args.check)


def main(argv: list[str] | None = None) -> int:
    parser = make_parser()
    args = parser.parse_args(argv)
    handler = {"check": cmd_check, "build": cmd_build, "serve": cmd_serve, "schema": cmd_schema}[args.command]
    try:
        return handler(args)
    except KeyboardInterrupt:
        print("Avbrutet.", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
