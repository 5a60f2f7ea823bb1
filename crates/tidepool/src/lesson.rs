//! `tidepool lesson [ID]`: a built-in lesson at the native prompt. The
//! lesson's text is printed step by step; after each command the current
//! step's checks run against a copy of the host, and a passing step is
//! ticked. `:hint`, `:check`, `:solution`, `:text` and `:quit` talk to the
//! lesson instead of the shell. With stdin not a terminal it runs as a
//! script, echoing each line, which is how the tests drive it.

use crate::{interactive, Guide};
use std::io::{self, IsTerminal, Read};
use std::process::ExitCode;
use tidepool_lessons::{bundled, prepare, Lesson, Progress};
use tidepool_shell::{script, Sandbox};

/// The few sentences the runner itself says, per locale.
struct Words {
    step: &'static str,
    done: &'static str,
    finished: &'static str,
    help: &'static str,
    no_hint: &'static str,
    hint: &'static str,
    confirm: &'static str,
    solution: &'static str,
    not_yet: &'static str,
    passing: &'static str,
    unknown: &'static str,
    lessons: &'static str,
}

const EN: Words = Words {
    step: "Step",
    done: "done",
    finished: "Lesson complete. Type `tidepool lesson` to see the others; the sandbox stays yours until you quit.",
    help: "Type commands at the prompt. :hint gives a hint, :check says what is still missing, :solution shows the reference solution, :text repeats the step, :quit leaves.",
    no_hint: "No more hints for this step.",
    hint: "Hint",
    confirm: "The reference solution gives the step away. Type :solution again to see it.",
    solution: "Reference solution",
    not_yet: "Not yet:",
    passing: "Everything this step checks is already in place.",
    unknown: "Unknown lesson command. Try :hint, :check, :solution, :text or :quit.",
    lessons: "Lessons (tidepool lesson ID):",
};

const KO: Words = Words {
    step: "단계",
    done: "완료",
    finished: "레슨을 마쳤어요. 다른 레슨은 `tidepool lesson`으로 볼 수 있고, 샌드박스는 종료할 때까지 그대로 남아 있어요.",
    help: "프롬프트에 명령어를 입력하세요. :hint 힌트 보기, :check 아직 부족한 점 확인, :solution 모범 답안 보기, :text 현재 단계 다시 보기, :quit 나가기.",
    no_hint: "이 단계의 힌트는 여기까지예요.",
    hint: "힌트",
    confirm: "모범 답안을 보면 이 단계의 답을 알게 돼요. 정말 보려면 :solution을 한 번 더 입력하세요.",
    solution: "모범 답안",
    not_yet: "아직이에요:",
    passing: "이 단계에서 확인하는 것은 이미 모두 갖춰져 있어요.",
    unknown: "알 수 없는 레슨 명령이에요. :hint, :check, :solution, :text, :quit 중 하나를 입력하세요.",
    lessons: "레슨 목록 (tidepool lesson ID):",
};

fn words(locale: &str) -> &'static Words {
    if locale == "ko" {
        &KO
    } else {
        &EN
    }
}

/// The locale asked for, else the environment's (`LANG=ko_KR.UTF-8`).
fn locale_from(args: &[String]) -> Result<String, String> {
    for (i, a) in args.iter().enumerate() {
        let value = if a == "--locale" {
            args.get(i + 1).cloned()
        } else if let Some(v) = a.strip_prefix("--locale=") {
            Some(v.to_string())
        } else {
            continue;
        };
        return match value.as_deref() {
            Some(l @ ("en" | "ko")) => Ok(l.to_string()),
            _ => Err("tidepool: --locale takes en or ko".to_string()),
        };
    }
    let env = ["LC_ALL", "LC_MESSAGES", "LANG"]
        .iter()
        .filter_map(|k| std::env::var(k).ok())
        .find(|v| !v.is_empty())
        .unwrap_or_default();
    Ok(if env.starts_with("ko") { "ko" } else { "en" }.to_string())
}

