"""Answers that know what is asked: question kinds, the assigned agency and the real deadline,
no quotes from the non-content parts of a document, and "not found" when a pinning term of
the question (a province, a year, an agency) is not in the evidence."""
import json

import pytest
from click.testing import CliRunner

from indexer.answer import NOT_FOUND, AnswerSettings, ask, candidates
from indexer.answer.question import analyse
from indexer.cli import main
from indexer.search import Searcher
from indexer.store import open_index
from conftest import build_index

PLAN = """ỦY BAN NHÂN DÂN TỈNH ĐỒNG NAI

Số: 41/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM

Độc lập - Tự do - Hạnh phúc

Đồng Nai, ngày 12 tháng 3 năm 2025

KẾ HOẠCH

Triển khai thi hành Luật Việc làm trên địa bàn tỉnh

Thực hiện Quyết định số 1850/QĐ-TTg ngày 31/12/2024 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai thi hành Luật Việc làm, Ủy ban nhân dân tỉnh ban hành Kế hoạch như sau:

I. MỤC ĐÍCH, YÊU CẦU

Bảo đảm Luật Việc làm được triển khai thống nhất, kịp thời và hiệu quả trên địa bàn tỉnh Đồng Nai.

II. NHIỆM VỤ

1. Sở Nội vụ chịu trách nhiệm tham mưu Ủy ban nhân dân tỉnh triển khai thi hành Luật Việc làm, hoàn thành trước ngày 30 tháng 6 năm 2025.

2. Giao Sở Tài chính chủ trì, phối hợp với Sở Nội vụ bố trí kinh phí thực hiện Kế hoạch, hoàn thành trong quý III năm 2025.

3. Đến năm 2026, tỷ lệ lao động qua đào tạo của tỉnh đạt 70%.

Nơi nhận:

- Bộ Nội vụ;

- Sở Tài chính;

- Lưu: VT, LĐVP, TH, KT.

TM. ỦY BAN NHÂN DÂN

KT. CHỦ TỊCH

PHÓ CHỦ TỊCH

Nguyễn Văn An
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, embedder):
    index_dir = build_index(tmp_path_factory, embedder, {"ke-hoach-viec-lam.txt": PLAN})
    index = open_index(index_dir)
    yield Searcher.open(index, embedder)
    index.close()


@pytest.mark.parametrize("question, kind", [
    ("Ai chịu trách nhiệm triển khai thi hành Luật Việc làm?", "agency"),
    ("Cơ quan nào chủ trì bố trí kinh phí?", "agency"),
    ("Khi nào hoàn thành sắp xếp đơn vị hành chính cấp xã?", "deadline"),
    ("Sở Nội vụ phải hoàn thành trước ngày nào?", "deadline"),
    ("Tỷ lệ lao động qua đào tạo đạt bao nhiêu?", "quantity"),
    ("Phạt tù mấy năm?", "quantity"),
    ("Hạ tầng được đặt ở đâu?", "place"),
    ("Kế hoạch đặt ra những nhiệm vụ nào?", "list"),
    ("Xoài được xuất khẩu sang những thị trường nào?", "list"),
    ("Vùng phát thải thấp là gì?", "definition"),
    ("Người lao động có được nghỉ việc không?", "yes_no"),
    ("nhiệm vụ chuyển đổi số", "keyword"),
    ("UBND tỉnh giao Sở Tài chính", "keyword"),
    ("so nao chu tri binh on gia sua cho tre em", "agency"),  # typed without diacritics
    ("AI pháp luật là gì?", "definition"),  # "AI" in capitals is no "ai" (who)
])
def test_the_kind_of_answer_a_question_asks_for(question, kind):
    assert analyse(question).kind == kind


def test_pinning_terms_of_a_question():
    asked = analyse("Ở Cà Mau, Sở Y tế phải đạt chỉ tiêu nào đến năm 2030 theo Kế hoạch "
                    "597/KH-UBND, với 70% số xã?")
    assert {(pin.kind, pin.text) for pin in asked.pins} == {
        ("province", "Cà Mau"), ("agency", "Sở Y tế"), ("year", "2030"),
        ("document", "597/KH-UBND"), ("number", "70%")}
    # A law's year names the law, a clause number points into it: neither pins the answer.
    assert analyse("Theo Bộ luật Hình sự năm 2017, khoản 3 Điều 107 phạt bao nhiêu?").pins == ()
    assert analyse("Căn cứ ban hành kế hoạch là văn bản nào?").asks_basis


def marked(answer) -> list[str]:
    return [quote.text[a:b] for quote in answer.sentences for a, b in quote.highlights]


def test_who_is_the_lead_agency_of_the_assignment_not_one_in_the_preamble(searcher):
    answer = ask(searcher, "Ai chịu trách nhiệm triển khai thi hành Luật Việc làm?")
    assert answer.supported and answer.kind == "agency"
    assert marked(answer) == ["Sở Nội vụ"]
    assert not any("Thủ tướng" in quote.text for quote in answer.sentences)


def test_the_lead_is_highlighted_not_the_partner(searcher):
    answer = ask(searcher, "Cơ quan nào chủ trì bố trí kinh phí thực hiện Kế hoạch?")
    assert marked(answer) == ["Sở Tài chính"]


def test_when_is_the_deadline_not_the_date_of_a_cited_decision(searcher):
    answer = ask(searcher, "Khi nào phải hoàn thành tham mưu triển khai thi hành Luật Việc làm?")
    assert answer.supported and answer.kind == "deadline"
    assert marked(answer) == ["trước ngày 30 tháng 6 năm 2025"]
    assert all("31/12/2024" not in phrase for phrase in marked(answer))


def test_how_much_is_the_number_with_its_unit(searcher):
    answer = ask(searcher, "Đến năm 2026 tỷ lệ lao động qua đào tạo của tỉnh đạt bao nhiêu phần trăm?")
    assert marked(answer) == ["70%"]


@pytest.mark.parametrize("question, block", [
    ("UBND tỉnh giao Sở Tài chính", "Nơi nhận"), ("Lưu VT LĐVP TH KT", "Lưu: VT"),
    ("Phó Chủ tịch Nguyễn Văn An", "Nguyễn Văn An"),
    ("Cộng hòa xã hội chủ nghĩa Việt Nam độc lập tự do hạnh phúc", "Độc lập"),
])
def test_recipients_signature_and_motto_are_never_quoted(searcher, question, block):
    hits = searcher.search(question, k=5)
    assert any(block in hit.text for hit in hits)  # the block is found, and is no answer
    quotable = [c.text for c in candidates(searcher.index, question, hits)]
    assert quotable and not any(block in text or text.startswith(("Bộ Nội vụ;", "TM.", "KT."))
                                for text in quotable)


def test_the_preamble_is_quoted_only_when_the_legal_basis_is_asked(searcher):
    asked = ask(searcher, "Kế hoạch triển khai thi hành Luật Việc làm căn cứ văn bản nào?")
    assert any("Quyết định số 1850/QĐ-TTg" in quote.text for quote in asked.sentences)
    question = "Ủy ban nhân dân tỉnh triển khai thi hành Luật Việc làm như thế nào?"
    hits = searcher.search(question, k=5)
    assert any("Thực hiện Quyết định" in hit.text for hit in hits)
    assert not any(c.text.startswith("Thực hiện")
                   for c in candidates(searcher.index, question, hits))


@pytest.mark.parametrize("question", [
    "Ở Cà Mau, ai chịu trách nhiệm triển khai thi hành Luật Việc làm?",  # another province
    "Đến năm 2030, tỷ lệ lao động qua đào tạo của tỉnh Đồng Nai đạt bao nhiêu?",  # another year
    "Sở Y tế phải hoàn thành tham mưu thi hành Luật Việc làm trước ngày nào?",  # another agency
])
def test_a_swapped_pinning_term_gets_not_found_with_the_closest_passages(searcher, question):
    answer = ask(searcher, question)
    assert not answer.supported and answer.text == NOT_FOUND
    assert answer.passages  # still listed, labelled as the closest passages
    same = ask(searcher, question.replace("Ở Cà Mau, ai", "Ai").replace("2030", "2026")
               .replace("Sở Y tế", "Sở Nội vụ"))
    assert same.supported  # the question as the plan answers it


def test_a_keyword_query_gets_a_compact_answer(searcher):
    answer = ask(searcher, "kinh phí thực hiện kế hoạch")
    assert answer.kind == "keyword" and answer.compact
    assert len(answer.sentences) <= 1
    assert answer.as_dict()["compact"] is True


def test_eval_answers_prints_one_json_object(tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "a", "title": "Kế hoạch", "text": PLAN},
                                 ensure_ascii=False), encoding="utf-8")
    queries = tmp_path / "queries.jsonl"
    queries.write_text(json.dumps({"qid": "q1", "query": "Ai chịu trách nhiệm triển khai thi "
                                   "hành Luật Việc làm?", "answer": "Sở Nội vụ"},
                                  ensure_ascii=False), encoding="utf-8")
    unanswerable = tmp_path / "none.txt"  # plain text, one question per line
    unanswerable.write_text("Ở Cà Mau, ai chịu trách nhiệm triển khai thi hành Luật Việc làm?\n"
                            "Đội tuyển nào vô địch World Cup năm 2022?\n", encoding="utf-8")
    result = CliRunner().invoke(main, [
        "eval", "--corpus", str(corpus), "--queries", str(queries), "--answers", "--json",
        "--unanswerable", str(unanswerable), "--cache-dir", str(tmp_path / "cache")])
    assert result.exit_code == 0, result.output
    measures = json.loads(result.output)
    assert measures["questions"] == 1 and measures["unanswerable"] == 2
    assert measures["gold_in_answer"] == 1.0 and measures["gold_in_top_passage"] == 1.0
    assert measures["citation_precision"] == 1.0 and measures["wrong_abstention"] == 0.0
    assert measures["abstention_unanswerable"] == 1.0


HEADED = PLAN.replace("3. Đến năm 2026", "3. Sở Công Thương\n\na) Rà soát quy hoạch các cụm "
                      "công nghiệp bảo đảm đủ mặt bằng cho doanh nghiệp mới thành lập.\n\n"
                      "4. Đến năm 2026")


def test_a_lead_named_by_the_heading_above_the_task_is_quoted_with_it(tmp_path_factory,
                                                                      embedder):
    index_dir = build_index(tmp_path_factory, embedder, {"ke-hoach.txt": HEADED})
    index = open_index(index_dir)
    answer = ask(Searcher.open(index, embedder), "Cơ quan nào rà soát quy hoạch các cụm "
                                                "công nghiệp?")
    index.close()
    assert marked(answer) == ["Sở Công Thương"]
    texts = [quote.text for quote in answer.sentences]
    assert texts.index("Sở Công Thương") + 1 == texts.index(
        "Rà soát quy hoạch các cụm công nghiệp bảo đảm đủ mặt bằng cho doanh nghiệp mới thành lập.")


@pytest.mark.parametrize("question, term", [
    ('Quy chế trả lời kiến nghị cử tri hiểu "kiến nghị sẽ giải quyết" là gì?',
     "kien nghi se giai quyet"),
    ("Quy định của Bắc Ninh định nghĩa cột BTS là gì?", "cot bts"),
    ("Theo quy chế của Bắc Ninh, thế nào là phản ánh hiện trường?", "phan anh hien truong"),
    ("Định mức tiết dạy của giáo viên phổ thông được hiểu là gì?", "dinh muc tiet day"),
])
def test_a_definition_question_finds_what_the_term_is_said_to_be(question, term):
    asked = analyse(question)
    assert asked.kind == "definition" and asked.term == term
    sentence = f"{term.capitalize()}: là khái niệm được quy định tại Điều 3."
    assert [sentence[a:b] for a, b in asked.finder(sentence)] == [
        "khái niệm được quy định tại Điều 3."]


CODE = """Điều 247. Tội trồng cây thuốc phiện, cây côca, cây cần sa

