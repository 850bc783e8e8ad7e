"""An Evaluation Summary Report as a PDF, in the active language, from plain report data."""

import unicodedata

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

# The PDF's built-in fonts cover Latin-1 only. Letters outside it lose their accents
# (ő -> o) rather than failing the whole download; the web page shows them exactly.
ENCODING = "latin-1"


def _text(value):
    value = str(value)
    try:
        value.encode(ENCODING)
        return value
    except UnicodeEncodeError:
        pass
    folded = unicodedata.normalize("NFKD", value)
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    replacements = {"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."}
    plain = "".join(replacements.get(ch, ch) for ch in plain)
    return plain.encode(ENCODING, "replace").decode(ENCODING)


def _score(value):
    return "-" if value is None else formats.number_format(value, 1)


def render_summary_pdf(report):
    """The report as PDF bytes: the decision, then one block per criterion."""
    pdf = FPDF(format="A4")
    pdf.set_title(_text(_("Evaluation Summary Report")))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font("Helvetica", "B", 16)
    pdf.multi_cell(width, 8, _text(_("Evaluation Summary Report")), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("Helvetica", "", 11)
    facts = [
        (_("Call"), f"{report.call_title} ({report.call_reference})"),
        (_("Expression of interest"), report.expression_title),
        (_("Lead organisation"), report.lead_name),
        (_("Stage"), str(report.stage)),
        (_("Outcome"), report.outcome),
    ]
    if report.total is not None:
        facts.append((_("Weighted total"), f"{_score(report.total)} / {_score(report.maximum)}"))
    for name, value in facts:
        pdf.set_font("Helvetica", "B", 11)
        pdf.cell(50, 7, _text(name))
        pdf.set_font("Helvetica", "", 11)
        pdf.multi_cell(width - 50, 7, _text(value), new_x="LMARGIN", new_y="NEXT")
    if report.reason:
        pdf.ln(2)
        pdf.multi_cell(width, 6, _text(report.reason), new_x="LMARGIN", new_y="NEXT")

    for criterion in report.criteria:
        pdf.ln(4)
        pdf.set_font("Helvetica", "B", 12)
        pdf.multi_cell(width, 7, _text(criterion.name), new_x="LMARGIN", new_y="NEXT")
        pdf.set_font("Helvetica", "", 10)
        line = _("Consensus score %(score)s of 5; threshold %(threshold)s; weight %(weight)s") % {
            "score": _score(criterion.score),
            "threshold": _score(criterion.threshold),
            "weight": formats.number_format(criterion.weight, 2),
        }
        pdf.multi_cell(width, 6, _text(line), new_x="LMARGIN", new_y="NEXT")
        comment = criterion.comment or _("No consensus comment was written for this criterion.")
        pdf.multi_cell(width, 6, _text(comment), new_x="LMARGIN", new_y="NEXT")

    pdf.ln(6)
    pdf.set_font("Helvetica", "I", 9)
    pdf.multi_cell(
        width,
        5,
        _text(
            _(
                "Scores and comments are the consensus of the evaluation panel; individual "
                "reviewers are not named."
            )
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
