"""Answers: quoted sentences that are the stored text, cited, or an honest "not found"."""
import dataclasses
import json

import pytest
from click.testing import CliRunner

from indexer.answer import (NOT_FOUND, AnswerSettings, QuoteMismatch, ask, fact_finder,
                            split_sentences, verify)
from indexer.cli import main
from indexer.search import Searcher
from indexer.store import open_index
from conftest import DOCS, build_index

WHO = "Ai chịu trách nhiệm triển khai kế hoạch chuyển đổi số?"
UNANSWERABLE = "Đội tuyển nào vô địch World Cup năm 2022?"


@pytest.fixture(scope="module")
def index_dir(tmp_path_factory, embedder):
    return build_index(tmp_path_factory, embedder, DOCS, seed=True)


@pytest.fixture(scope="module")
def searcher(index_dir, embedder):
    index = open_index(index_dir)
    yield Searcher.open(index, embedder)
    index.close()


def test_sentences_are_spans_of_the_text():
    text = ("Tội chiếm đoạt di vật\n\n1. Người nào chiếm đoạt di vật, thì bị phạt tù từ 06 tháng "
            "đến 03 năm. Điều 5. Hiệu lực thi hành. TP. Hồ Chí Minh chủ trì.\n\n"
            "a) Là chỉ huy hoặc sĩ quan;\n- Gạch đầu dòng thứ hai.")
    spans = split_sentences(text)
    sentences = [text[start:end] for start, end in spans]
    assert sentences == [
        "Tội chiếm đoạt di vật",
        "Người nào chiếm đoạt di vật, thì bị phạt tù từ 06 tháng đến 03 năm.",
        "Điều 5. Hiệu lực thi hành.",  # too short to stand alone: stays with what follows
        "TP. Hồ Chí Minh chủ trì.",  # an abbreviation ends no sentence
        "Là chỉ huy hoặc sĩ quan;",  # list markers are left out of the span
        "Gạch đầu dòng thứ hai.",
    ]


@pytest.mark.parametrize("question,sentence,phrase", [
    ("Phạt tù lên đến bao nhiêu năm?", "thì bị phạt tù từ 02 năm đến 07 năm:",
     "02 năm đến 07 năm"),
    ("Từ đủ bao nhiêu tuổi phải chịu trách nhiệm?", "Người từ đủ 16 tuổi trở lên.", "16 tuổi"),
    ("Hỗ trợ bao nhiêu tiền?", "Hỗ trợ 5 triệu đồng cho mỗi héc-ta.", "5 triệu đồng"),
    ("Kế hoạch ban hành khi nào?", "Thái Nguyên, ngày 14 tháng 4 năm 2025.",
     "ngày 14 tháng 4 năm 2025"),
    ("Hội nghị thảo luận bao nhiêu nội dung?", "Góp ý vào 15 nội dung về kinh tế.",
     "15 nội dung"),
    (WHO, "Sở Thông tin và Truyền thông chịu trách nhiệm chủ trì.", "Sở Thông tin và Truyền thông"),
    ("Cơ quan nào chỉ đạo?", "Giao Ủy ban nhân dân tỉnh Thái Nguyên chỉ đạo di dời dân.",
     "Ủy ban nhân dân tỉnh Thái Nguyên"),
])
def test_the_phrase_answering_a_fact_question_is_found(question, sentence, phrase):
    start, end = fact_finder(question)(sentence)[0]
    assert sentence[start:end] == phrase


def test_a_question_about_no_fact_has_no_finder():
    assert fact_finder("nhiệm vụ chuyển đổi số năm 2021 gồm những gì?") is None
    assert fact_finder("Xe máy đi thế nào?") is None  # "máy" is not "mấy"


@pytest.mark.parametrize("question", [
    WHO, "nhiệm vụ chuyển đổi số năm 2021 là gì?", "Mức hỗ trợ trồng rừng là bao nhiêu tiền?",
    "Ai chỉ đạo di dời dân khỏi vùng sạt lở?", "chuyen doi so", "bảo vệ rừng phòng hộ",
])
def test_every_quoted_sentence_is_the_stored_text_of_its_cited_passage(searcher, question):
    answer = ask(searcher, question)
    assert answer.supported and 1 <= len(answer.sentences) <= 4
    cited = {c.number: c.hit for c in answer.citations}
    assert sorted(cited) == list(range(1, len(cited) + 1))
    for quote in answer.sentences:
        document = searcher.index.document(quote.document_id)
        assert document.text[quote.char_start:quote.char_end] == quote.text
        hit = cited[quote.citation]
        assert hit.document.id == quote.document_id
        assert hit.char_start <= quote.char_start < quote.char_end <= hit.char_end
        # The paragraph the citation link scrolls to holds the sentence.
        offsets = document.paragraph_offsets
        assert offsets[quote.paragraph - 1] <= quote.char_start
        assert quote.paragraph == len(offsets) or quote.char_start < offsets[quote.paragraph]
    texts = [q.text for q in answer.sentences]
    assert len(set(texts)) == len(texts)
    assert answer.text.endswith("]") and "[1]" in answer.text


def test_who_question_quotes_and_highlights_the_agency(searcher):
    answer = ask(searcher, WHO)
    first = answer.sentences[0]
    assert first.text.startswith("Sở Thông tin và Truyền thông chịu trách nhiệm chủ trì")
    assert [first.text[a:b] for a, b in first.highlights] == ["Sở Thông tin và Truyền thông"]
    assert answer.citations[0].hit.document.rel_path == "ke-hoach-cds.txt"
    assert answer.support >= AnswerSettings().threshold


