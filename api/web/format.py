"""How values read on a page: dates by their precision, amounts with their
currency, vocabulary values as words."""

import datetime as dt

from flask import Flask

MONTHS = (
    "January February March April May June July August September October November December"
).split()


def human_date(value: str | None, precision: str = "day") -> str:
    """'2023-03-01' -> '1 March 2023' ('March 2023' by month, '2023' by year)."""
    if not value:
        return ""
    try:
        day = dt.date.fromisoformat(value)
    except ValueError:
        return value
    if precision == "year":
        return str(day.year)
    if precision == "month":
        return f"{MONTHS[day.month - 1]} {day.year}"
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def money(value: float | None, currency: str = "") -> str:
    if value is None:
        return ""
    text = f"{value:,.0f}" if float(value).is_integer() or value >= 1000 else f"{value:,.2f}"
    return f"{currency} {text}".strip()


def short_money(value: float | None, currency: str = "") -> str:
    """EUR 530m, EUR 1.2bn: for narrow table cells (the exact figure is on the record)."""
    if value is None:
        return ""
    for size, unit in ((1e9, "bn"), (1e6, "m"), (1e3, "k")):
        if abs(value) >= size:
            number = f"{value / size:.1f}".removesuffix(".0")
            return f"{currency} {number}{unit}".strip()
    return money(value, currency)


def words(value: str | None) -> str:
    """'court_ruling' -> 'Court ruling'; 'data-transfers' -> 'Data transfers'."""
    if not value:
        return ""
    text = value.replace("_", " ").replace("-", " ")
    return text[:1].upper() + text[1:]


def register_filters(app: Flask) -> None:
    app.add_template_filter(human_date, "human_date")
    app.add_template_filter(money, "money")
    app.add_template_filter(short_money, "short_money")
    app.add_template_filter(words, "words")
