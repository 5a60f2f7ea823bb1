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
    let lower = s.to_ascii_lowercase();
    let digits_end = lower
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(lower.len());
    let (num, unit) = lower.split_at(digits_end);
    let value: f64 = num.parse().ok()?;
    let scale: f64 = match unit.trim_end_matches('b').trim_end_matches('i') {
        "" => 1.0,
        "k" => 1024.0,
        "m" => 1024.0 * 1024.0,
        "g" => 1024.0 * 1024.0 * 1024.0,
        "t" => 1024f64.powi(4),
        "p" => 1024f64.powi(5),
        _ => return None,
    };
    Some((value * scale) as u64)
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
        "bytes" if parse_bytes(value).is_none() => {
            return Err(FlagError(format!("invalid argument \"{value}\" for \"{}\" flag: invalid size: '{value}'", spec.display())))
        }
        _ => {}
    }
    Ok(())
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
