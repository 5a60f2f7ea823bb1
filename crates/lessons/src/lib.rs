//! Lessons are data: a shared `NN-slug.toml` (setup, steps, checks,
//! reference solutions) and one markdown file per locale with the words
//! (`en/NN-slug.md`, `ko/NN-slug.md`). Checks and solutions are written
//! once, so the languages cannot drift apart. `lessons/README.md` is the
//! author's guide; this crate reads that format ([`Course::load`]), checks a
//! whole course ([`validate`]) and follows a learner through a lesson
//! ([`Progress`]). It knows nothing about any particular lesson.

mod course;
mod markdown;
mod progress;
mod validate;

pub use course::{Check, Course, Lesson, LessonText, Problem, Step, StepText, LOCALES};
pub use progress::{prepare, Progress, SetupFailure, StepState};
pub use validate::{validate, Report};

/// The lessons in the repository's `lessons/` folder, built in: what the web
/// app and `tidepool lesson` offer. `cargo xtask test` checks them all, so
/// the problems are empty in anything built from main; a lesson with one
/// is left out rather than taking the others down with it.
pub fn bundled() -> (Course, Vec<Problem>) {
    const COURSE: &str = include_str!(concat!(env!("OUT_DIR"), "/course.json"));
    match serde_json::from_str(COURSE) {
        Ok(parsed) => parsed,
        // build.rs wrote it from these very types: only a build defect
        // lands here, and then there are no lessons rather than a panic.
        Err(e) => (
            Course {
                lessons: Vec::new(),
            },
            vec![Problem::new(
                "lessons",
                0,
                format!("the built-in course does not read back: {e}"),
            )],
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The JSON build.rs hands over reads back to exactly the course the
    /// files describe.
    #[test]
    fn bundled_course_is_the_files() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../lessons");
        let mut files = Vec::new();
        for entry in std::fs::read_dir(&root).expect("lessons/").flatten() {
            let path = entry.path();
            let name = entry.file_name().to_string_lossy().into_owned();
            if path.is_dir() {
                for inner in std::fs::read_dir(&path).expect("a locale").flatten() {
                    let file = inner.file_name().to_string_lossy().into_owned();
                    if file.ends_with(".md") {
                        let text = std::fs::read_to_string(inner.path()).expect("text");
                        files.push((format!("{name}/{file}"), text));
                    }
                }
            } else if name.ends_with(".toml") {
                files.push((name, std::fs::read_to_string(&path).expect("text")));
            }
        }
        files.sort();
        let read = Course::partial("lessons", files);
        let (course, problems) = bundled();
        assert_eq!(problems, read.1);
        assert!(problems.is_empty(), "{problems:?}");
        assert_eq!(course, read.0);
        assert!(course.lessons.len() >= 12);
    }
}
