"""Cells for CSV exports that a spreadsheet program opens as text, never as a formula."""

# What makes Excel, LibreOffice or Google Sheets evaluate a cell: a formula sign, also in its
# full-width form (＝ ＋ － ＠, which some of them fold to ASCII), a pipe (DDE in old Excel),
# and a tab, carriage return or line feed that a program may strip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "|", "＝", "＋", "－", "＠", "｜", "\t", "\r", "\n")


def safe_cell(value):
    """The value as text; a leading quote makes a formula-like cell plain text. Leading
    spaces do not hide a formula sign, since spreadsheet programs skip them."""
    text = "" if value is None else str(value)
    if text.lstrip(" \u3000").startswith(FORMULA_STARTS) or text.startswith(FORMULA_STARTS):
        return f"'{text}"
    return text
