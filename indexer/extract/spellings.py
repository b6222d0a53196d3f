"""How a verb is spelled where folding makes it another word."""

# Verbs that fold to the same letters as common words: only these spellings are the verb ("chuyên
# môn" is no "chuyển", "cùng cấp" no "cung cấp", "theo đối tượng" no "theo dõi", "Tôn giáo" no
# "giao"). Text typed without diacritics still reads as the verb.
SPELLED = {
    "chuyen": ("chuyển",), "cu": ("cử",), "lap": ("lập", "lắp"), "trinh": ("trình",),
    "giao": ("giao",), "phai": ("phải",), "cung cap": ("cung cấp",), "phan cong": ("phân công",),
    "theo doi": ("theo dõi",), "phan bo": ("phân bổ",), "luu tru": ("lưu trữ",),
    "phan hoi": ("phản hồi",), "so ket": ("sơ kết",), "thuc day": ("thúc đẩy",),
    "dang tai": ("đăng tải",), "ban giao": ("bàn giao",), "thuc thi": ("thực thi",),
    "van dong": ("vận động",), "dang ky": ("đăng ký",), "khac phuc": ("khắc phục",),
    "ghi nhan": ("ghi nhận",), "chu trong": ("chú trọng",), "tam dung": ("tạm dừng",),
    "thanh toan": ("thanh toán",), "di doi": ("di dời",), "chon cu": ("chọn cử",),
    "phan anh": ("phản ánh",), "quan tam": ("quan tâm",), "thong bao": ("thông báo",),
    "can": ("cần",), "no luc": ("nỗ lực",), "phan dau": ("phấn đấu",), "cau hinh": ("cấu hình",),
}
