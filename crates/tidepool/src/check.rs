//! `tidepool check [PATH...]`: what a lesson author runs. Loads the lessons
//! (a folder, or single lesson files within one), runs every solution
//! against every check from a fresh host, and prints `file:line: problem`
//! for each thing that is wrong. Exit status 1 when anything is.

use std::io::Write;
use std::path::{Path, PathBuf};

/// `println!` that lets a closed pipe end the output quietly
/// (`tidepool check | head`) instead of panicking.
macro_rules! say {
    ($($arg:tt)*) => {{
        let _ = writeln!(std::io::stdout(), $($arg)*);
    }};
}
macro_rules! say_raw {
    ($($arg:tt)*) => {{
        let _ = write!(std::io::stdout(), $($arg)*);
    }};
}
use std::process::ExitCode;
use tidepool_lessons::{validate, Course, Problem, Report, LOCALES};

const USAGE: &str = "Usage: tidepool check [PATH...]

Checks lessons: every file parses, every locale is there, and from a fresh
host every step's checks fail before its solution and pass after it.
PATH is a lessons folder (default: lessons) or a lesson's .toml or .md file.
";

pub fn run(args: &[String]) -> ExitCode {
    if args.iter().any(|a| a == "-h" || a == "--help") {
        say_raw!("{USAGE}");
        return ExitCode::SUCCESS;
    }
    let paths: Vec<&str> = if args.is_empty() {
        vec!["lessons"]
    } else {
        args.iter().map(String::as_str).collect()
    };
    let mut report = Report::default();
    for path in paths {
        let (dir, only) = match target(Path::new(path)) {
            Ok(t) => t,
            Err(problem) => {
                say!("{problem}");
                report.problems.push(problem);
                continue;
            }
        };
        let (course, problems) = Course::load_partial(&dir);
        for problem in problems.into_iter().filter(|p| {
            only.as_ref()
                .is_none_or(|stem| p.path.contains(stem.as_str()))
        }) {
            say!("{problem}");
            report.problems.push(problem);
        }
        for lesson in &course.lessons {
            if only
                .as_ref()
                .is_some_and(|stem| !lesson.path.ends_with(&format!("/{stem}.toml")))
            {
                continue;
            }
            let result = validate(lesson);
            if result.problems.is_empty() {
                say!(
                    "ok  {} ({} steps, {} checks)",
                    lesson.path,
                    result.steps,
                    result.checks
                );
            } else {
                for problem in &result.problems {
                    say!("{problem}");
                }
            }
            report.add(result);
        }
    }
    let summary = format!(
        "{} lessons, {} steps, {} checks",
        report.lessons, report.steps, report.checks
    );
    match report.problems.len() {
        0 => {
            say!("{summary}: all good");
            ExitCode::SUCCESS
        }
        1 => {
            say!("{summary}: 1 problem");
            ExitCode::from(1)
        }
        n => {
            say!("{summary}: {n} problems");
            ExitCode::from(1)
        }
    }
}

/// The lessons folder a PATH belongs to, and the lesson it names if it is
/// a file.
fn target(path: &Path) -> Result<(PathBuf, Option<String>), Problem> {
    let shown = path.display().to_string();
    if path.is_dir() {
        return Ok((path.to_path_buf(), None));
    }
    if !path.is_file() {
        return Err(Problem {
            path: shown,
            line: 0,
            message: "no such file or folder".into(),
        });
    }
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy().to_string())
        .unwrap_or_default();
    let parent = path.parent().unwrap_or(Path::new(""));
    let in_locale = parent
        .file_name()
        .is_some_and(|n| LOCALES.contains(&n.to_string_lossy().as_ref()));
    let dir = if in_locale {
        parent.parent().unwrap_or(Path::new(""))
    } else {
        parent
    };
    let dir = if dir.as_os_str().is_empty() {
        PathBuf::from(".")
    } else {
        dir.to_path_buf()
    };
    Ok((dir, Some(stem)))
}
