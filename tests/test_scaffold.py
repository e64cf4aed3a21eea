"""``handbok init``: a new organisation's content folder that checks and builds as written, from any folder."""

from __future__ import annotations

import re
import zipfile

import docx
import yaml

from conftest import ROOT, run_cli


def test_init_writes_a_tree_that_builds_strictly_under_the_new_name(tmp_path):
    # Run from a folder that is not the tool's: the tool finds its own configuration and templates.
    work = tmp_path / "arbete"
    work.mkdir()
    result = run_cli("init", "testby", "--organisation", "Testby kommun", "--department", "Socialförvaltningen",
                     cwd=work)
    assert result.returncode == 0, result.stderr
    assert "Skrev " in result.stderr and "för Testby kommun." in result.stderr
    tree = work / "testby"
    org = yaml.safe_load((tree / "organisation.yml").read_text(encoding="utf-8"))
    assert org["name"] == "Testby kommun" and org["department"] == "Socialförvaltningen"
    # Shared records are copied without what belongs to the base: its open questions and its programme findings.
    assert (tree / "legal" / "lvu.yml").is_file() and (tree / "glossary" / "betanketid.yml").is_file()
    for file in tree.rglob("*.yml"):
        text = file.read_text(encoding="utf-8")
        assert "open_questions:" not in text and "findings:" not in text, file
    # The example is dated by the check's own today (SOURCE_DATE_EPOCH in run_cli), not by the machine's clock:
    # on any later day a clock date would lie in the future for the check.
    example = yaml.safe_load((tree / "routines" / "exempel-akut-fara.yml").read_text(encoding="utf-8"))
    assert str(example["updated"]) == "2026-12-03"
    check = run_cli("check", "--strict", "--content", "testby", cwd=work)
    assert check.returncode == 0, check.stderr
    assert ": 0 fel, 0 varningar" in check.stderr

    # The writer adds the logo and the feedback address, both in the content.
    (tree / "logotyp.svg").write_text('<svg xmlns="http://www.w3.org/2000/svg" width="8" height="8"/>', encoding="utf-8")
    with (tree / "organisation.yml").open("a", encoding="utf-8") as f:
        f.write("logo: logotyp.svg\nfeedback: https://testby.example/synpunkter\n")
    build = run_cli("build", "--strict", "--content", "testby", "--site-dir", "site", "--dist-dir", "dist", cwd=work)
    assert build.returncode == 0, build.stderr
    site = work / "site"
    assert (site / "assets" / "images" / "logotyp.svg").is_file()
    assert 'src="assets/images/logotyp.svg"' in (site / "index.html").read_text(encoding="utf-8")
    assert 'href="https://testby.example/synpunkter"' in (site / "om" / "index.html").read_text(encoding="utf-8")
    start = (site / "index.html").read_text(encoding="utf-8")
    assert "<title>Start - Rutinhandbok mot prostitution och människohandel - Testby kommun</title>" in start
    about = (site / "om" / "index.html").read_text(encoding="utf-8")
    assert "ges ut av Testby kommun, socialförvaltningen" in about
    assert "Stockholm" not in start and "Stockholm" not in about
    # The example routine is on the site, marked as an example.
    routine = (site / "rutiner" / "exempel-akut-fara" / "index.html").read_text(encoding="utf-8")
    assert "Exempel: akut fara vid misstanke om människohandel" in routine

    handbook = work / "dist" / "rutinhandbok.docx"
    d = docx.Document(str(handbook))
    assert d.core_properties.author == "Testby kommun, socialförvaltningen"
    header = " ".join(p.text for s in d.sections for p in s.header.paragraphs)
    assert header == "Testby kommun · Rutinhandbok mot prostitution och människohandel · Utkast, inte fastställt"
    with zipfile.ZipFile(handbook) as z:
        xml = " ".join(z.read(n).decode("utf-8") for n in z.namelist() if n.endswith(".xml"))
    assert "Stockholm" not in xml


