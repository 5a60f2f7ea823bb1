//! Reading a course: the shared `.toml` of each lesson joined with its
//! texts, one per locale. Everything that can be wrong with the files is a
//! [`Problem`] naming the file and line, never a panic.

use crate::markdown;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::fmt;
use std::path::Path;
use toml::Spanned;

/// Every lesson has a text in each of these locales.
pub const LOCALES: &[&str] = &["en", "ko"];

/// All lessons, in their order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Course {
    pub lessons: Vec<Lesson>,
}

/// One lesson: what every locale shares, and the texts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Lesson {
    pub id: String,
    pub order: u32,
    /// The docker commands it teaches (`docker run`, `docker ps`, ...).
    pub teaches: Vec<String>,
    /// The sandbox's seed, so ids and names are the same for everyone.
    pub seed: u64,
    /// Command lines run on a fresh host before the first step.
    pub setup: String,
    pub steps: Vec<Step>,
    /// One per locale, in [`LOCALES`] order.
    pub texts: Vec<LessonText>,
    /// The shared file, as shown in reports (`lessons/03-running.toml`).
    pub path: String,
    pub setup_line: usize,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub id: String,
    /// What a learner would type, line by line.
    pub solution: String,
    pub checks: Vec<Check>,
    pub line: usize,
    pub solution_line: usize,
}

/// A shell snippet that passes when every line exits 0 on a copy of the
/// learner's host.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Check {
    pub run: String,
    /// Locale -> what to tell the learner while the check fails.
    pub messages: BTreeMap<String, String>,
    pub line: usize,
}

/// A lesson's words in one locale.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonText {
    /// The front matter's id: its lesson's.
    pub id: String,
    pub(crate) id_line: usize,
    pub locale: String,
    pub title: String,
    pub summary: String,
    /// Markdown before the first step.
    pub intro: String,
    pub steps: Vec<StepText>,
    pub path: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StepText {
    pub id: String,
    pub title: String,
    /// The step's markdown, hints taken out.
    pub body: String,
    /// Markdown of each `> [!TIP]` block, in order.
    pub hints: Vec<String>,
    /// The contents of each `sh` block: what a "run" button types.
    pub commands: Vec<String>,
    pub line: usize,
}

/// A problem in a lesson file, as `path:line: message`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    pub path: String,
    /// 1-based; 0 when the problem is the file as a whole.
    pub line: usize,
    pub message: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.path, self.message)
        } else {
            write!(f, "{}:{}: {}", self.path, self.line, self.message)
        }
    }
}

