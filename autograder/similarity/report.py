"""Write a similarity report: ``similarity.html`` (static, no scripts, no network) and ``similarity.csv``.

The page is for course staff and is in Turkish like the service's pages. It says first that a
score is a reason to look, not a verdict, and what was excluded; then ranks the pairs. Each of the
first ``detail`` pairs opens (a plain link; CSS ``:target`` shows it) side by side, question by
question, with the passages the other notebook shares highlighted. Student code is escaped.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import tempfile
from pathlib import Path

from jinja2 import Environment
from markupsafe import Markup, escape

from autograder.similarity import OTHER, Pair, Report, highlights

_ENV = Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True)

PAGE = """<!doctype html>
<html lang="tr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Benzerlik raporu — {{ r.week }}</title>
<style>
body { font-family: system-ui, sans-serif; margin: 1.5rem; color: #1d1d1f; line-height: 1.4; }
h1 { font-size: 1.5rem; margin: 0 0 .5rem; }
h2 { font-size: 1.15rem; margin: 1.5rem 0 .5rem; }
.notice { background: #fff6d6; border: 1px solid #e0c45c; padding: .75rem 1rem; border-radius: 6px; max-width: 60rem; }
.muted { color: #5f6368; }
table { border-collapse: collapse; font-size: .85rem; }
th, td { border: 1px solid #d0d4da; padding: .25rem .45rem; text-align: right; white-space: nowrap; }
th { background: #f1f3f5; position: sticky; top: 0; }
td.name { text-align: left; }
td.s3 { background: #f8c9c4; } td.s2 { background: #fde3c8; } td.s1 { background: #fdf3d6; }
.pair { display: none; border-top: 3px solid #c0392b; margin-top: 1.5rem; padding-top: .5rem; }
.pair:target { display: block; }
.side { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem; margin-bottom: 1rem; }
.side h3 { grid-column: 1 / 3; font-size: 1rem; margin: .75rem 0 0; }
pre { background: #f7f7f9; border: 1px solid #e1e4e8; padding: .5rem; overflow-x: auto; font-size: .8rem;
      margin: 0; white-space: pre; min-height: 1.5rem; }
mark { background: #ffd54f; color: inherit; }
ul.plain { margin: .25rem 0; }
</style>
</head>
<body>
<h1>Benzerlik raporu — {{ r.week }}</h1>
<p class="notice" id="notice"><strong>Benzerlik bir bakma nedenidir, hüküm değildir.</strong>
Yüksek bir puan, iki defterde öğrencilerin kendi yazdığı kodun büyük kısmının ortak olduğunu gösterir;
bunun nedeni birlikte çalışma, aynı dış kaynak ya da tesadüf de olabilir. Karar vermeden önce iki
defteri yan yana okuyun ve öğrencilerle konuşun. Bu rapor kimseyi suçlamaz.</p>
<p class="muted">{{ n_ok }} defter karşılaştırıldı{% if failed %}, {{ failed | length }} defter okunamadı{% endif %} ·
{{ r.pairs | length }} çift ortak kod paylaşıyor · {{ "%.1f" | format(r.seconds) }} s · {{ created }}</p>

<h2>Karşılaştırılmayanlar (hariç tutulanlar)</h2>
<ul class="plain" id="excluded">
  <li>Yayımlanan defterin kendi hücreleri (kurulum, <code>grader.check</code> hücreleri, boş bırakılan cevap şablonları, deneme alanları) ve cevap hücrelerindeki hazır satırlar.</li>
  <li>Ortak kaynaklarda geçen her kod parçası: {% for label in r.common_labels %}{{ label }}{% if not loop.last %}; {% endif %}{% endfor %}.</li>
  {% if r.batch_threshold %}<li>Defterlerin en az {{ r.batch_threshold }} tanesinde geçen kod parçaları ({{ r.batch_common }} parmak izi): çoğu öğrencinin yazdığı kod kanıt sayılmaz.</li>
  {% else %}<li>Defter sayısı az olduğu için sınıfta yaygın kod ayrıca çıkarılmadı.</li>{% endif %}
  <li>Yorumlar, boşluklar ve biçim; değişken, fonksiyon ve parametre adları, sayılar ve metinler (yeniden adlandırma ve biçim değişikliği puanı değiştirmez).
      {{ s.k }} simgeden kısa ortak parçalar sayılmaz (winnowing: k = {{ s.k }}, pencere = {{ s.window }}).</li>
  {% if blank %}<li>Kendine ait kodu olmayan defterler (hepsi boş ya da yalnızca ortak kod): {% for nb in blank %}{{ nb.student }}{% if not loop.last %}, {% endif %}{% endfor %}.</li>{% endif %}
  {% for nb in failed %}<li>Okunamadı: {{ nb.student }} ({{ nb.label }}): {{ nb.error }}</li>{% endfor %}
</ul>

<h2>Çiftler (en benzerden başlayarak)</h2>
<p class="muted">Genel: iki defterdeki öğrenci kodunun ortak olan payı (0–100). A / B: her defterin kendi kodunun
karşı tarafta da bulunan payı. Soru sütunları: o sorunun cevapları arasındaki benzerlik (– : ikisi de o soruya kendi
kodunu yazmamış). İlk {{ detail }} çift, adına tıklanınca yan yana açılır.</p>
{% if not rows %}<p id="no-pairs">Ortak kod paylaşan çift yok.</p>{% else %}
<div style="overflow-x:auto">
<table id="pairs">
<thead><tr><th>#</th><th>Öğrenci A</th><th>Öğrenci B</th><th>Genel</th><th>A</th><th>B</th>
{% for q in sections %}<th title="{{ q }}">{{ short[q] }}</th>{% endfor %}</tr></thead>
<tbody>
{% for row in rows %}
<tr>
  <td>{{ row.rank }}</td>
  <td class="name">{% if row.rank <= detail %}<a href="#pair-{{ row.rank }}">{{ row.a.student }}</a>{% else %}{{ row.a.student }}{% endif %}</td>
  <td class="name">{{ row.b.student }}</td>
  <td class="{{ row.cls }}"><strong>{{ row.score }}</strong></td><td>{{ row.share_a }}</td><td>{{ row.share_b }}</td>
  {% for cell in row.questions %}<td class="{{ cell.cls }}">{{ cell.text }}</td>{% endfor %}
</tr>
{% endfor %}
</tbody>
</table>
</div>
{% endif %}

{% for row in rows if row.rank <= detail %}
<section class="pair" id="pair-{{ row.rank }}">
<h2>#{{ row.rank }}: {{ row.a.student }} ↔ {{ row.b.student }} — genel {{ row.score }}</h2>
<p class="muted">{{ row.a.label }} · {{ row.b.label }} · işaretli kısımlar öteki defterde de var. <a href="#pairs">Listeye dön</a></p>
{% for sec in row.sections %}
<div class="side">
  <h3>{{ sec.title }}{% if sec.score is not none %} — {{ sec.score }}{% endif %}</h3>
  <pre>{{ sec.left }}</pre>
  <pre>{{ sec.right }}</pre>
</div>
{% endfor %}
</section>
{% endfor %}
</body>
</html>
"""


def _pct(v: float | None) -> str:
    return "–" if v is None else f"{round(v * 100):d}"


def _cls(v: float | None) -> str:
    if v is None:
        return ""
    return "s3" if v >= 0.7 else "s2" if v >= 0.4 else "s1" if v >= 0.2 else ""


def _marked(code: str, ranges: list[tuple[int, int]]) -> Markup:
    parts: list[str] = []
    pos = 0
    for a, b in ranges:
        parts.append(str(escape(code[pos:a])))
        parts.append(f"<mark>{escape(code[a:b])}</mark>")
        pos = b
    parts.append(str(escape(code[pos:])))
    return Markup("".join(parts))


def _short(q: str) -> str:
    return "diğer" if q == OTHER else q.rsplit("_", 1)[-1]


def render_html(report: Report, detail: int = 50, limit: int = 500) -> str:
    """The report page: at most ``limit`` pairs listed, the first ``detail`` of them side by side."""
    sections = report.sections
    rows = []
    for rank, pair in enumerate(report.pairs[:limit], start=1):
        a, b = report.notebooks[pair.a], report.notebooks[pair.b]
        row = {"rank": rank, "a": a, "b": b, "score": _pct(pair.score), "cls": _cls(pair.score),
               "share_a": _pct(pair.share_a), "share_b": _pct(pair.share_b),
               "questions": [{"text": _pct(pair.questions.get(q)), "cls": _cls(pair.questions.get(q))}
                             for q in sections]}
        if rank <= detail:
            hl_a, hl_b = highlights(report, pair)
            row["sections"] = []
            for q in sections:
                sa, sb = a.segments.get(q), b.segments.get(q)
                if sa is None and sb is None:
                    continue
                title = "Soruya bağlanamayan kod" if q == OTHER else q
                row["sections"].append({
                    "title": title, "score": _pct(pair.questions.get(q)) if pair.questions.get(q) is not None else None,
                    "left": _marked(sa.code, hl_a.get(q, [])) if sa else Markup(""),
                    "right": _marked(sb.code, hl_b.get(q, [])) if sb else Markup("")})
        rows.append(row)
    ok = [nb for nb in report.notebooks if nb.error is None]
    return _ENV.from_string(PAGE).render(
        r=report, s=report.settings, rows=rows, sections=sections, short={q: _short(q) for q in sections},
        detail=detail, n_ok=len(ok), failed=[nb for nb in report.notebooks if nb.error is not None],
        blank=[nb for nb in ok if nb.total == 0],
        created=dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"))


def render_csv(report: Report) -> str:
    """One row per pair that shares code, best first; scores between 0 and 1 (empty: no own code)."""
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    sections = report.sections
    w.writerow(["rank", "student_a", "file_a", "student_b", "file_b", "score", "share_a", "share_b", *sections])
    for rank, p in enumerate(report.pairs, start=1):
        a, b = report.notebooks[p.a], report.notebooks[p.b]
        w.writerow([rank, a.student, a.label, b.student, b.label, f"{p.score:.3f}", f"{p.share_a:.3f}",
                    f"{p.share_b:.3f}", *["" if p.questions.get(q) is None else f"{p.questions[q]:.3f}"
                                           for q in sections]])
    return buf.getvalue()


def _atomic_write(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(tmp, path)


def write_report(report: Report, out: Path, detail: int = 50, limit: int = 500) -> tuple[Path, Path]:
    """Write ``out/similarity.html`` and ``out/similarity.csv`` (atomically); returns their paths."""
    out.mkdir(parents=True, exist_ok=True)
    html, csv_path = out / "similarity.html", out / "similarity.csv"
    _atomic_write(html, render_html(report, detail, limit))
    _atomic_write(csv_path, render_csv(report))
    return html, csv_path
