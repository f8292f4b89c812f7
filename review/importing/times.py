"""Timestamps from every helpdesk, normalised to ISO 8601 UTC strings ("2024-05-01T09:30:00Z")."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from zoneinfo import ZoneInfo

_TWITTER = "%a %b %d %H:%M:%S %z %Y"


class BadTimestamp(ValueError):
    """A value that is not a timestamp savedesk can read."""


def to_utc(value: object, *, local_zone: str | None = None) -> str | None:
    """Normalise an ISO string (Z, offset or none), epoch seconds (int or float) or Twitter's
    text format to "YYYY-MM-DDTHH:MM:SSZ". None and "" give None.

    A string without a zone is read in `local_zone` (an IANA name) when given, else as UTC.
    Epoch values above 10**11 are taken as milliseconds. Raises BadTimestamp otherwise.
    """
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise BadTimestamp(f"not a timestamp: {value!r}")
    if isinstance(value, int | float):
        seconds = float(value)
        if abs(seconds) > 1e11:
            seconds /= 1000.0
        try:
            moment = datetime.fromtimestamp(seconds, UTC)
        except (OverflowError, OSError, ValueError) as exc:
            raise BadTimestamp(f"epoch value out of range: {value!r}") from exc
        return _format(moment)
    if not isinstance(value, str):
        raise BadTimestamp(f"not a timestamp: {value!r}")
    text = value.strip()
    if text.lstrip("-").replace(".", "", 1).isdigit():
        return to_utc(float(text) if "." in text else int(text))
    moment = _parse_text(text)
    if moment.tzinfo is None:
        zone = ZoneInfo(local_zone) if local_zone else UTC
        moment = moment.replace(tzinfo=zone)
    return _format(moment)


def _parse_text(text: str) -> datetime:
    candidate = text.replace("Z", "+00:00").replace("z", "+00:00")
    try:
        return datetime.fromisoformat(candidate)
    except ValueError:
        pass
    for pattern in (
        _TWITTER,
        "%Y-%m-%d %H:%M:%S %z",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
        "%d.%m.%Y %H:%M:%S",
        "%d.%m.%Y %H:%M",
        "%m/%d/%Y %H:%M:%S",
        "%m/%d/%Y %H:%M",
        "%d %b %Y %H:%M",
        "%b %d, %Y %H:%M",
        "%Y-%m-%d %H:%M %z",
    ):
        try:
            return datetime.strptime(text, pattern)
        except ValueError:
            continue
    raise BadTimestamp(f"not a timestamp savedesk can read: {text!r}")


def _format(moment: datetime) -> str:
    moment = moment.astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_utc(value: str) -> datetime:
    """A stored "…Z" string back to an aware datetime."""
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


__all__ = ["BadTimestamp", "parse_utc", "to_utc", "timedelta", "timezone"]
