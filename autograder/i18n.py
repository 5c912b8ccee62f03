"""Student-facing strings in the course's language (course.yml ``language``: tr, the default, or en).

Only text that students read lives here; operator-facing text stays English everywhere.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, dict[str, str]] = {
    "condition_failed": {"tr": "beklenen koşul sağlanmadı", "en": "the expected condition does not hold"},
    "student_error": {"tr": "kodun hata verdi: {error}", "en": "your code raised {error}"},
    "call_timeout": {"tr": "zaman sınırı aşıldı (fonksiyon çok uzun sürdü)",
                     "en": "time limit reached (the function took too long)"},
    "time_limit": {"tr": "zaman sınırı aşıldı", "en": "time limit reached"},
    "kernel_died": {"tr": "çekirdek bu test sırasında çöktü", "en": "the kernel crashed during this test"},
    "manual": {"tr": "Bu soru elle notlanacak.", "en": "This question is graded by hand."},
    "manual_short": {"tr": "elle notlanacak", "en": "graded by hand"},
    "public_pass": {"tr": "Açık test {i}: geçti ({points:g} puan)", "en": "Public test {i}: passed ({points:g} points)"},
    "public_fail": {"tr": "Açık test {i}: geçmedi (0 / {points:g} puan)",
                    "en": "Public test {i}: failed (0 / {points:g} points)"},
    "public_pass_free": {"tr": "Açık test {i}: geçti (kendi kontrolün için, puanı yok)",
                         "en": "Public test {i}: passed (a check for you, no points)"},
    "public_fail_free": {"tr": "Açık test {i}: geçmedi (kendi kontrolün için, puanı yok)",
                         "en": "Public test {i}: failed (a check for you, no points)"},
    "hint": {"tr": "💡 İpucu: {hint}", "en": "💡 Hint: {hint}"},
    "hidden_tests": {"tr": "Gizli testler: {got:g} / {max:g} puan", "en": "Hidden tests: {got:g} / {max:g} points"},
    "all_or_nothing": {"tr": "Bu soru ya hep ya hiç notlanır: bir test geçmediği için 0 puan.",
                       "en": "This question is all-or-nothing: a test failed, so it scores 0."},
    "message": {"tr": "mesaj", "en": "message"},
    "invalid": {"tr": "Not defteri okunamadı:", "en": "The notebook could not be read:"},
    "timeout": {"tr": "Zaman sınırı aşıldı; süre içinde tamamlanan kısımlar notlandı.",
                "en": "Time limit reached; the parts finished in time were graded."},
    "kernel_note": {"tr": "Çekirdek bir hücrede çöktü; o hücre atlanarak kalan sorular notlandı.",
                    "en": "The kernel crashed in a cell; the other questions were graded without that cell."},
    "grader_error": {"tr": "Notlandırıcıda bir sorun oldu; ders ekibi bu teslime bakacak.",
                     "en": "The grader had a problem; the course staff will look at this submission."},
    "cell": {"tr": "Hücre {cell} hata verdi:", "en": "Cell {cell} raised an error:"},
    "feedback_title": {"tr": "{week} — geri bildirim", "en": "{week} — feedback"},
    "student": {"tr": "Öğrenci", "en": "Student"},
    "total": {"tr": "Toplam", "en": "Total"},
    "notes": {"tr": "Notlar", "en": "Notes"},
    "question": {"tr": "Soru", "en": "Question"},
    "points": {"tr": "Puan", "en": "Points"},
}


def text(key: str, lang: str = "tr", **kw: Any) -> str:
    """The message ``key`` in ``lang`` (Turkish when the language is unknown), formatted with ``kw``."""
    table = MESSAGES[key]
    return table.get(lang, table["tr"]).format(**kw)
