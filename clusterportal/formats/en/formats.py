"""English as written in the EU institutions: day before month, 24-hour clock, weeks from
Monday. French and German use Django's own formats."""

DATE_FORMAT = "j F Y"  # 24 November 2026
TIME_FORMAT = "H:i"  # 14:30
DATETIME_FORMAT = "j F Y, H:i"  # 24 November 2026, 14:30
YEAR_MONTH_FORMAT = "F Y"  # November 2026
MONTH_DAY_FORMAT = "j F"  # 24 November
# Short dates read like the long ones, only with the month cut: one way of writing a date.
SHORT_DATE_FORMAT = "j M Y"  # 24 Nov 2026
SHORT_DATETIME_FORMAT = "j M Y, H:i"  # 24 Nov 2026, 14:30
FIRST_DAY_OF_WEEK = 1  # Monday

# ISO dates come first: <input type="date"> sends and expects them; Django accepts ISO anyway.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
