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
    assert "No changes" in result.output and ": 0 embedded" in result.output

    # A removed file is named in the summary; counts say "1 document", not "1 documents".
    removed = next(p for p in sorted(corpus.iterdir()) if p.suffix == ".md")
    removed.rename(tmp_path / removed.name)
    result = runner.invoke(main, ["reindex", "--index", ix, "--quiet"])
    assert result.exit_code == 0, result.output
    assert "removed 1" in result.output and f"    {removed}" in result.output
    assert "holds 3 documents" in result.output
    (tmp_path / removed.name).rename(removed)
    result = runner.invoke(main, ["reindex", "--index", ix, "--quiet"])
    assert "added 1" in result.output and "1 embedded" not in result.output  # from the cache

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
    assert info["documents"] == 4 and info["embedder"].startswith("e5onnx")
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


def test_an_index_option_naming_the_documents_folder_says_so(runner, corpus):
    result = runner.invoke(main, ["search", "chuyển đổi số", "--index", str(corpus)])
    assert result.exit_code == 1
    assert "holds documents, not an index" in result.output
    assert f"vankien reindex {corpus}" in result.output


def test_serve_help_describes_every_option(runner):
    result = runner.invoke(main, ["serve", "--help"])
    for option in ("--index", "--host", "--port", "--threads", "--composer"):
        line = next(l for l in result.output.splitlines() if l.strip().startswith(option))
        assert len(line.split(maxsplit=2)) >= 2, line  # the option has words after it
    assert "Requests answered at once" in result.output and "http://HOST:PORT/" in result.output
