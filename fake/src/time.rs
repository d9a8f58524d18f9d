//! The fake's clock, in seconds after its epoch (2025-01-01T00:00:00Z):
//! how DRF writes a time, and how PostHog reads the dates a request names
//! (posthog/utils.py, `relative_date_parse`), in a project whose time zone
//! is UTC. Seconds are signed, as a date a request names may be before the
//! epoch.

/// Days from 1970-01-01 to the fake's epoch, 2025-01-01.
const EPOCH_DAYS: i64 = 20_089;

/// A moment as a calendar date and a time of day, UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Civil {
    year: i64,
    month: i64,
    day: i64,
    hour: i64,
    minute: i64,
    second: i64,
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's
/// `days_from_civil`).
fn days_from_civil(year: i64, month: i64, day: i64) -> i64 {
    let year = if month <= 2 { year - 1 } else { year };
    let era = year.div_euclid(400);
    let year_of_era = year - era * 400;
    let month_index = (month + 9) % 12;
    let day_of_year = (153 * month_index + 2) / 5 + day - 1;
    let day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
    era * 146_097 + day_of_era - 719_468
}

/// The date of `days` since 1970-01-01 (Hinnant's `civil_from_days`).
fn civil_from_days(days: i64) -> (i64, i64, i64) {
    let days = days + 719_468;
    let era = days.div_euclid(146_097);
    let day_of_era = days - era * 146_097;
    let year_of_era =
        (day_of_era - day_of_era / 1460 + day_of_era / 36_524 - day_of_era / 146_096) / 365;
    let day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
    let month_index = (5 * day_of_year + 2) / 153;
    let day = day_of_year - (153 * month_index + 2) / 5 + 1;
    let month = if month_index < 10 {
        month_index + 3
    } else {
        month_index - 9
    };
    let year = year_of_era + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

fn days_in_month(year: i64, month: i64) -> i64 {
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    days_from_civil(next_year, next_month, 1) - days_from_civil(year, month, 1)
}

impl Civil {
    fn at(seconds: i64) -> Self {
        let days = seconds.div_euclid(86_400);
        let of_day = seconds.rem_euclid(86_400);
        let (year, month, day) = civil_from_days(EPOCH_DAYS + days);
        Self {
            year,
            month,
            day,
            hour: of_day / 3600,
            minute: of_day / 60 % 60,
            second: of_day % 60,
        }
    }

    fn seconds(self) -> i64 {
        (days_from_civil(self.year, self.month, self.day) - EPOCH_DAYS) * 86_400
            + self.hour * 3600
            + self.minute * 60
            + self.second
    }
}

/// `seconds` after the fake's epoch as DRF writes a `DateTimeField` (ISO
/// 8601, `Z` for UTC).
pub(crate) fn timestamp(seconds: u64) -> String {
    let at = Civil::at(i64::try_from(seconds).unwrap_or(i64::MAX / 2));
    format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
        at.year, at.month, at.day, at.hour, at.minute, at.second
    )
}

/// The moment `input` names, `now` being the clock's time, as
/// posthog/utils.py, `relative_date_parse_with_delta_mapping`, reads it: an
/// ISO 8601 date or date-time first; else the first `-?N?<kind>(Start|End)?`
/// in it, taken back from now; else now, which is what a value it cannot
/// read comes to.
pub(crate) fn relative_date_parse(input: &str, now: u64) -> i64 {
    let now = i64::try_from(now).unwrap_or(i64::MAX / 2);
    if let Some(at) = iso_date(input) {
        return at;
    }
    match relative(input) {
        Some(delta) => delta.back_from(Civil::at(now)).seconds(),
        None => now,
    }
}

