//! sed, the stream editor: the part of GNU sed people type at a prompt or
//! put in a Dockerfile's RUN, down to the one-liners people copy (`$!N`,
//! `:a;N;$!ba;s/\n/,/g`, tac as `1!G;h;$p`). A script is parsed once
//! ([`script`], with sed's own error words and character positions), then
//! run cycle by cycle over the input ([`run`]). Addresses are line numbers,
//! `$` and `/regex/`, alone or as `a,b` ranges, optionally negated with
//! `!`; commands are `s y p P d D n N h H g G x z l q Q = a i c`, `{ ... }`
//! blocks, `:label`, `b`, `t` and `T`. `-i` edits files in place, each file
//! its own stream as GNU sed makes it. Busybox's sed (alpine) words its
//! errors its own way, and this module says them its way there.

mod run;
mod script;

use crate::exec::{Control, Ctx, Flavor};
use crate::vfs;
use run::{reset, run, Input, Output, Settings, Space, Stop};
use script::{BuildError, Command, Program};

type R = Result<i32, Control>;

const USAGE: &str = "Usage: sed [OPTION]... {script-only-if-no-other-script} [input-file]...

  -n, --quiet, --silent
                 suppress automatic printing of pattern space
      --debug
                 annotate program execution
  -e script, --expression=script
                 add the script to the commands to be executed
  -f script-file, --file=script-file
                 add the contents of script-file to the commands to be executed
  --follow-symlinks
                 follow symlinks when processing in place
  -i[SUFFIX], --in-place[=SUFFIX]
                 edit files in place (makes backup if SUFFIX supplied)
  -l N, --line-length=N
                 specify the desired line-wrap length for the `l' command
  --posix
                 disable all GNU extensions.
  -E, -r, --regexp-extended
                 use extended regular expressions in the script
                 (for portability use POSIX -E).
  -s, --separate
                 consider files as separate rather than as a single,
                 continuous long stream.
      --sandbox
                 operate in sandbox mode (disable e/r/w commands).
  -u, --unbuffered
                 load minimal amounts of data from the input files and flush
                 the output buffers more often
  -z, --null-data
                 separate lines by NUL characters
      --help     display this help and exit
      --version  output version information and exit

If no -e, --expression, -f, or --file option is given, then the first
non-option argument is taken as the sed script to interpret.  All
remaining arguments are names of input files; if no input files are
specified, then the standard input is read.

GNU sed home page: <https://www.gnu.org/software/sed/>.
General help using GNU software: <https://www.gnu.org/gethelp/>.";

/// What the command line asked for.
struct Options {
    quiet: bool,
    extended: bool,
    separate: bool,
    /// `-l N`: the line length of the `l` command.
    line_length: usize,
    /// `-i`, with the backup suffix if one was given.
    in_place: Option<String>,
    scripts: Vec<String>,
    files: Vec<String>,
}

enum Parsed {
    Run(Options),
    /// Usage was printed (or an option refused): exit with this status.
    Exit(i32),
}

fn parse_options(args: &[String], ctx: &mut Ctx) -> Parsed {
    let mut o = Options {
        quiet: false,
        extended: false,
        separate: false,
        line_length: 70,
        in_place: None,
        scripts: Vec::new(),
        files: Vec::new(),
    };
    let mut script_files = Vec::new();
    let mut operands = Vec::new();
    let mut i = 0;
    let mut done = false;
    while i < args.len() {
        let a = &args[i];
        i += 1;
        if done || a == "-" || !a.starts_with('-') {
            operands.push(a.clone());
            continue;
        }
        if a == "--" {
            done = true;
            continue;
        }
        if let Some(long) = a.strip_prefix("--") {
            let (name, value) = match long.split_once('=') {
                Some((n, v)) => (n, Some(v.to_string())),
                None => (long, None),
            };
            match name {
                "quiet" | "silent" => o.quiet = true,
                "regexp-extended" => o.extended = true,
                "separate" => o.separate = true,
                "in-place" => o.in_place = Some(value.unwrap_or_default()),
                "expression" | "file" => {
                    let Some(v) = value.or_else(|| {
                        i += 1;
                        args.get(i - 1).cloned()
                    }) else {
                        ctx.errln(format!("sed: option '--{name}' requires an argument"));
                        ctx.errln(USAGE);
                        return Parsed::Exit(1);
                    };
                    if name == "file" {
                        script_files.push(v);
                    } else {
                        o.scripts.push(v);
                    }
                }
                "line-length" => match value {
                    Some(v) => o.line_length = leading_number(&v),
                    None => {
                        ctx.errln("sed: option '--line-length' requires an argument");
                        ctx.errln(USAGE);
                        return Parsed::Exit(1);
                    }
                },
                "posix" | "debug" | "sandbox" | "unbuffered" | "follow-symlinks" => {}
                "help" => {
                    ctx.outln(USAGE);
                    return Parsed::Exit(0);
                }
                _ => {
                    ctx.errln(format!("sed: unrecognized option '{a}'"));
                    ctx.errln(USAGE);
                    return Parsed::Exit(1);
                }
            }
            continue;
        }
        let flags: Vec<char> = a[1..].chars().collect();
        for (k, c) in flags.iter().enumerate() {
            let rest: String = flags[k + 1..].iter().collect();
            match c {
                'n' => o.quiet = true,
                'E' | 'r' => o.extended = true,
                's' => o.separate = true,
                'u' | 'z' => {}
                // -i takes the rest of the word as its backup suffix.
                'i' => {
                    o.in_place = Some(rest);
                    break;
                }
                'e' | 'f' | 'l' => {
                    let value = if rest.is_empty() {
                        i += 1;
                        args.get(i - 1).cloned()
                    } else {
                        Some(rest)
                    };
                    let Some(v) = value else {
                        ctx.errln(format!("sed: option requires an argument -- '{c}'"));
                        ctx.errln(USAGE);
                        return Parsed::Exit(1);
                    };
                    match c {
                        'e' => o.scripts.push(v),
                        'f' => script_files.push(v),
                        // GNU reads the number with atoi: junk is 0.
                        _ => o.line_length = leading_number(&v),
                    }
                    break;
                }
                other => {
                    ctx.errln(format!("sed: invalid option -- '{other}'"));
                    ctx.errln(USAGE);
                    return Parsed::Exit(1);
                }
            }
        }
    }
    for f in script_files {
        let path = ctx.path(&f);
        match ctx.fs(|fs| vfs::read_text(fs, &path)) {
            Ok(text) => o
                .scripts
                .push(text.strip_suffix('\n').unwrap_or(&text).to_string()),
            Err(e) => {
                ctx.errln(format!("sed: couldn't open file {f}: {e}"));
                return Parsed::Exit(1);
            }
        }
    }
    if o.scripts.is_empty() {
        if operands.is_empty() {
            ctx.errln(USAGE);
            return Parsed::Exit(1);
        }
        o.scripts.push(operands.remove(0));
    }
    o.files = operands;
    Parsed::Run(o)
}

/// C's atoi: the digits a value starts with, 0 if none.
fn leading_number(value: &str) -> usize {
    let digits: String = value
        .trim_start()
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    digits.parse().unwrap_or(0)
}

/// Builds the program from every script, or prints sed's error and
/// gives its exit status: 1 for a script error, 4 for GNU's panic over a
/// missing label.
fn build(o: &Options, busybox: bool, ctx: &mut Ctx) -> Result<Vec<Command>, i32> {
    let mut program = Program::new(o.extended, busybox);
    let mut built = Ok(());
    for (k, script) in o.scripts.iter().enumerate() {
        built = program.add(script, k + 1);
        if built.is_err() {
            break;
        }
    }
    let error = match built.and_then(|()| program.finish()) {
        Ok(commands) => return Ok(commands),
        Err(e) => e,
    };
    let (message, status) = match error {
        BuildError::Script(_, e) if e.bare => (format!("sed: {}", e.message), 1),
        BuildError::Script(expression, e) => (
            format!(
                "sed: -e expression #{expression}, char {}: {}",
                e.at, e.message
            ),
            1,
        ),
        BuildError::Final(message) => (format!("sed: {message}"), 4),
    };
    ctx.errln(message);
    Err(status)
}

/// How a run of the program ended: its exit status if it stopped early.
fn stopped(stop: Option<Stop>, ctx: &mut Ctx) -> Option<i32> {
    match stop? {
        Stop::Quit(code) => Some(code),
        Stop::MissingLabel(label) => {
            ctx.errln(format!("sed: can't find label for jump to '{label}'"));
            Some(1)
        }
        Stop::Limit => {
            ctx.errln(
                "sed: script stopped: it runs for ever or outgrows memory (Tidepool's limit)",
            );
            Some(4)
        }
    }
}

pub fn sed(args: &[String], ctx: &mut Ctx) -> R {
    let o = match parse_options(&args[1..], ctx) {
        Parsed::Run(o) => o,
        Parsed::Exit(code) => return Ok(code),
    };
    let busybox = ctx.shell.flavor == Flavor::Ash;
    let mut commands = match build(&o, busybox, ctx) {
        Ok(commands) => commands,
        Err(status) => return Ok(status),
    };
    let settings = Settings {
        quiet: o.quiet,
        line_length: o.line_length,
    };
    let mut status = 0;
    let Some(suffix) = o.in_place.clone() else {
        // Without -i the files are one stream (or, with -s, one each).
        let mut texts = Vec::new();
        let files = if o.files.is_empty() {
            vec!["-".to_string()]
        } else {
            o.files.clone()
        };
        for f in &files {
            match read_input(f, ctx) {
                Ok(t) => texts.push(t),
                Err(e) => {
                    ctx.errln(input_error(f, e, busybox));
                    status = if busybox { 1 } else { 2 };
                }
            }
        }
        let streams = if o.separate {
            texts.into_iter().map(|t| vec![t]).collect()
        } else {
            vec![texts]
        };
        let mut out = Output::default();
        for texts in streams {
            reset(&mut commands);
            let mut hold = Space::default();
            let stop = run(
                &mut commands,
                &mut Input::new(&texts),
                &mut hold,
                &mut out,
                &settings,
            );
            if stop.is_some() {
                ctx.out(std::mem::take(&mut out.text));
                if let Some(code) = stopped(stop, ctx) {
                    return Ok(code);
                }
            }
        }
        ctx.out(out.text);
        return Ok(status);
    };
    if o.files.is_empty() {
        ctx.errln("sed: no input files");
        return Ok(1);
    }
    for f in &o.files {
        let text = match read_input(f, ctx) {
            Ok(t) => t,
            Err(e) => {
                ctx.errln(input_error(f, e, busybox));
                status = if busybox { 1 } else { 2 };
                continue;
            }
        };
        reset(&mut commands);
        let mut out = Output::default();
        let stop = run(
            &mut commands,
            &mut Input::new(std::slice::from_ref(&text)),
            &mut Space::default(),
            &mut out,
            &settings,
        );
        let path = ctx.path(f);
        let backup = (!suffix.is_empty()).then(|| backup_name(&path, &suffix));
        let written = ctx.fs(|fs| {
            if let Some(b) = &backup {
                vfs::write_bytes(fs, b, text.clone().into_bytes())?;
            }
            vfs::write_bytes(fs, &path, out.text.into_bytes())
        });
        if let Err(e) = written {
            ctx.errln(format!("sed: couldn't open temporary file {f}: {e}"));
            return Ok(4);
        }
        if let Some(code) = stopped(stop, ctx) {
            return Ok(code);
        }
    }
    Ok(status)
}

/// `-i.bak` appends the suffix; a suffix with `*` names the backup with
/// the file's name in place of the star.
fn backup_name(path: &str, suffix: &str) -> String {
    if suffix.contains('*') {
        let (dir, base) = path.rsplit_once('/').unwrap_or(("", path));
        let name = suffix.replace('*', base);
        if name.contains('/') {
            name
        } else {
            format!("{dir}/{name}")
        }
    } else {
        format!("{path}{suffix}")
    }
}

/// A file sed cannot read, in GNU's words or busybox's.
fn input_error(f: &str, e: vfs::FsError, busybox: bool) -> String {
    match (busybox, e) {
        (true, _) => format!("sed: can't open '{f}': {e}"),
        (false, vfs::FsError::IsDir) => format!("sed: read error on {f}: {e}"),
        (false, _) => format!("sed: can't read {f}: {e}"),
    }
}

fn read_input(f: &str, ctx: &mut Ctx) -> Result<String, vfs::FsError> {
    if f == "-" {
        return Ok(ctx.stdin.clone());
    }
    let path = ctx.path(f);
    ctx.fs(|fs| vfs::read_text(fs, &path))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn build(script: &str, extended: bool, busybox: bool) -> Result<Vec<Command>, String> {
        let mut program = Program::new(extended, busybox);
        program
            .add(script, 1)
            .and_then(|()| program.finish())
            .map_err(|e| match e {
                BuildError::Script(_, e) => format!("char {}: {}", e.at, e.message),
                BuildError::Final(message) => message,
            })
    }

    fn run(script: &str, input: &str, quiet: bool, extended: bool) -> String {
        let mut cmds = match build(script, extended, false) {
            Ok(c) => c,
            Err(e) => return e,
        };
        let mut out = Output::default();
        let settings = Settings {
            quiet,
            line_length: 70,
        };
        super::run(
            &mut cmds,
            &mut Input::new(&[input.to_string()]),
            &mut Space::default(),
            &mut out,
            &settings,
        );
        out.text
    }

    fn error(script: &str) -> String {
        match build(script, false, false) {
            Ok(_) => "ok".into(),
            Err(e) => e,
        }
    }

    #[test]
    fn substitutes_with_flags_groups_and_delimiters() {
        assert_eq!(run("s/o/0/", "foo\n", false, false), "f0o\n");
        assert_eq!(run("s/o/0/g", "foo\n", false, false), "f00\n");
        assert_eq!(run("s/o/0/2", "foo\n", false, false), "fo0\n");
        assert_eq!(run("s/FOO/bar/i", "foo\n", false, false), "bar\n");
        assert_eq!(
            run("s|/usr|/opt|", "/usr/bin\n", false, false),
            "/opt/bin\n"
        );
        assert_eq!(run(r"s/\(a\)\(b\)/\2\1/", "ab\n", false, false), "ba\n");
        assert_eq!(run(r"s/(a)(b)/\2\1 [&]/", "ab\n", false, true), "ba [ab]\n");
        assert_eq!(run("s/a+/x/", "a+aa\n", false, false), "xaa\n");
        assert_eq!(run("s/x/y/p", "x\nz\n", true, false), "y\n");
    }

    #[test]
    fn addresses_and_ranges() {
        let input = "one\ntwo\nthree\nfour\n";
        assert_eq!(run("2,3d", input, false, false), "one\nfour\n");
        assert_eq!(run("$p", input, true, false), "four\n");
        assert_eq!(run("/t/p", input, true, false), "two\nthree\n");
        assert_eq!(
            run("/two/,/four/!d", input, false, false),
            "two\nthree\nfour\n"
        );
        assert_eq!(run("3,1p", input, true, false), "three\n");
        assert_eq!(run("2q", input, false, false), "one\ntwo\n");
        assert_eq!(run("1i top\n$a end", "x\n", false, false), "top\nx\nend\n");
        assert_eq!(run("2{s/t/T/;p}", input, true, false), "Two\n");
        assert_eq!(run("=", "a\n", false, false), "1\na\n");
        assert_eq!(run("s/a/b/", "a", false, false), "b");
    }

    #[test]
    fn errors_carry_gnu_positions() {
        assert_eq!(error("s/a/b"), "char 5: unterminated `s' command");
        assert_eq!(error("s/a/b/z"), "char 7: unknown option to `s'");
        assert_eq!(error("k"), "char 1: unknown command: `k'");
        assert_eq!(error("dp"), "char 2: extra characters after command");
        assert_eq!(error("/a/"), "char 3: missing command");
        assert_eq!(error("/a"), "char 2: unterminated address regex");
        assert_eq!(error("1,p"), "char 3: unexpected `,'");
        assert_eq!(error("0p"), "char 2: invalid usage of line address 0");
        assert_eq!(
            error("s/a/b/gg"),
            "char 8: multiple `g' options to `s' command"
        );
    }

    #[test]
    fn hold_space_and_multiline_commands() {
        let input = "one\ntwo\nthree\n";
        // tac
        assert_eq!(run("1!G;h;$p", input, true, false), "three\ntwo\none\n");
        assert_eq!(run("$!N;s/\\n/ /", input, false, false), "one two\nthree\n");
        assert_eq!(
            run(":a;N;$!ba;s/\\n/,/g", input, false, false),
            "one,two,three\n"
        );
        // N on the last line prints the pattern space, as GNU does.
        assert_eq!(run("N;s/\\n/+/", input, false, false), "one+two\nthree\n");
        assert_eq!(run("$!N;P;D", "a\na\nb\n", false, false), "a\na\nb\n");
        assert_eq!(run("n;d", input, false, false), "one\nthree\n");
        assert_eq!(run("x;$!d;x", input, false, false), "three\n");
        assert_eq!(run("G", "a\n", false, false), "a\n\n");
        assert_eq!(
            run("H;$!d;x;s/\\n/-/g", input, false, false),
            "-one-two-three\n"
        );
        assert_eq!(run("y/abc/xyz/", "aabbcc\n", false, false), "xxyyzz\n");
        assert_eq!(run("z;s/^$/empty/", "x\n", false, false), "empty\n");
    }

    #[test]
    fn branches_and_tests() {
        assert_eq!(
            run("s/a/b/;ta;s/$/!/;:a", "a\nc\n", false, false),
            "b\nc!\n"
        );
        assert_eq!(
            run("s/a/b/;Ta;s/$/!/;:a", "a\nc\n", false, false),
            "b!\nc\n"
        );
        assert_eq!(
            run("/x/b;s/$/ no x/", "x\ny\n", false, false),
            "x\ny no x\n"
        );
        // Thousands separators: t loops until nothing changes.
        assert_eq!(
            run(":a;s/\\B[0-9]\\{3\\}\\>/,&/;ta", "1234567\n", false, false),
            "1,234,567\n"
        );
        assert_eq!(run("2{h;d};${G}", "1\n2\n3\n", false, false), "1\n3\n2\n");
    }

    #[test]
    fn lists_with_escapes_and_wraps() {
        assert_eq!(run("l", "a\tb\\\n", true, false), "a\\tb\\\\$\n");
        assert_eq!(run("N;l;d", "a\nb\n", false, false), "a\\nb$\n");
        let long = format!("{}\n", "x".repeat(75));
        assert_eq!(
            run("l", &long, true, false),
            format!("{}\\\n{}$\n", "x".repeat(69), "x".repeat(6))
        );
        assert_eq!(
            run("l 0", &long, true, false),
            format!("{}$\n", "x".repeat(75))
        );
    }

    #[test]
    fn runaway_scripts_stop() {
        let mut cmds = build(":a;ba", false, false).unwrap_or_default();
        let stop = super::run(
            &mut cmds,
            &mut Input::new(&["x\n".to_string()]),
            &mut Space::default(),
            &mut Output::default(),
            &Settings {
                quiet: false,
                line_length: 70,
            },
        );
        assert!(matches!(stop, Some(Stop::Limit)));
        assert_eq!(run(":a;h;G;ba", "x\n", true, false), "");
    }

    #[test]
    fn new_commands_report_gnu_errors() {
        assert_eq!(error("b foo"), "can't find label for jump to `foo'");
        assert_eq!(
            error("y/abc/xy/"),
            "char 9: strings for `y' command are different lengths"
        );
        assert_eq!(error("y/abc/"), "char 6: unterminated `y' command");
        assert_eq!(error(":"), "char 1: \":\" lacks a label");
        assert_eq!(error("1:a"), "char 2: : doesn't want any addresses");
        assert_eq!(error("1,2q"), "char 4: command only uses one address");
        assert_eq!(error("{p"), "char 0: unmatched `{'");
        assert_eq!(error("p}"), "char 2: unexpected `}'");
        assert_eq!(error("{1}"), "char 3: `}' doesn't want any addresses");
        assert_eq!(error("Nx"), "char 2: extra characters after command");
        assert!(build("b foo", false, true).is_ok());
        assert!(build("y/abc/xy/", false, true).is_ok());
        assert_eq!(
            build("k", false, true).err().as_deref(),
            Some("char 1: unsupported command k")
        );
    }
}
