"""An Evaluation Summary Report as a PDF, in the active language, from plain report data."""

from pathlib import Path

from django.utils import formats
from django.utils.translation import gettext as _
from fpdf import FPDF

# DejaVu Sans is embedded (and subset) so that every European letter prints as written: the
# PDF's built-in fonts cover Latin-1 only, and names such as Łódź or Győr are common here.
FONTS = Path(__file__).resolve().parent / "fonts"
FAMILY = "DejaVuSans"


def _new_pdf():
    pdf = FPDF(format="A4")
    pdf.add_font(FAMILY, "", FONTS / "DejaVuSans.ttf")
    pdf.add_font(FAMILY, "B", FONTS / "DejaVuSans-Bold.ttf")
    pdf.add_font(FAMILY, "I", FONTS / "DejaVuSans-Oblique.ttf")
    return pdf


def _score(value):
    return "-" if value is None else formats.number_format(value, 1)


def render_summary_pdf(report):
    """The report as PDF bytes: the decision, then one block per criterion."""
    pdf = _new_pdf()
    pdf.set_title(_("Evaluation Summary Report"))
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_page()
    width = pdf.epw

    pdf.set_font(FAMILY, "B", 16)
    pdf.multi_cell(width, 8, _("Evaluation Summary Report"), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FAMILY, "", 11)
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
        pdf.set_font(FAMILY, "B", 11)
        pdf.cell(50, 7, name)
        pdf.set_font(FAMILY, "", 11)
        pdf.multi_cell(width - 50, 7, value, new_x="LMARGIN", new_y="NEXT")
    if report.reason:
        pdf.ln(2)
        pdf.multi_cell(width, 6, report.reason, new_x="LMARGIN", new_y="NEXT")

    for criterion in report.criteria:
        pdf.ln(4)
        pdf.set_font(FAMILY, "B", 12)
        pdf.multi_cell(width, 7, criterion.name, new_x="LMARGIN", new_y="NEXT")
        pdf.set_font(FAMILY, "", 10)
        line = _("Consensus score %(score)s of 5; threshold %(threshold)s; weight %(weight)s") % {
            "score": _score(criterion.score),
            "threshold": _score(criterion.threshold),
            "weight": formats.number_format(criterion.weight, 2),
        }
        pdf.multi_cell(width, 6, line, new_x="LMARGIN", new_y="NEXT")
        comment = criterion.comment or _("No consensus comment was written for this criterion.")
        pdf.multi_cell(width, 6, comment, new_x="LMARGIN", new_y="NEXT")

    pdf.ln(6)
    pdf.set_font(FAMILY, "I", 9)
    pdf.multi_cell(
        width,
        5,
        _(
            "Scores and comments are the consensus of the evaluation panel; individual "
            "reviewers are not named."
        ),
        new_x="LMARGIN",
        new_y="NEXT",
    )
    return bytes(pdf.output())