/// `YYYY-MM-DD`, or that with `THH:MM[:SS[.fraction]]` and an optional `Z`
/// or `±HH:MM` (what `dateutil.parser.isoparse` takes, in the forms a
/// client sends); without an offset, the project's time zone (UTC here).
fn iso_date(input: &str) -> Option<i64> {
    let number = |text: &str| -> Option<i64> {
        (!text.is_empty() && text.bytes().all(|byte| byte.is_ascii_digit()))
            .then(|| text.parse().ok())
            .flatten()
    };
    let (date, time) = input
        .split_once(['T', ' '])
        .map_or((input, None), |(date, time)| (date, Some(time)));
    let mut parts = date.split('-');
    let (year, month, day) = (
        parts
            .next()
            .filter(|year| year.len() == 4)
            .and_then(number)?,
        parts
            .next()
            .filter(|month| month.len() == 2)
            .and_then(number)?,
        parts.next().filter(|day| day.len() == 2).and_then(number)?,
    );
    if parts.next().is_some() || !(1..=12).contains(&month) {
        return None;
    }
    if !(1..=days_in_month(year, month)).contains(&day) {
        return None;
    }
    let mut at = Civil {
        year,
        month,
        day,
        hour: 0,
        minute: 0,
        second: 0,
    };
    let mut offset = 0;
    if let Some(time) = time {
        let (clock, zone) = match time.find(['Z', '+', '-']) {
            Some(index) => time.split_at(index),
            None => (time, ""),
        };
        offset = match zone {
            "" | "Z" => 0,
            zone => {
                let sign = if zone.starts_with('-') { -1 } else { 1 };
                let (hours, minutes) = zone[1..].split_once(':')?;
                sign * (number(hours)? * 3600 + number(minutes)? * 60)
            }
        };
        let clock = clock.split('.').next()?;
        let mut fields = clock.split(':');
        at.hour = number(fields.next()?).filter(|hour| *hour < 24)?;
        at.minute = number(fields.next()?).filter(|minute| *minute < 60)?;
        at.second = match fields.next() {
            Some(second) => number(second).filter(|second| *second < 60)?,
            None => 0,
        };
        if fields.next().is_some() {
            return None;
        }
    }
    Some(at.seconds() - offset)
}

/// A `relativedelta` as `get_delta_mapping_for` builds one: amounts to take
/// back, and fields to set.
#[derive(Debug, Default)]
struct Delta {
    years: i64,
    months: i64,
    days: i64,
    hours: i64,
    minutes: i64,
    seconds: i64,
    set_month: Option<i64>,
    set_day: Option<i64>,
    set_time: [Option<i64>; 3],
}

impl Delta {
    /// `at - relativedelta(**mapping)`: the fields set replace, the year and
    /// month move back (the day kept within the month), then the rest.
    fn back_from(&self, at: Civil) -> Civil {
        let months =
            at.year * 12 + (self.set_month.unwrap_or(at.month) - 1) - self.years * 12 - self.months;
        let (year, month) = (months.div_euclid(12), months.rem_euclid(12) + 1);
        let day = self
            .set_day
            .unwrap_or(at.day)
            .min(days_in_month(year, month));
        let [hour, minute, second] = self.set_time;
        let replaced = Civil {
            year,
            month,
            day,
            hour: hour.unwrap_or(at.hour),
            minute: minute.unwrap_or(at.minute),
            second: second.unwrap_or(at.second),
        };
        let back = self.days * 86_400 + self.hours * 3600 + self.minutes * 60 + self.seconds;
        Civil::at(replaced.seconds() - back)
    }
}

/// The first `\-?(?P<number>[0-9]+)?(?P<kind>[hdwmqysHDWMQY])(?P<position>Start|End)?`
/// in `input`, as `re.search` finds it, turned into its delta.
fn relative(input: &str) -> Option<Delta> {
    const KINDS: &[u8] = b"hdwmqysHDWMQY";
    let bytes = input.as_bytes();
    for start in 0..bytes.len() {
        let digits_from = start + usize::from(bytes[start] == b'-');
        let digits_to = (digits_from..bytes.len())
            .find(|&index| !bytes[index].is_ascii_digit())
            .unwrap_or(bytes.len());
        // The digits are greedy and give back one at a time until a kind follows.
        let Some(kind_at) = (digits_from..=digits_to)
            .rev()
            .find(|&index| index < bytes.len() && KINDS.contains(&bytes[index]))
        else {
            continue;
        };
        let number = input[digits_from..kind_at].parse::<i64>().ok();
        let rest = &input[kind_at + 1..];
        let position = ["Start", "End"]
            .into_iter()
            .find(|position| rest.starts_with(position));
        return Some(delta(bytes[kind_at], number, position));
    }
    None
}