1. Người nào trồng cây thuốc phiện, cây côca, cây cần sa hoặc các loại cây khác có chứa chất ma túy, thì bị phạt tù từ 06 tháng đến 03 năm.

2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 03 năm đến 07 năm:

a) Có tổ chức;

b) Tái phạm nguy hiểm.

Điều 248. Tội sản xuất trái phép chất ma túy

1. Người nào sản xuất trái phép chất ma túy dưới bất kỳ hình thức nào, thì bị phạt tù từ 02 năm đến 07 năm.

2. Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 07 năm đến 15 năm:

a) Có tổ chức;

b) Phạm tội 02 lần trở lên.
"""


def test_a_short_list_item_is_quoted_with_its_lead_in_under_the_right_heading(tmp_path_factory,
                                                                                embedder):
    """The question's condition ("có tổ chức") is an item of clause 2; only the article's
    heading names the offence. The same item under another article's lead-in is another rule."""
    index_dir = build_index(tmp_path_factory, embedder, {"bo-luat.txt": CODE})
    index = open_index(index_dir)
    searcher = Searcher.open(index, embedder)
    lower = "Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 03 năm đến 07 năm:"
    higher = "Phạm tội thuộc một trong các trường hợp sau đây, thì bị phạt tù từ 07 năm đến 15 năm:"
    for question, lead_in, not_it in (
            ("Người trồng cây cần sa có tổ chức thì bị phạt tù từ bao lâu đến bao lâu?",
             lower, higher),
            ("Người sản xuất trái phép chất ma túy có tổ chức thì bị phạt tù từ bao lâu đến bao "
             "lâu?", higher, lower)):
        texts = [quote.text for quote in ask(searcher, question).sentences]
        # The chunker puts the items in a passage of their own; their lead-in is quoted with
        # them from the passage above.
        assert texts[texts.index(lead_in) + 1] == "Có tổ chức;" and not_it not in texts
    index.close()


