//! Virtual time. The engine never reads a real clock: a `Host` owns a
//! `Timestamp` that moves only when its caller says so (`Host::advance`), so
//! the same commands and the same advances always print the same thing.

use serde::{Deserialize, Serialize};
use std::ops::{Add, Sub};

/// Milliseconds since the Unix epoch, in the host's virtual time.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Timestamp(pub u64);

/// A span of virtual time in milliseconds.
#[derive(
    Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
pub struct Millis(pub u64);

impl Millis {
    pub const fn from_secs(secs: u64) -> Millis {
        Millis(secs.saturating_mul(1000))
    }

    pub fn as_secs(self) -> u64 {
        self.0 / 1000
    }
}

/// Where every host's clock starts: 2025-06-02T09:00:00Z, a Monday morning.
pub const EPOCH: Timestamp = Timestamp(1_748_854_800_000);

impl Add<Millis> for Timestamp {
    type Output = Timestamp;
    fn add(self, d: Millis) -> Timestamp {
        Timestamp(self.0.saturating_add(d.0))
    }
}

impl Sub for Timestamp {
    type Output = Millis;
    fn sub(self, earlier: Timestamp) -> Millis {
        Millis(self.0.saturating_sub(earlier.0))
    }
}

/// A calendar breakdown of a timestamp in UTC.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Civil {
    pub year: i64,
    pub month: u32,
    pub day: u32,
    pub hour: u32,
    pub minute: u32,
    pub second: u32,
    pub millis: u32,
}

impl Timestamp {
    pub fn unix_secs(self) -> u64 {
        self.0 / 1000
    }

    pub fn civil(self) -> Civil {
        let secs = self.0 / 1000;
        let days = (secs / 86_400) as i64;
        let rem = secs % 86_400;
        let (year, month, day) = civil_from_days(days);
        Civil {
            year,
            month,
            day,
            hour: (rem / 3600) as u32,
            minute: ((rem % 3600) / 60) as u32,
            second: (rem % 60) as u32,
            millis: (self.0 % 1000) as u32,
        }
    }

    /// Go's `time.RFC3339Nano`, as the Engine API writes `Created` and
    /// `StartedAt`: trailing zeros of the fraction are dropped.
    pub fn rfc3339_nano(self) -> String {
        let c = self.civil();
        let mut out = format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        );
        if c.millis != 0 {
            let frac = format!("{:03}", c.millis);
            out.push('.');
            out.push_str(frac.trim_end_matches('0'));
        }
        out.push('Z');
        out
    }

    /// `2025-06-02T09:00:00Z`: RFC 3339 to the second, as volumes report
    /// `CreatedAt`.
    pub fn rfc3339_seconds(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }

    /// `2025-06-02 09:00:00 +0000 UTC`, as Go prints a `time.Time`.
    pub fn go_default(self) -> String {
        let c = self.civil();
        format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02} +0000 UTC",
            c.year, c.month, c.day, c.hour, c.minute, c.second
        )
    }
}

/// Days since 1970-01-01 to (year, month, day), proleptic Gregorian.
fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let month = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let year = yoe + era * 400 + i64::from(month <= 2);
    (year, month, day)
}

/// go-units `HumanDuration`: the phrase docker uses in "Up 5 seconds" and
/// "2 hours ago".
pub fn human_duration(d: Millis) -> String {
    let seconds = d.0 / 1000;
    if seconds < 1 {
        return "Less than a second".to_string();
    }
    if seconds == 1 {
        return "1 second".to_string();
    }
    if seconds < 60 {
        return format!("{seconds} seconds");
    }
    let minutes = seconds / 60;
    if minutes == 1 {
        return "About a minute".to_string();
    }
    if minutes < 60 {
        return format!("{minutes} minutes");
    }
    let hours = (d.0 as f64 / 3_600_000.0 + 0.5) as u64;
    if hours == 1 {
        return "About an hour".to_string();
    }
    if hours < 48 {
        return format!("{hours} hours");
    }
    if hours < 24 * 7 * 2 {
        return format!("{} days", hours / 24);
    }
    if hours < 24 * 30 * 2 {
        return format!("{} weeks", hours / 24 / 7);
    }
    if hours < 24 * 365 * 2 {
        return format!("{} months", hours / 24 / 30);
    }
    format!("{} years", d.0 / 3_600_000 / 24 / 365)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn epoch_is_the_documented_morning() {
        assert_eq!(EPOCH.rfc3339_nano(), "2025-06-02T09:00:00Z");
        assert_eq!(
            (EPOCH + Millis(1500)).rfc3339_nano(),
            "2025-06-02T09:00:01.5Z"
        );
        assert_eq!(Timestamp(0).go_default(), "1970-01-01 00:00:00 +0000 UTC");
        assert_eq!(Timestamp(951_782_400_000).civil().day, 29); // 2000-02-29
    }

    #[test]
    fn human_durations_follow_go_units() {
        let cases = [
            (0, "Less than a second"),
            (1_000, "1 second"),
            (59_000, "59 seconds"),
            (60_000, "About a minute"),
            (119_000, "About a minute"),
            (120_000, "2 minutes"),
            (59 * 60_000, "59 minutes"),
            (3_600_000, "About an hour"),
            (5_399_999, "About an hour"),
            (5_400_000, "2 hours"),
            (47 * 3_600_000, "47 hours"),
            (48 * 3_600_000, "2 days"),
            (14 * 86_400_000, "2 weeks"),
            (60 * 86_400_000, "2 months"),
            (730 * 86_400_000, "2 years"),
        ];
        for (ms, want) in cases {
            assert_eq!(human_duration(Millis(ms)), want, "{ms} ms");
        }
    }
}
