//! Flag parsing with pflag's semantics, driven by the flag table in each
//! command's real `--help` text.
//!
//! pflag rules we keep: `--name=x` and `--name x`; `-n x`, `-nx`; bundles
//! of boolean shorthands (`-it`, `-aq`), where a value-taking shorthand in a
//! bundle takes the rest of the bundle or the next argument; `--` ends
//! flags; booleans accept `--rm=false`; repeated flags accumulate. Commands
//! like `run` and `exec` stop at the first operand (what follows belongs to
//! the container's command).

use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagSpec {
    pub short: Option<char>,
    pub long: String,
    /// The value's type word in the help (`string`, `list`, `int`...);
    /// `None` for booleans.
    pub kind: Option<String>,
}

impl FlagSpec {
    /// `-t, --timeout` or `--rm`, as pflag names a flag in errors.
    pub fn display(&self) -> String {
        match self.short {
            Some(c) => format!("-{c}, --{}", self.long),
            None => format!("--{}", self.long),
        }
    }

    /// Reads the `Options:` (or `Global Options:`) section of a help text.
    pub fn from_help(help: &str, section: &str) -> Vec<FlagSpec> {
        let mut specs = Vec::new();
        let mut inside = false;
        for line in help.lines() {
            if line == section {
                inside = true;
                continue;
            }
            if !inside {
                continue;
            }
            if line.is_empty() || !line.starts_with(' ') {
                if !specs.is_empty() || line.is_empty() && section != "Options:" {
                    break;
                }
                continue;
            }
            let t = line.trim_start();
            if !t.starts_with('-') {
                continue;
            }
            let (short, rest) = match t.strip_prefix('-').and_then(|r| r.split_once(", --")) {
                Some((s, rest)) if s.chars().count() == 1 => (s.chars().next(), rest),
                _ => (None, t.trim_start_matches('-')),
            };
            let mut words = rest.split(' ');
            let long = words.next().unwrap_or_default().to_string();
            let kind = match words.next() {
                Some(w) if !w.is_empty() => Some(w.to_string()),
                _ => None,
            };
            specs.push(FlagSpec { short, long, kind });
        }
        specs
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Parsed {
    /// Values by long name, in the order given.
    pub values: BTreeMap<String, Vec<String>>,
    pub operands: Vec<String>,
    pub help: bool,
    /// `-h` used for help: docker warns that the shorthand is deprecated.
    pub help_shorthand: bool,
}

impl Parsed {
    pub fn has(&self, long: &str) -> bool {
        self.values.contains_key(long)
    }

    /// A boolean flag's value (last one wins).
    pub fn flag(&self, long: &str) -> bool {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .is_some_and(|v| v == "true")
    }

    pub fn last(&self, long: &str) -> Option<&str> {
        self.values
            .get(long)
            .and_then(|v| v.last())
            .map(String::as_str)
    }

    pub fn all(&self, long: &str) -> Vec<String> {
        self.values.get(long).cloned().unwrap_or_default()
    }
}

/// A flag error, worded as pflag words it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FlagError(pub String);

fn parse_bool(s: &str) -> Option<bool> {
    match s {
        "1" | "t" | "T" | "true" | "TRUE" | "True" => Some(true),
        "0" | "f" | "F" | "false" | "FALSE" | "False" => Some(false),
        _ => None,
    }
}

/// go-units `RAMInBytes`: `512m`, `1g`, `1024`.
pub(crate) fn parse_bytes(s: &str) -> Option<u64> {
    parse_size(s).ok()
}

/// go-units' RAMInBytes: a number, an optional space, then an optional
/// binary unit (`k`, `kb`, `kib`, any case), with its error wording.
fn parse_size(s: &str) -> Result<u64, String> {
    let Some(sep) = s.rfind(|c: char| c.is_ascii_digit() || c == '.' || c == ' ') else {
        return Err(format!("invalid size: '{s}'"));
    };
    let (num, suffix) = if s.as_bytes()[sep] == b' ' {
        (&s[..sep], &s[sep + 1..])
    } else {
        s.split_at(sep + 1)
    };
    let size: f64 = num
        .parse()
        .map_err(|_| format!("strconv.ParseFloat: parsing \"{num}\": invalid syntax"))?;
    if size < 0.0 {
        return Err(format!("invalid size: '{s}'"));
    }
    if suffix.is_empty() {
        return Ok(size as u64);
    }
    let lower = suffix.to_ascii_lowercase();
    let bad = || {
        // Past three characters go-units names the suffix as typed.
        let named = if suffix.len() > 3 { suffix } else { &lower };
        Err(format!("invalid suffix: '{named}'"))
    };
    if lower.len() > 3 {
        return bad();
    }
    let scale: f64 = match lower.as_bytes()[0] {
        b'b' if lower.len() == 1 => 1.0,
        b'k' => 1024.0,
        b'm' => 1024f64.powi(2),
        b'g' => 1024f64.powi(3),
        b't' => 1024f64.powi(4),
        b'p' => 1024f64.powi(5),
        _ => return bad(),
    };
    match &lower[1..] {
        "" | "b" | "ib" => Ok((size * scale) as u64),
        _ => bad(),
    }
}

/// Go's time.ParseDuration, for its verdict and its words: `1h30m`,
/// `1.5s`, `300ms`, `0`.
fn check_duration(value: &str) -> Result<(), String> {
    let invalid = || Err(format!("time: invalid duration \"{value}\""));
    let body = value.strip_prefix(['+', '-']).unwrap_or(value);
    if body == "0" {
        return Ok(());
    }
    if body.is_empty() {
        return invalid();
    }
    let mut rest = body;
    let mut nanos = 0f64;
    while !rest.is_empty() {
        // A number: digits, then at most one '.' and more digits.
        let whole = rest.len() - rest.trim_start_matches(|c: char| c.is_ascii_digit()).len();
        let mut at = whole;
        let mut fraction = 0;
        if rest[at..].starts_with('.') {
            at += 1;
            fraction = rest[at..].len()
                - rest[at..]
                    .trim_start_matches(|c: char| c.is_ascii_digit())
                    .len();
            at += fraction;
        }
        if whole == 0 && fraction == 0 {
            return invalid();
        }
        let number: f64 = rest[..at].parse().unwrap_or(0.0);
        rest = &rest[at..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let unit = &rest[..unit_end];
        if unit.is_empty() {
            return Err(format!("time: missing unit in duration \"{value}\""));
        }
        let scale = match unit {
            "ns" => 1.0,
            "us" | "\u{b5}s" | "\u{3bc}s" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            _ => {
                return Err(format!(
                    "time: unknown unit \"{unit}\" in duration \"{value}\""
                ))
            }
        };
        nanos += number * scale;
        rest = &rest[unit_end..];
    }
    // A Duration is an int64 of nanoseconds.
    if nanos > i64::MAX as f64 {
        return invalid();
    }
    Ok(())
}

/// `--cpus`: a rational number (`1.5`, `3/2`, `2e-1`), as Go's `big.Rat`
/// reads it, whose billionths are whole.
fn check_cpus(value: &str) -> Result<(), String> {
    let not_rational = || Err(format!("failed to parse {value} as a rational number"));
    let digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    let unsigned = value.strip_prefix(['+', '-']).unwrap_or(value);
    let precise = if let Some((a, b)) = unsigned.split_once('/') {
        if !digits(a) || !digits(b) || b.trim_start_matches('0').is_empty() {
            return not_rational();
        }
        // Whole billionths when the reduced denominator divides 10^9.
        match (a.parse::<u128>(), b.parse::<u128>()) {
            (Ok(num), Ok(den)) => {
                let (mut x, mut y) = (num, den);
                while y != 0 {
                    (x, y) = (y, x % y);
                }
                1_000_000_000 % (den / x.max(1)) == 0
            }
            _ => false,
        }
    } else {
        let (mantissa, exponent) = match unsigned.split_once(['e', 'E']) {
            Some((m, e)) => {
                let e_digits = e.strip_prefix(['+', '-']).unwrap_or(e);
                if !digits(e_digits) {
                    return not_rational();
                }
                match e.parse::<i64>() {
                    // big.Rat gives up on exponents past a million.
                    Ok(e) if e.unsigned_abs() <= 1_000_000 => (m, e),
                    _ => return not_rational(),
                }
            }
            None => (unsigned, 0),
        };
        let (whole, fraction) = mantissa.split_once('.').unwrap_or((mantissa, ""));
        if (whole.is_empty() && fraction.is_empty())
            || !whole
                .bytes()
                .chain(fraction.bytes())
                .all(|b| b.is_ascii_digit())
        {
            return not_rational();
        }
        // The value is DIGITS x 10^power; after dropping DIGITS' trailing
        // zeros, billionths are whole when power >= -9.
        let all = format!("{whole}{fraction}");
        let significant = all.trim_end_matches('0');
        let power =
            i128::from(exponent) - fraction.len() as i128 + (all.len() - significant.len()) as i128;
        significant.trim_start_matches('0').is_empty() || power >= -9
    };
    if precise {
        Ok(())
    } else {
        Err("value is too precise".to_string())
    }
}

/// The CLI's ValidateSysctl: `key=value` for the namespaced keys a
/// container may set.
fn check_sysctl(value: &str) -> Result<(), String> {
    const KEYS: [&str; 8] = [
        "kernel.msgmax",
        "kernel.msgmnb",
        "kernel.msgmni",
        "kernel.sem",
        "kernel.shmall",
        "kernel.shmmax",
        "kernel.shmmni",
        "kernel.shm_rmid_forced",
    ];
    let allowed = value.split_once('=').is_some_and(|(key, _)| {
        KEYS.contains(&key) || key.starts_with("fs.mqueue.") || key.starts_with("net.")
    });
    if allowed {
        Ok(())
    } else {
        Err(format!("sysctl '{value}' is not allowed"))
    }
}

/// go-units' ParseUlimit: `name=soft[:hard]`.
fn check_ulimit(value: &str) -> Result<(), String> {
    const NAMES: [&str; 15] = [
        "core",
        "cpu",
        "data",
        "fsize",
        "locks",
        "memlock",
        "msgqueue",
        "nice",
        "nofile",
        "nproc",
        "rss",
        "rtprio",
        "rttime",
        "sigpending",
        "stack",
    ];
    let Some((name, limits)) = value.split_once('=') else {
        return Err(format!("invalid ulimit argument: {value}"));
    };
    if !NAMES.contains(&name) {
        return Err(format!("invalid ulimit type: {name}"));
    }
    let number = |text: &str| {
        text.parse::<i64>()
            .map_err(|_| format!("strconv.ParseInt: parsing \"{text}\": invalid syntax"))
    };
    let parts: Vec<&str> = limits.split(':').collect();
    let (soft, hard) = match parts.as_slice() {
        [soft] => (number(soft)?, None),
        [soft, hard] => {
            let hard = number(hard)?;
            (number(soft)?, Some(hard))
        }
        _ => {
            return Err(format!(
                "too many limit value arguments - {limits}, can only have up to two, `soft[:hard]`"
            ))
        }
    };
    match hard {
        Some(hard) if hard != -1 && soft > hard => Err(format!(
            "ulimit soft limit must be less than or equal to hard limit: {soft} > {hard}"
        )),
        _ => Ok(()),
    }
}

/// The CLI's ValidateExtraHost: `host:ip` or `host=ip`.
fn check_extra_host(value: &str) -> Result<(), String> {
    let Some((_, ip)) = value
        .split_once(['=', ':'])
        .filter(|(host, _)| !host.is_empty())
    else {
        return Err(format!("bad format for add-host: \"{value}\""));
    };
    let ip = ip.trim_start_matches('[').trim_end_matches(']');
    if ip == "host-gateway" || ip.parse::<std::net::IpAddr>().is_ok() {
        Ok(())
    } else {
        Err(format!("invalid IP address in add-host: \"{ip}\""))
    }
}

/// Checks a value against the flag's type, with strconv's wording.
fn check_value(spec: &FlagSpec, value: &str) -> Result<(), FlagError> {
    let kind = spec.kind.as_deref().unwrap_or("bool");
    let bad = |func: &str| {
        Err(FlagError(format!(
            "invalid argument \"{value}\" for \"{}\" flag: strconv.{func}: parsing \"{value}\": invalid syntax",
            spec.display()
        )))
    };
    match kind {
        "int" | "int64" if value.parse::<i64>().is_err() => return bad("ParseInt"),
        "uint" | "uint16" | "uint64" if value.parse::<u64>().is_err() => return bad("ParseUint"),
        "bool" if parse_bool(value).is_none() => return bad("ParseBool"),
        "filter" if !value.contains('=') => {
            return Err(FlagError(format!(
                "invalid argument \"{value}\" for \"{}\" flag: bad format of filter (expected name=value)",
                spec.display()
            )))
        }
        "mount" => {
            if let Err(e) = super::run::parse_mount(value) {
                return Err(FlagError(format!("invalid argument \"{value}\" for \"{}\" flag: {e}", spec.display())));
            }
        }
        _ => {}
    }
    let checked = match (kind, spec.long.as_str()) {
        ("bytes", _) => parse_size(value).map(|_| ()),
        ("duration", _) => check_duration(value),
        ("decimal", "cpus") => check_cpus(value),
        ("ulimit", _) => check_ulimit(value),
        (_, "add-host") => check_extra_host(value),
        (_, "env") if value.starts_with('=') => {
            Err(format!("invalid environment variable: {value}"))
        }
        (_, "link") => {
            let parts: Vec<&str> = value.split(':').collect();
            if parts.len() > 2 || parts.iter().any(|p| p.is_empty()) {
                Err(format!("bad format for links: {value}"))
            } else {
                Ok(())
            }
        }
        (_, "sysctl") => check_sysctl(value),
        (_, "gpus") if !value.contains('=') && value != "all" && value.parse::<i64>().is_err() => {
            Err(format!(
            "invalid count ({value}): value must be either \"all\" or an integer: invalid syntax"
        ))
        }
        (_, "dns") => match value.parse::<std::net::IpAddr>() {
            Ok(_) => Ok(()),
            Err(_) => Err(format!("IP address is not correctly formatted: {value}")),
        },
        _ => Ok(()),
    };
    checked.map_err(|why| {
        FlagError(format!(
            "invalid argument \"{value}\" for \"{}\" flag: {why}",
            spec.display()
        ))
    })
}

pub fn parse(specs: &[FlagSpec], args: &[String], interspersed: bool) -> Result<Parsed, FlagError> {
    let mut out = Parsed::default();
    let by_long = |name: &str| specs.iter().find(|s| s.long == name);
    let by_short = |c: char| specs.iter().find(|s| s.short == Some(c));
    let mut i = 0;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if a == "--" {
            out.operands.extend(args[i..].iter().cloned());
            break;
        }
        if let Some(body) = a.strip_prefix("--") {
            let (name, inline) = match body.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (body, None),
            };
            if name == "help" && by_long("help").is_none_or(|spec| spec.kind.is_none()) {
                let on = inline
                    .as_deref()
                    .map(|v| parse_bool(v).unwrap_or(true))
                    .unwrap_or(true);
                out.help |= on;
                continue;
            }
            let Some(spec) = by_long(name) else {
                return Err(FlagError(format!("unknown flag: --{name}")));
            };
            let value = match (&spec.kind, inline) {
                (None, Some(v)) => v,
                (None, None) => "true".to_string(),
                (Some(_), Some(v)) => v,
                (Some(_), None) => match args.get(i) {
                    Some(v) => {
                        i += 1;
                        v.clone()
                    }
                    None => return Err(FlagError(format!("flag needs an argument: --{name}"))),
                },
            };
            check_value(spec, &value)?;
            let stored = match spec.kind {
                None => parse_bool(&value).unwrap_or(true).to_string(),
                Some(_) => value,
            };
            out.values
                .entry(spec.long.clone())
                .or_default()
                .push(stored);
            continue;
        }
        if a.len() > 1 && a.starts_with('-') {
            let chars: Vec<char> = a[1..].chars().collect();
            let mut j = 0;
            while j < chars.len() {
                let c = chars[j];
                j += 1;
                let Some(spec) = by_short(c) else {
                    if c == 'h' {
                        out.help = true;
                        out.help_shorthand = true;
                        continue;
                    }
                    return Err(FlagError(format!("unknown shorthand flag: '{c}' in {a}")));
                };
                match spec.kind {
                    None => {
                        // `-d=false` style.
                        if chars.get(j) == Some(&'=') {
                            let v: String = chars[j + 1..].iter().collect();
                            check_value(spec, &v)?;
                            out.values
                                .entry(spec.long.clone())
                                .or_default()
                                .push(parse_bool(&v).unwrap_or(true).to_string());
                            break;
                        }
                        out.values
                            .entry(spec.long.clone())
                            .or_default()
                            .push("true".to_string());
                    }
                    Some(_) => {
                        let rest: String = chars[j..].iter().collect();
                        let value = if !rest.is_empty() {
                            rest.strip_prefix('=').map(str::to_string).unwrap_or(rest)
                        } else {
                            match args.get(i) {
                                Some(v) => {
                                    i += 1;
                                    v.clone()
                                }
                                None => {
                                    return Err(FlagError(format!(
                                        "flag needs an argument: '{c}' in -{c}"
                                    )))
                                }
                            }
                        };
                        check_value(spec, &value)?;
                        out.values.entry(spec.long.clone()).or_default().push(value);
                        break;
                    }
                }
            }
            continue;
        }
        out.operands.push(a.clone());
        if !interspersed {
            out.operands.extend(args[i..].iter().cloned());
            break;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn specs() -> Vec<FlagSpec> {
        let help = "Usage:  docker run\n\nOptions:\n  -d, --detach       Run\n  -i, --interactive  Keep\n  -t, --tty          Alloc\n      --name string  Assign\n  -p, --publish list Publish\n      --rm           Remove\n      --stop-timeout int  Timeout\n";
        FlagSpec::from_help(help, "Options:")
    }

    fn args(s: &str) -> Vec<String> {
        s.split_whitespace().map(String::from).collect()
    }

    #[test]
    fn reads_specs_from_help() {
        let s = specs();
        assert_eq!(s.len(), 7);
        assert_eq!(
            s[0],
            FlagSpec {
                short: Some('d'),
                long: "detach".into(),
                kind: None
            }
        );
        assert_eq!(s[3].kind.as_deref(), Some("string"));
    }

    #[test]
    fn bundles_values_and_operands() {
        let p = parse(
            &specs(),
            &args("-it --name=web -p 80:80 -p8080:80 nginx sh -c x"),
            false,
        )
        .unwrap();
        assert!(p.flag("interactive") && p.flag("tty"));
        assert_eq!(p.last("name"), Some("web"));
        assert_eq!(p.all("publish"), vec!["80:80", "8080:80"]);
        assert_eq!(p.operands, vec!["nginx", "sh", "-c", "x"]);
        let p = parse(&specs(), &args("--rm=false -d x"), true).unwrap();
        assert!(!p.flag("rm") && p.flag("detach"));
    }

    #[test]
    fn errors_use_pflag_words() {
        let e = |s: &str| parse(&specs(), &args(s), true).unwrap_err().0;
        assert_eq!(e("--x"), "unknown flag: --x");
        assert_eq!(e("-x"), "unknown shorthand flag: 'x' in -x");
        assert_eq!(e("-dx"), "unknown shorthand flag: 'x' in -dx");
        assert_eq!(e("--name"), "flag needs an argument: --name");
        assert_eq!(e("-p"), "flag needs an argument: 'p' in -p");
        assert_eq!(e("--rm=maybe"), "invalid argument \"maybe\" for \"--rm\" flag: strconv.ParseBool: parsing \"maybe\": invalid syntax");
        assert_eq!(
            e("--stop-timeout abc"),
            "invalid argument \"abc\" for \"--stop-timeout\" flag: strconv.ParseInt: parsing \"abc\": invalid syntax"
        );
    }
}
