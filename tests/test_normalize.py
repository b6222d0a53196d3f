import unicodedata

from indexer.normalize import join_wrapped_lines, normalize_line, unify_tone_marks
from indexer.vietnamese import fold


def test_tone_marks_follow_one_convention():
    assert unify_tone_marks("hoà bình") == "hòa bình"
    assert unify_tone_marks("Tỉnh uỷ, thuỷ lợi, khoẻ mạnh") == "Tỉnh ủy, thủy lợi, khỏe mạnh"
    assert unify_tone_marks("HOÀ") == "HÒA"
    # Closed syllables, "qu" and other vowel pairs are the same in both conventions.
    for word in ("hoàng", "quý", "quỳnh", "của", "khuỷu", "hoài", "thuyền", "hoặc", "xoắn",
                 "HOẶC", "khoảng", "thuộc"):
        assert unify_tone_marks(word) == word


def test_decomposed_input_becomes_nfc():
    decomposed = unicodedata.normalize("NFD", "Nghị quyết chuyển đổi số")
    result = normalize_line(decomposed)
    assert result == "Nghị quyết chuyển đổi số"
    assert unicodedata.is_normalized("NFC", result)


def test_whitespace_and_invisible_characters_collapse():
    assert normalize_line("  Ủy\u00a0ban \t nhân\u200bdân\u00ad  ") == "Ủy ban nhân dân"
    assert normalize_line("Đảng\u200d bộ\ufeff") == "Đảng bộ"


def test_fold_strips_diacritics_and_d_stroke():
    assert fold("Nhiệm vụ CHUYỂN ĐỔI SỐ, Đảng") == "nhiem vu chuyen doi so, dang"


def test_wrapped_lines_join_into_paragraphs():
    lines = ["Căn cứ Luật Tổ chức chính", "quyền địa phương số 72/2025/QH15;",
             "Số:", "2820/QĐ-UBND", "1. Mục tiêu chung", "2. Nhiệm vụ cụ thể của chuyển đổi",
             "số trong năm.", "ỦY BAN NHÂN", "DÂN TỈNH"]
    assert join_wrapped_lines(lines) == [
        "Căn cứ Luật Tổ chức chính quyền địa phương số 72/2025/QH15;",
        "Số: 2820/QĐ-UBND",
        "1. Mục tiêu chung",
        "2. Nhiệm vụ cụ thể của chuyển đổi số trong năm.",
        "ỦY BAN NHÂN DÂN TỈNH",
    ]


def test_hyphenated_line_end_rejoins_word():
    assert join_wrapped_lines(["tăng cường công tác kiểm tra, giám sát trans-", "parency"]) == [
        "tăng cường công tác kiểm tra, giám sát transparency"]