def test_how_much_question_prefers_the_sentence_stating_the_amount(searcher):
    answer = ask(searcher, "Mức hỗ trợ cho mỗi héc-ta rừng trồng mới là bao nhiêu tiền?")
    marked = [q.text[a:b] for q in answer.sentences for a, b in q.highlights]
    assert marked == ["5 triệu đồng"]
    assert answer.sentences[0].text == "Hỗ trợ 5 triệu đồng cho mỗi héc-ta rừng trồng mới."


def test_sentences_of_one_document_keep_their_order(searcher):
    answer = ask(searcher, "nhiệm vụ chuyển đổi số")
    by_document = {}
    for quote in answer.sentences:
        by_document.setdefault(quote.document_id, []).append(quote.char_start)
    assert all(starts == sorted(starts) for starts in by_document.values())


def test_abstains_on_a_question_the_documents_cannot_answer(searcher):
    answer = ask(searcher, UNANSWERABLE)
    assert not answer.supported and answer.support < AnswerSettings().threshold
    assert answer.sentences == () and answer.citations == ()
    assert answer.text == NOT_FOUND
    assert answer.passages  # the closest passages are still given
    assert answer.as_dict()["message"] == NOT_FOUND


def test_a_tampered_quote_fails_verification(searcher):
    answer = ask(searcher, WHO)
    quote = answer.sentences[0]
    texts = {quote.document_id: searcher.index.document(quote.document_id).text}
    verify(answer, texts)
    wrong = dataclasses.replace(quote, text=quote.text.replace("Sở", "Bộ"))
    with pytest.raises(QuoteMismatch):
        verify(dataclasses.replace(answer, sentences=(wrong,)), texts)


def test_a_composer_cannot_put_words_in_the_documents_mouth(searcher):
    """The seam for a generator: whatever it returns is checked against the stored text."""
    def inventive(question, passages, found, settings):
        made_up = dataclasses.replace(found[0], text="Bộ Tài chính chịu trách nhiệm.")
        return [(made_up, ())]

    with pytest.raises(QuoteMismatch):
        ask(searcher, WHO, composer=inventive)


def test_the_composer_is_chosen_by_configuration(index_dir, searcher):
    runner = CliRunner()
    default = json.loads(runner.invoke(main, ["ask", WHO, "--json", "--index",
                                              str(index_dir)]).output)
    result = runner.invoke(main, ["ask", WHO, "--json", "--index", str(index_dir),
                                  "--composer", "composers:shortest_only"])
    assert result.exit_code == 0, result.output
    chosen = json.loads(result.output)
    assert len(chosen["sentences"]) == 1  # what the configured composer chose, not the default
    assert chosen["sentences"][0]["text"] != default["sentences"][0]["text"]
    result = runner.invoke(main, ["ask", WHO, "--index", str(index_dir), "--composer", "nope"])
    assert result.exit_code == 1 and "unknown composer 'nope'" in result.output
    assert "Traceback" not in result.output
    with pytest.raises(QuoteMismatch):  # a configured composer is checked like any other
        ask(searcher, WHO, AnswerSettings(composer="composers:inventive"))


def test_cli_ask_prints_a_cited_answer_or_not_found(index_dir):
    runner = CliRunner()
    result = runner.invoke(main, ["ask", WHO, "--index", str(index_dir)])
    assert result.exit_code == 0, result.output
    assert "Trả lời:" in result.output and "Nguồn:" in result.output
    assert "Sở Thông tin và Truyền thông chịu trách nhiệm" in result.output
    assert "[1]" in result.output and "ke-hoach-cds.txt" in result.output

    result = runner.invoke(main, ["ask", WHO, "--json", "--index", str(index_dir)])
    data = json.loads(result.output)
    assert data["supported"] and data["sentences"][0]["citation"] == 1
    assert data["sentences"][0]["highlights"] and data["citations"][0]["number"] == 1

    result = runner.invoke(main, ["ask", UNANSWERABLE, "--index", str(index_dir)])
    assert result.exit_code == 0
    assert NOT_FOUND in result.output and "Các đoạn gần nhất:" in result.output

    for args, message in ((["ask", "  "], "the question is empty"),
                          (["ask", "x", "--index", str(index_dir / "none")], "no index at")):
        result = runner.invoke(main, args)
        assert result.exit_code != 0 and message in result.output
        assert "Traceback" not in result.output


def test_cli_eval_answers(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    records = [
        {"id": "a", "title": "Tù chung thân", "text": "Không áp dụng hình phạt tù chung thân "
         "đối với người dưới 18 tuổi phạm tội."},
        {"id": "b", "title": "Cấm cư trú", "text": "Thời hạn cấm cư trú là từ 01 năm đến "
         "05 năm, kể từ ngày chấp hành xong hình phạt tù."},
    ]
    corpus.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records),
                      encoding="utf-8")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps({"qid": "q1", "query": "Thời hạn cấm cư trú là từ bao nhiêu "
                                   "đến bao nhiêu năm?", "relevant_ids": ["b"],
                                   "answer": "01 năm đến 05 năm"}, ensure_ascii=False),
                       encoding="utf-8")
    unanswerable = tmp_path / "none.jsonl"
    unanswerable.write_text(json.dumps({"query": UNANSWERABLE}, ensure_ascii=False),
                            encoding="utf-8")
    result = CliRunner().invoke(main, [
        "eval", "--corpus", str(corpus), "--queries", str(queries), "--answers",
        "--unanswerable", str(unanswerable), "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    assert "answer contains gold 1.000" in result.output
    assert "citation precision 1.000" in result.output
    assert "abstains on 1 unanswerable 1.000" in result.output
