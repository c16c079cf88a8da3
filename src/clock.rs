//! The one clock (issue 22, section 4): which day each purpose runs on.
//!
//! - [`Clock::deadline_day`]: the day deadlines are computed against (days left, due
//!   soon, overdue, "decided on time"). `--today` / `CASEBENCH_TODAY` or a sample or
//!   training library's `as_of` pin it; otherwise it is the real day.
//! - [`Clock::signing_day`]: the day written into anything signed or sent (a record's
//!   disclosure entries, the notice of a decision being prepared). Always the real
//!   calendar day: nothing pins it.
//! - [`Clock::period_end`]: where a period (the audit, the accounting, the summary's
//!   "as of") ends: the newest record's day or the real day, whichever is later.
//!
//! The real day is the local calendar day of the real instant ([`Clock::day_of`]), the
//! same calendar the deadlines count in. The library is given a clock ([`Clock::fixed`]
//! is its seam for tests); the binary builds [`Clock::system`], which reads the system
//! clock at each call (a workbench left open over midnight moves on to the new day).
//! There is no environment variable or option that moves the real instant: a signed
//! date can never be set from outside.

use chrono::{DateTime, Local, NaiveDate, Utc};

/// Which day each purpose runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Clock {
    /// The day deadlines are computed against, when pinned (`--today`, `as_of`).
    pinned_deadline_day: Option<NaiveDate>,
    /// The real instant: `None` reads the system clock at each call; `Some` is a fixed
    /// instant given by a caller of the library (tests).
    fixed_now: Option<DateTime<Utc>>,
}

impl Default for Clock {
    fn default() -> Self {
        Clock::system()
    }
}

impl Clock {
    /// The system clock, with nothing pinned.
    pub fn system() -> Clock {
        Clock {
            pinned_deadline_day: None,
            fixed_now: None,
        }
    }

    /// A clock whose real instant is `now` (the library's seam for tests; the command
    /// line never builds one).
    pub fn fixed(now: DateTime<Utc>) -> Clock {
        Clock {
            pinned_deadline_day: None,
            fixed_now: Some(now),
        }
    }

    /// The same clock with deadlines computed against `day` (`None`: the real day).
    pub fn with_deadline_day(self, day: Option<NaiveDate>) -> Clock {
        Clock {
            pinned_deadline_day: day,
            ..self
        }
    }

    /// The real instant.
    pub fn now(&self) -> DateTime<Utc> {
        self.fixed_now.unwrap_or_else(Utc::now)
    }

    /// The local calendar day of `instant`: the day a record signed at that instant is
    /// dated by (its disclosures, its notice).
    pub fn day_of(instant: DateTime<Utc>) -> NaiveDate {
        instant.with_timezone(&Local).date_naive()
    }

    /// The real calendar day.
    pub fn real_day(&self) -> NaiveDate {
        Clock::day_of(self.now())
    }

    /// The day deadlines are computed against: the pinned day, or the real day.
    pub fn deadline_day(&self) -> NaiveDate {
        self.pinned_deadline_day.unwrap_or_else(|| self.real_day())
    }

    /// The pinned deadline day, when one is in effect.
    pub fn pinned_deadline_day(&self) -> Option<NaiveDate> {
        self.pinned_deadline_day
    }

    /// The day anything signed or sent carries: the real day, whatever is pinned.
    pub fn signing_day(&self) -> NaiveDate {
        self.real_day()
    }

    /// Where a period ends: the day of the newest record, or the real day, whichever is
    /// later (a record dated after a slow or wrong clock is never left outside).
    pub fn period_end(&self, newest: Option<NaiveDate>) -> NaiveDate {
        let real = self.real_day();
        newest.map_or(real, |n| n.max(real))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    /// Noon UTC on `s`: the same calendar day in every zone from UTC-11 to UTC+11.
    fn noon(s: &str) -> DateTime<Utc> {
        day(s).and_hms_opt(12, 0, 0).unwrap().and_utc()
    }

    #[test]
    fn the_deadline_day_is_the_pinned_day_or_the_real_day() {
        let real = noon("2026-12-07");
        let clock = Clock::fixed(real);
        assert_eq!(clock.deadline_day(), Clock::day_of(real));
        let pinned = clock.with_deadline_day(Some(day("2026-11-23")));
        assert_eq!(pinned.deadline_day(), day("2026-11-23"));
        assert_eq!(pinned.pinned_deadline_day(), Some(day("2026-11-23")));
        assert_eq!(clock.pinned_deadline_day(), None);
    }

    #[test]
    fn the_signing_day_is_the_real_day_whatever_is_pinned() {
        let real = noon("2026-12-07");
        for pin in [None, Some(day("2026-11-23")), Some(day("2027-06-01"))] {
            let clock = Clock::fixed(real).with_deadline_day(pin);
            assert_eq!(clock.signing_day(), Clock::day_of(real));
            assert_eq!(clock.now(), real);
        }
    }

    #[test]
    fn a_period_ends_at_the_newest_record_or_the_real_day_whichever_is_later() {
        let real = noon("2026-12-07");
        let clock = Clock::fixed(real).with_deadline_day(Some(day("2026-11-23")));
        let today = Clock::day_of(real);
        assert_eq!(clock.period_end(None), today);
        assert_eq!(clock.period_end(Some(day("2026-11-30"))), today);
        assert_eq!(clock.period_end(Some(day("2027-01-02"))), day("2027-01-02"));
        // The pinned deadline day never moves a period.
        assert_ne!(clock.period_end(None), day("2026-11-23"));
    }

    #[test]
    fn the_system_clock_reads_the_real_instant() {
        let before = Utc::now();
        let now = Clock::system()
            .with_deadline_day(Some(day("2000-01-01")))
            .now();
        assert!(now >= before);
    }
}
