"""Parses an iCalendar file (RFC 5545) from standard input with the `icalendar`
package, an independent parser, and prints its events as JSON: uid, dtstart (an ISO
date; "datetime" when it is not an all-day date), dtend, summary, description.
Exit 1 when the calendar does not parse or a required property is missing."""

import datetime
import json
import sys

import icalendar


def main() -> int:
    data = sys.stdin.buffer.read()
    cal = icalendar.Calendar.from_ical(data)
    if cal.get("VERSION") != "2.0" or not cal.get("PRODID"):
        print("VERSION 2.0 and PRODID are required", file=sys.stderr)
        return 1
    events = []
    for ev in cal.walk("VEVENT"):
        for prop in ("UID", "DTSTAMP", "DTSTART", "SUMMARY"):
            if ev.get(prop) is None:
                print(f"an event lacks {prop}", file=sys.stderr)
                return 1
        start = ev.decoded("DTSTART")
        end = ev.decoded("DTEND") if ev.get("DTEND") is not None else None

        def day(d):
            if d is None:
                return None
            if isinstance(d, datetime.datetime):
                return "datetime"
            return d.isoformat()

        events.append(
            {
                "uid": str(ev.get("UID")),
                "dtstart": day(start),
                "dtend": day(end),
                "summary": str(ev.get("SUMMARY")),
                "description": str(ev.get("DESCRIPTION", "")),
                "categories": [str(c) for c in ev.get("CATEGORIES").cats]
                if ev.get("CATEGORIES") is not None
                else [],
            }
        )
    json.dump({"events": events}, sys.stdout)
    return 0


if __name__ == "__main__":
    sys.exit(main())