impl Problem {
    pub(crate) fn new(path: &str, line: usize, message: impl Into<String>) -> Self {
        Problem {
            path: path.to_string(),
            line,
            message: message.into(),
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedFile {
    id: String,
    order: u32,
    #[serde(default)]
    teaches: Vec<String>,
    seed: Option<u64>,
    setup: Option<Spanned<String>>,
    #[serde(default, rename = "step")]
    steps: Vec<Spanned<SharedStep>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedStep {
    id: String,
    solution: Option<Spanned<String>>,
    #[serde(default, rename = "check")]
    checks: Vec<Spanned<SharedCheck>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SharedCheck {
    run: String,
    #[serde(default)]
    message: BTreeMap<String, String>,
}

impl Course {
    /// Reads the lessons folder at `dir`: `*.toml` in it, `<locale>/*.md`
    /// one level down. Paths in problems start with `dir` as given.
    pub fn load(dir: &Path) -> Result<Course, Vec<Problem>> {
        let (course, problems) = Course::load_partial(dir);
        if problems.is_empty() {
            Ok(course)
        } else {
            Err(problems)
        }
    }

    /// Like [`Course::load`], but keeps going: the lessons without a
    /// problem, and the problems.
    pub fn load_partial(dir: &Path) -> (Course, Vec<Problem>) {
        let (shown, files, mut problems) = read_dir(dir);
        let (course, mut more) = Course::partial(&shown, files);
        problems.append(&mut more);
        (course, problems)
    }

    pub(crate) fn partial(
        base: &str,
        files: impl IntoIterator<Item = (String, String)>,
    ) -> (Course, Vec<Problem>) {
        let mut errors = Vec::new();
        let mut lessons: BTreeMap<String, Lesson> = BTreeMap::new();
        let mut texts: Vec<(String, LessonText)> = Vec::new();
        for (rel, text) in files {
            let shown = format!("{base}/{rel}");
            match rel.split_once('/') {
                None => {
                    let stem = rel.trim_end_matches(".toml").to_string();
                    match parse_shared(&shown, &stem, &text) {
                        Ok(lesson) => {
                            lessons.insert(stem, lesson);
                        }
                        Err(mut e) => errors.append(&mut e),
                    }
                }
                Some((locale, name)) => {
                    if !LOCALES.contains(&locale) {
                        errors.push(Problem::new(
                            &shown,
                            0,
                            format!(
                                "`{locale}` is not a locale; lesson texts go in {}",
                                folders()
                            ),
                        ));
                        continue;
                    }
                    let stem = name.trim_end_matches(".md").to_string();
                    match markdown::parse_text(&shown, locale, &text) {
                        Ok(t) => texts.push((stem, t)),
                        Err(mut e) => errors.append(&mut e),
                    }
                }
            }
        }
        for (stem, text) in texts {
            let Some(lesson) = lessons.get_mut(&stem) else {
                errors.push(Problem::new(
                    &text.path,
                    0,
                    format!("no {base}/{stem}.toml for this text"),
                ));
                continue;
            };
            if let Err(mut e) = match_text(lesson, &text) {
                errors.append(&mut e);
            }
            lesson.texts.push(text);
        }
        let mut by_id: BTreeMap<String, String> = BTreeMap::new();
        let mut by_order: BTreeMap<u32, String> = BTreeMap::new();
        for (stem, lesson) in &mut lessons {
            lesson
                .texts
                .sort_by_key(|t| LOCALES.iter().position(|l| *l == t.locale));
            for locale in LOCALES {
                if !lesson.texts.iter().any(|t| t.locale == *locale) {
                    errors.push(Problem::new(
                        &lesson.path,
                        0,
                        format!("no {locale} text: write {base}/{locale}/{stem}.md"),
                    ));
                }
            }
            if let Some(other) = by_id.insert(lesson.id.clone(), lesson.path.clone()) {
                errors.push(Problem::new(
                    &lesson.path,
                    1,
                    format!("id `{}` is also the id of {other}", lesson.id),
                ));
            }
            if let Some(other) = by_order.insert(lesson.order, lesson.path.clone()) {
                errors.push(Problem::new(
                    &lesson.path,
                    1,
                    format!("order {} is also the order of {other}", lesson.order),
                ));
            }
        }
        errors.sort_by(|a, b| (&a.path, a.line).cmp(&(&b.path, b.line)));
        // A lesson with a problem in any of its files is left out.
        let broken: Vec<String> = errors.iter().map(|p| stem_of(&p.path)).collect();
        let mut lessons: Vec<Lesson> = lessons
            .into_iter()
            .filter(|(stem, _)| !broken.contains(stem))
            .map(|(_, l)| l)
            .collect();
        lessons.sort_by_key(|l| l.order);
        (Course { lessons }, errors)
    }

    pub fn lesson(&self, id: &str) -> Option<&Lesson> {
        self.lessons.iter().find(|l| l.id == id)
    }
}

impl Lesson {
    /// The text in `locale`, or the first one there is.
    pub fn text(&self, locale: &str) -> &LessonText {
        self.texts
            .iter()
            .find(|t| t.locale == locale)
            .unwrap_or(&self.texts[0])
    }
}

impl Check {
    /// The message in `locale`, or English.
    pub fn message(&self, locale: &str) -> &str {
        self.messages
            .get(locale)
            .or_else(|| self.messages.get("en"))
            .map(String::as_str)
            .unwrap_or("")
    }
}

/// `lessons/ko/03-running.md` -> `03-running`.
fn stem_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.trim_end_matches(".toml")
        .trim_end_matches(".md")
        .to_string()
}

/// The lesson files under `dir` as `(path relative to dir, text)`, with
/// `dir` as problems should show it.
fn read_dir(dir: &Path) -> (String, Vec<(String, String)>, Vec<Problem>) {
    let shown = dir.display().to_string();
    let shown = shown.trim_end_matches('/').to_string();
    let mut files = Vec::new();
    let mut problems = Vec::new();
    let entries = match std::fs::read_dir(dir) {
        Ok(e) => e,
        Err(e) => {
            problems.push(Problem::new(&shown, 0, format!("cannot read: {e}")));
            return (shown, files, problems);
        }
    };
    let mut paths = Vec::new();
    for entry in entries.flatten() {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().to_string();
        if path.is_dir() {
            let Ok(inner) = std::fs::read_dir(&path) else {
                continue;
            };
            for file in inner.flatten() {
                let fname = file.file_name().to_string_lossy().to_string();
                if fname.ends_with(".md") {
                    paths.push((format!("{name}/{fname}"), file.path()));
                }
            }
        } else if name.ends_with(".toml") {
            paths.push((name, path));
        }
    }
    paths.sort();
    for (rel, path) in paths {
        match std::fs::read_to_string(&path) {
            Ok(t) => files.push((rel, t)),
            Err(e) => problems.push(Problem::new(
                &format!("{shown}/{rel}"),
                0,
                format!("cannot read: {e}"),
            )),
        }
    }
    (shown, files, problems)
}

fn folders() -> String {
    LOCALES
        .iter()
        .map(|l| format!("{l}/"))
        .collect::<Vec<_>>()
        .join(" or ")
}

/// 1-based line of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

fn parse_shared(path: &str, stem: &str, text: &str) -> Result<Lesson, Vec<Problem>> {
    let file: SharedFile = match toml::from_str(text) {
        Ok(f) => f,
        Err(e) => {
            let line = e.span().map(|s| line_of(text, s.start)).unwrap_or(0);
            let message = e.message().to_string();
            return Err(vec![Problem::new(path, line, message)]);
        }
    };
    let mut errors = Vec::new();
    let (number, slug) = stem.split_once('-').unwrap_or(("", stem));
    match number.parse::<u32>() {
        Ok(n) if n == file.order => {}
        Ok(n) => errors.push(Problem::new(
            path,
            1,
            format!("order is {} but the file name says {n}", file.order),
        )),
        Err(_) => errors.push(Problem::new(
            path,
            0,
            "name lesson files NN-slug.toml, NN being the lesson's order",
        )),
    }
    if slug != file.id {
        errors.push(Problem::new(
            path,
            1,
            format!("id is `{}` but the file name says `{slug}`", file.id),
        ));
    }
    if file.steps.is_empty() {
        errors.push(Problem::new(
            path,
            0,
            "no [[step]]: a lesson needs at least one step",
        ));
    }
    let mut steps: Vec<Step> = Vec::new();
    for spanned in file.steps {
        let line = line_of(text, spanned.span().start);
        let step = spanned.into_inner();
        if steps.iter().any(|s| s.id == step.id) {
            errors.push(Problem::new(
                path,
                line,
                format!("a second step with id `{}`", step.id),
            ));
        }
        if step.checks.is_empty() {
            errors.push(Problem::new(
                path,
                line,
                format!("step `{}` has no [[step.check]]", step.id),
            ));
        }
        let (solution_line, solution) = match step.solution {
            Some(s) => (line_of(text, s.span().start), s.into_inner()),
            None => {
                errors.push(Problem::new(
                    path,
                    line,
                    format!("step `{}` has no solution", step.id),
                ));
                (line, String::new())
            }
        };
        let mut checks = Vec::new();
        for c in step.checks {
            let cline = line_of(text, c.span().start);
            let check = c.into_inner();
            for locale in LOCALES {
                if check
                    .message
                    .get(*locale)
                    .is_none_or(|m| m.trim().is_empty())
                {
                    errors.push(Problem::new(
                        path,
                        cline,
                        format!("check has no message in {locale}: message = {{ en = \"...\", ko = \"...\" }}"),
                    ));
                }
            }
            for locale in check.message.keys() {
                if !LOCALES.contains(&locale.as_str()) {
                    errors.push(Problem::new(
                        path,
                        cline,
                        format!("`{locale}` is not a locale"),
                    ));
                }
            }
            if check.run.trim().is_empty() {
                errors.push(Problem::new(path, cline, "check has an empty `run`"));
            }
            checks.push(Check {
                run: check.run,
                messages: check.message,
                line: cline,
            });
        }
        steps.push(Step {
            id: step.id,
            solution,
            checks,
            line,
            solution_line,
        });
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let (setup_line, setup) = match file.setup {
        Some(s) => (line_of(text, s.span().start), s.into_inner()),
        None => (0, String::new()),
    };
    Ok(Lesson {
        id: file.id,
        order: file.order,
        teaches: file.teaches,
        seed: file.seed.unwrap_or(1),
        setup,
        steps,
        texts: Vec::new(),
        path: path.to_string(),
        setup_line,
    })
}

/// A text must be the lesson it sits next to: same id, and the same steps
/// in the same order.
fn match_text(lesson: &Lesson, text: &LessonText) -> Result<(), Vec<Problem>> {
    let mut errors = Vec::new();
    if text.id != lesson.id {
        errors.push(Problem::new(
            &text.path,
            text.id_line,
            format!(
                "id is `{}` but {} says `{}`",
                text.id, lesson.path, lesson.id
            ),
        ));
    }
    if text.steps.len() != lesson.steps.len()
        || text
            .steps
            .iter()
            .zip(&lesson.steps)
            .any(|(t, s)| t.id != s.id)
    {
        let want: Vec<&str> = lesson.steps.iter().map(|s| s.id.as_str()).collect();
        let have: Vec<&str> = text.steps.iter().map(|s| s.id.as_str()).collect();
        let line = text
            .steps
            .iter()
            .zip(&lesson.steps)
            .find(|(t, s)| t.id != s.id)
            .map(|(t, _)| t.line)
            .or_else(|| text.steps.get(lesson.steps.len()).map(|t| t.line))
            .unwrap_or(0);
        errors.push(Problem::new(
            &text.path,
            line,
            format!(
                "steps are [{}] but {} has [{}]",
                have.join(", "),
                lesson.path,
                want.join(", ")
            ),
        ));
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}
