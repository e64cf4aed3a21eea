"""The handbok command: exit codes, messages without tracebacks, help in Swedish."""

from conftest import MINI, run_cli


def test_check_clean_content_exits_0():
    r = run_cli("check", "--content", str(MINI))
    assert r.returncode == 0, r.stderr
    assert "0 fel, 0 varningar" in r.stderr


def test_usage_error_exits_2():
    r = run_cli("check", "--no-such-flag")
    assert r.returncode == 2
    assert "okända argument" in r.stderr


def test_help_is_swedish():
    r = run_cli("--help")
    assert r.returncode == 0
    assert "användning:" in r.stdout and "granska innehållet" in r.stdout and "Slutkoder" in r.stdout


def test_broken_content_exits_1_without_traceback(mini):
    (mini / "units" / "bad.yml").write_bytes(b"id: bad\nname: \xe4\n")
    (mini / "routines" / "x.yml").write_text("id: x\ntitle: [\n", encoding="utf-8")
    (mini / "glossary" / "tom.yml").write_text("", encoding="utf-8")
    r = run_cli("check", "--content", str(mini), cwd=mini.parent)
    assert r.returncode == 1
    assert "Traceback" not in r.stderr
    assert "content/units/bad.yml:2:7: error[encoding]" in r.stderr
    assert "content/routines/x.yml:2:8: error[yaml-syntax]" in r.stderr
    assert "content/glossary/tom.yml:1:1: error[empty-file]" in r.stderr


def test_strict_turns_warnings_into_failure(mini):
    path = mini / "routines" / "polisinsats.yml"
    path.write_text(path.read_text(encoding="utf-8") + "related: [polisinsats]\n", encoding="utf-8")
    assert run_cli("check", "--content", str(mini), cwd=mini.parent).returncode == 0
    r = run_cli("check", "--strict", "--content", str(mini), cwd=mini.parent)
    assert r.returncode == 1 and "warning[self-reference]" in r.stderr


def test_missing_content_dir_is_a_message(tmp_path):
    r = run_cli("check", "--content", str(tmp_path / "nej"), cwd=tmp_path)
    assert r.returncode == 1 and "error[content-dir]" in r.stderr and "Traceback" not in r.stderr


def test_schema_files_are_current():
    r = run_cli("schema", "--check")
    assert r.returncode == 0, r.stderr


def test_audit_without_the_test_dependencies_says_how_to_get_them(tmp_path, monkeypatch, capsys):
    import importlib.util
    import sys
    from pathlib import Path

    from generators import audit, cli

    (tmp_path / "index.html").write_text("<html></html>", encoding="utf-8")
    monkeypatch.setattr(audit, "CHROMIUM", Path(sys.executable))  # a file that exists, wherever the tests run
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec",
                        lambda name, *a: None if name == "axe_playwright_python" else real(name, *a))
    assert cli.main(["audit", "--site-dir", str(tmp_path)]) == 1
    assert "Granskningen behöver testberoendena: pip install -e '.[test]'" in capsys.readouterr().err