TERMS = "Điều 144. Cách tính thời hạn\n\n1. Trường hợp các bên có thỏa thuận về thời hạn " \
    "là một năm, nửa năm, một tháng, nửa tuần mà khoảng thời gian diễn ra không liền nhau " \
    "thì thời hạn đó được tính như sau:\n\n" + "".join(
        f"{letter}) {item}; trường hợp này được áp dụng khi các bên không có thỏa thuận khác về "
        f"cách tính thời hạn theo quy định của pháp luật có liên quan.\n\n"
        for letter, item in zip("abcdefgh", [
            "Một năm là ba trăm sáu mươi lăm ngày", "Nửa năm là sáu tháng",
            "Một tháng là ba mươi ngày", "Nửa tháng là mười lăm ngày", "Một tuần là bảy ngày",
            "Một ngày là hai mươi tư giờ", "Một giờ là sáu mươi phút",
            "Một phút là sáu mươi giây"]))


def test_the_lead_in_of_a_list_cut_off_by_the_chunker_is_quoted_with_its_item(tmp_path_factory,
                                                                              embedder):
    index_dir = build_index(tmp_path_factory, embedder, {"thoi-han.txt": TERMS})
    index = open_index(index_dir)
    searcher = Searcher.open(index, embedder)
    # The list is longer than a chunk: the last items' passage starts below the lead-in.
    last = searcher.search("Một phút là sáu mươi giây", k=1)[0]
    assert "được tính như sau" not in last.text
    question = "Khi khoảng thời gian diễn ra không liền nhau, một phút được tính là bao nhiêu giây?"
    answer = ask(searcher, question)
    texts = [quote.text for quote in answer.sentences]
    lead = texts.index(next(t for t in texts if t.endswith("được tính như sau:")))
    assert texts[lead + 1].startswith("Một phút là sáu mươi giây;")
    # Answered from that one passage alone, the lead-in is in none of the top passages: it is
    # read from the passage above, which is what an answer quoting it cites.
    item = next(c for c in candidates(index, question, [last])
                if c.text.startswith("Một phút là sáu mươi giây;"))
    assert item.lead.text.endswith("được tính như sau:") and item.lead.source is not None
    source = item.lead.source
    assert source.chunk_id != last.chunk_id and \
        source.char_start <= item.lead.start < item.lead.end <= source.char_end
    index.close()


def test_a_definition_of_a_quoted_term_is_asked():
    asked = analyse('Định nghĩa của "Người lao động"?')
    assert (asked.kind, asked.term) == ("definition", "nguoi lao dong")
    asked = analyse("Theo Bộ luật Dân sự, lợi tức được hiểu như thế nào?")
    assert (asked.kind, asked.term) == ("definition", "loi tuc")