def test_init_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "finns").mkdir()
    (tmp_path / "finns" / "fil.txt").write_text("x", encoding="utf-8")
    result = run_cli("init", "finns", "--organisation", "Testby kommun", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr == ("handbok init: Mappen finns finns redan och är inte tom. Ange en ny mapp; inget skrevs.\n")
    assert sorted(p.name for p in (tmp_path / "finns").iterdir()) == ["fil.txt"]


def test_init_needs_the_organisation_name(tmp_path):
    result = run_cli("init", "ny", cwd=tmp_path)
    assert result.returncode == 2
    assert "följande argument krävs: --organisation" in result.stderr


def test_the_organisation_is_content_not_code():
    """No literal name of the base organisation in the tool: it comes from content/organisation.yml."""
    found = []
    for folder in ("generators", "templates"):
        for path in sorted((ROOT / folder).rglob("*")):
            if path.is_file() and path.suffix in (".py", ".j2", ".html", ".css", ".js", ".yml", ".json", ".svg", ".md"):
                for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                    if "Stockholm" in line:
                        found.append(f"{path.relative_to(ROOT)}:{n}")
    assert found == []
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    assert "Stockholm" not in config


def test_the_default_content_names_its_organisation(default_site, default_dist):
    org = yaml.safe_load((ROOT / "content" / "organisation.yml").read_text(encoding="utf-8"))
    assert org["name"] == "Stockholms stad"
    d = docx.Document(str(default_dist / "rutinhandbok.docx"))
    assert d.core_properties.author == "Stockholms stad, socialförvaltningen"
    assert re.search(r"Stockholms stad · Rutinhandbok mot prostitution och människohandel",
                     " ".join(p.text for s in d.sections for p in s.header.paragraphs))
    start = (default_site / "index.html").read_text(encoding="utf-8")
    assert '<meta name="author" content="Stockholms stad">' in start
    assert "<title>Start - Rutinhandbok mot prostitution och människohandel - Stockholms stad</title>" in start
    # The hand-written About page of the content comes before the generated one.
    about = (default_site / "om" / "index.html").read_text(encoding="utf-8")
    assert "Rutinhandboken samlar rutiner för arbetet mot prostitution och människohandel i Stockholm." in about


def test_a_routine_from_new_reaches_the_site(tmp_path):
    """The writer's path: init, `handbok new routine`, fill in the placeholders, build, find the page."""
    assert run_cli("init", "testby", "--organisation", "Testby kommun", cwd=tmp_path).returncode == 0
    made = run_cli("new", "routine", "Stöd vid akut placering", "--content", "testby", cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    path = tmp_path / "testby" / "routines" / "stod-vid-akut-placering.yml"
    assert made.stderr.startswith("Skrev testby/routines/stod-vid-akut-placering.yml")
    unfilled = run_cli("check", "--content", "testby", cwd=tmp_path)
    assert unfilled.returncode == 1 and "summary får inte vara tom." in unfilled.stderr
    text = path.read_text(encoding="utf-8")
    for old, new in [('summary: ""', "summary: Ge barnet skydd och stöd samma dag."),
                     ('situation: ""', "situation: Ett barn behöver placeras akut."),
                     ("target_groups: []", "target_groups: [barn]"),
                     ('responsible: ""', "responsible: socialtjansten"),
                     ('call: ""', "call: socialtjansten"),
                     ('ask: ""', "ask: Säg att barnet behöver skydd i dag."),
                     ('    - ""\n', "    - Var barnet är nu\n"),
                     ('actor: ""', "actor: socialtjansten"),
                     ('action: ""', "action: Ordna ett tryggt boende för barnet samma dag."),
                     ('  - ""\n', "  - nspm-akut-skydd\n")]:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    build = run_cli("build", "--strict", "--content", "testby", "--site-dir", "site", "--dist-dir", "dist",
                    cwd=tmp_path)
    assert build.returncode == 0, build.stderr
    page = (tmp_path / "site" / "rutiner" / "stod-vid-akut-placering" / "index.html").read_text(encoding="utf-8")
    assert "Ordna ett tryggt boende för barnet samma dag." in page
    overview = (tmp_path / "site" / "rutiner" / "index.html").read_text(encoding="utf-8")
    assert "Stöd vid akut placering" in overview
