from indexer.highlight import highlight_spans

TEXT = ("Ban Thường vụ Tỉnh ủy giao nhiệm vụ chuyển đổi số theo Kế hoạch số 597/KH-UBND "
        "của UBND tỉnh.")


def marked(text, query):
    return [text[a:b] for a, b in highlight_spans(text, query)]


def test_unaccented_query_highlights_accented_words():
    assert marked(TEXT, "chuyen doi so") == ["chuyển đổi số"]


def test_words_are_matched_as_pairs_not_stray_syllables():
    # "vụ" of "Ban Thường vụ" is not the "vụ" of "nhiệm vụ".
    assert marked(TEXT, "nhiệm vụ chuyển đổi số") == ["nhiệm vụ chuyển đổi số"]


def test_numbers_codes_and_single_words_stand_alone():
    assert marked(TEXT, "kế hoạch 597/KH-UBND") == ["Kế hoạch", "597/KH-UBND"]
    assert marked(TEXT, "UBND") == ["UBND"]
    assert marked(TEXT, "Tỉnh") == ["Tỉnh", "tỉnh"]


def test_spans_point_into_the_original_text():
    for start, end in highlight_spans(TEXT, "ke hoach so"):
        assert TEXT[start:end].lower().startswith(("kế", "số"))


def test_a_query_typed_with_diacritics_marks_only_exact_matches():
    text = "Phố bổ thì khác phở bò; Phở Bò của tỉnh, không phải tính toán."
    assert marked(text, "phở bò") == ["phở bò", "Phở Bò"]
    assert marked(text, "pho bo") == ["Phố bổ", "phở bò", "Phở Bò"]  # folded when typed so
    assert marked(text, "tỉnh") == ["tỉnh"]


def test_tone_marks_are_compared_in_one_convention():
    assert marked("Hòa bình và thủy lợi.", "hoà bình thuỷ lợi") == ["Hòa bình", "thủy lợi"]


def test_a_number_marks_the_code_it_starts():
    assert marked("Số: 57/2025/NQ-HĐND ngày 10", "nghị quyết 57") == ["57/2025/NQ-HĐND"]