/// posthog/utils.py, `get_delta_mapping_for`.
fn delta(kind: u8, number: Option<i64>, position: Option<&str>) -> Delta {
    let number = number.unwrap_or(0);
    let mut delta = Delta::default();
    let (start, end) = (position == Some("Start"), position == Some("End"));
    match kind {
        b'h' => {
            delta.hours = number;
            if start {
                delta.set_time = [None, Some(0), Some(0)];
            } else if end {
                delta.set_time = [None, Some(59), Some(59)];
            }
        }
        b'd' => {
            delta.days = number;
            if start {
                delta.set_time = [Some(0), Some(0), Some(0)];
            } else if end {
                delta.set_time = [Some(23), Some(59), Some(59)];
            }
        }
        b'w' => delta.days = 7 * number,
        b'm' => {
            delta.months = number;
            if start {
                delta.set_day = Some(1);
            } else if end {
                delta.set_day = Some(31);
            }
        }
        b'M' => delta.minutes = number,
        b's' => delta.seconds = number,
        b'q' => delta.days = 7 * 13 * number,
        b'y' => {
            delta.years = number;
            if start {
                delta.set_month = Some(1);
                delta.set_day = Some(1);
            } else if end {
                delta.set_day = Some(31);
            }
        }
        // The upper-case kinds the pattern takes map to nothing: now.
        _ => {}
    }
    delta
}

#[cfg(test)]
mod tests {
    use super::*;

    /// 2025-01-10T12:30:00Z.
    const NOW: u64 = 9 * 86_400 + 12 * 3600 + 30 * 60;

    fn parsed(input: &str) -> String {
        let at = relative_date_parse(input, NOW);
        timestamp(u64::try_from(at).expect("after the epoch"))
    }

    #[test]
    fn dates_are_written_as_drf_writes_them_across_months_and_years() {
        assert_eq!(timestamp(0), "2025-01-01T00:00:00Z");
        assert_eq!(timestamp(NOW), "2025-01-10T12:30:00Z");
        assert_eq!(timestamp(59 * 86_400), "2025-03-01T00:00:00Z");
        assert_eq!(timestamp(365 * 86_400 + 1), "2026-01-01T00:00:01Z");
    }

    #[test]
    fn iso_dates_and_times_are_read_first() {
        assert_eq!(parsed("2025-01-05"), "2025-01-05T00:00:00Z");
        assert_eq!(parsed("2025-01-05T08:09:10Z"), "2025-01-05T08:09:10Z");
        assert_eq!(parsed("2025-01-05T08:09"), "2025-01-05T08:09:00Z");
        assert_eq!(parsed("2025-01-05T08:09:10+02:00"), "2025-01-05T06:09:10Z");
        assert_eq!(relative_date_parse("2024-12-31", NOW), -86_400);
    }

    #[test]
    fn relative_dates_count_back_from_now() {
        assert_eq!(parsed("-2h"), "2025-01-10T10:30:00Z");
        assert_eq!(parsed("-3d"), "2025-01-07T12:30:00Z");
        assert_eq!(parsed("-1w"), "2025-01-03T12:30:00Z");
        assert_eq!(parsed("-5M"), "2025-01-10T12:25:00Z");
        assert_eq!(parsed("dStart"), "2025-01-10T00:00:00Z");
        assert_eq!(parsed("-1dEnd"), "2025-01-09T23:59:59Z");
        assert_eq!(parsed("mStart"), "2025-01-01T12:30:00Z");
        assert_eq!(
            relative_date_parse("-1m", NOW),
            Civil::at(-22 * 86_400 + 45_000).seconds()
        );
        assert_eq!(
            timestamp(u64::try_from(relative_date_parse("-1y", NOW + 365 * 86_400)).unwrap()),
            "2025-01-10T12:30:00Z"
        );
    }

    #[test]
    fn what_cannot_be_read_is_now() {
        // `re.search` finds no kind letter in these.
        for input in ["", "garbage", "1234", "-"] {
            assert_eq!(relative_date_parse(input, NOW), NOW as i64, "{input:?}");
        }
        // It finds the first one anywhere: "today" holds a `d`, a day back by nothing.
        assert_eq!(relative_date_parse("today", NOW), NOW as i64);
        assert_eq!(parsed("x-2dy"), "2025-01-08T12:30:00Z");
    }
}