pub fn run(args: &[String], seed: Option<u64>) -> ExitCode {
    let locale = match locale_from(args) {
        Ok(l) => l,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let (course, problems) = bundled();
    for p in problems {
        eprintln!("tidepool: left out: {p}");
    }
    let id = args
        .iter()
        .enumerate()
        .find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--locale"))
        .map(|(_, a)| a.as_str());
    let Some(id) = id else {
        println!("{}", words(&locale).lessons);
        for lesson in &course.lessons {
            let text = lesson.text(&locale);
            println!("  {:>2}  {:<16} {}", lesson.order, lesson.id, text.title);
        }
        return ExitCode::SUCCESS;
    };
    let Some(lesson) = course.lesson(id) else {
        eprintln!("tidepool: no lesson `{id}`; `tidepool lesson` lists them");
        return ExitCode::from(2);
    };
    let mut lesson = lesson.clone();
    if let Some(seed) = seed {
        lesson.seed = seed;
    }
    let sandbox = match prepare(&lesson) {
        Ok(s) => s,
        Err(failure) => {
            eprintln!(
                "tidepool: lesson `{id}` cannot start: its setup line `{}` failed:\n{}",
                failure.line, failure.output
            );
            return ExitCode::from(1);
        }
    };
    let mut guide = LessonGuide {
        lesson: &lesson,
        locale: locale.clone(),
        progress: Progress::new(),
        hints_shown: 0,
        solution_asked: false,
    };
    print!("{}", guide.opening());
    if io::stdin().is_terminal() {
        interactive(sandbox, &mut guide)
    } else {
        let mut text = String::new();
        if let Err(e) = io::stdin().read_to_string(&mut text) {
            eprintln!("tidepool: cannot read standard input: {e}");
            return ExitCode::from(1);
        }
        print!("{}", scripted(sandbox, &mut guide, &text));
        ExitCode::SUCCESS
    }
}

/// The lesson driven by a script: each line echoed as `$ line`.
fn scripted(mut sandbox: Sandbox, guide: &mut LessonGuide, text: &str) -> String {
    sandbox.plain_terminal = true;
    let mut out = String::new();
    for line in script::command_lines(text) {
        if !out.is_empty() && !out.ends_with('\n') {
            out.push('\n');
        }
        for (i, l) in line.split('\n').enumerate() {
            out.push_str(if i == 0 { "$ " } else { "> " });
            out.push_str(l);
            out.push('\n');
        }
        if let Some(reply) = guide.command(line.trim(), &sandbox) {
            out.push_str(&reply);
            continue;
        }
        out.push_str(&script::run_to_end(&mut sandbox, &line).0);
        if !out.ends_with('\n') {
            out.push('\n');
        }
        out.push_str(&guide.after(&sandbox));
    }
    out
}

struct LessonGuide<'a> {
    lesson: &'a Lesson,
    locale: String,
    progress: Progress,
    hints_shown: usize,
    solution_asked: bool,
}

impl LessonGuide<'_> {
    fn words(&self) -> &'static Words {
        words(&self.locale)
    }

    fn opening(&self) -> String {
        let text = self.lesson.text(&self.locale);
        let mut out = format!("# {}\n\n", text.title);
        if !text.intro.trim().is_empty() {
            out.push_str(&text.intro);
            out.push('\n');
        }
        out.push_str(self.words().help);
        out.push_str("\n\n");
        out.push_str(&self.step_text());
        out
    }

    /// The current step's heading and text.
    fn step_text(&self) -> String {
        let n = self.progress.completed();
        let text = self.lesson.text(&self.locale);
        let Some(step) = text.steps.get(n) else {
            return String::new();
        };
        format!(
            "── {} {}/{}: {} ──\n\n{}\n",
            self.words().step,
            n + 1,
            text.steps.len(),
            step.title,
            step.body.trim_end()
        )
    }
}

impl Guide for LessonGuide<'_> {
    fn command(&mut self, line: &str, sandbox: &Sandbox) -> Option<String> {
        if !line.starts_with(':') {
            self.solution_asked = false;
            return None;
        }
        let w = self.words();
        let n = self.progress.completed();
        let text = self.lesson.text(&self.locale);
        let asked = std::mem::take(&mut self.solution_asked);
        let reply = match line {
            ":hint" => match text
                .steps
                .get(n)
                .and_then(|s| s.hints.get(self.hints_shown))
            {
                Some(hint) => {
                    self.hints_shown += 1;
                    format!("{} {}: {hint}\n", w.hint, self.hints_shown)
                }
                None => format!("{}\n", w.no_hint),
            },
            ":check" => {
                let failing = self.progress.failing(self.lesson, sandbox, &self.locale);
                if failing.is_empty() {
                    format!("{}\n", w.passing)
                } else {
                    let mut s = format!("{}\n", w.not_yet);
                    for m in failing {
                        s.push_str(&format!("  - {m}\n"));
                    }
                    s
                }
            }
            ":solution" if asked => match self.lesson.steps.get(n) {
                Some(step) => format!("{}:\n{}", w.solution, step.solution),
                None => String::new(),
            },
            ":solution" => {
                self.solution_asked = true;
                format!("{}\n", w.confirm)
            }
            ":text" => self.step_text(),
            ":quit" | ":q" => std::process::exit(0),
            _ => format!("{}\n", w.unknown),
        };
        Some(reply)
    }

    fn after(&mut self, sandbox: &Sandbox) -> String {
        let newly = self.progress.update(self.lesson, sandbox);
        if newly.is_empty() {
            return String::new();
        }
        let w = self.words();
        let text = self.lesson.text(&self.locale);
        let mut out = String::new();
        for n in newly {
            let title = text.steps.get(n).map(|s| s.title.as_str()).unwrap_or("");
            out.push_str(&format!("✓ {} {} {}: {title}\n", w.step, n + 1, w.done));
        }
        self.hints_shown = 0;
        out.push('\n');
        if self.progress.finished(self.lesson) {
            out.push_str(&format!("{}\n", w.finished));
        } else {
            out.push_str(&self.step_text());
        }
        out
    }
}
