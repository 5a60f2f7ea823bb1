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
    Course::partial(
        "lessons",
        BUNDLED.iter().map(|(p, t)| (p.to_string(), t.to_string())),
    )
}

include!(concat!(env!("OUT_DIR"), "/bundled.rs"));
