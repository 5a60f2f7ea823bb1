//! A lesson's text: TOML front matter between `+++` lines, an intro, then
//! one `## Title {#step-id}` section per step. Inside a step, `> [!TIP]`
//! blocks are hints and `sh` fences are commands. The split is line-based
//! and fence-aware, so a `## ` inside a code block stays text; rendering
//! the markdown is the front end's business.

use crate::course::{line_of, LessonText, Problem, StepText};
use serde::Deserialize;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct FrontMatter {
    id: String,
    locale: String,
    title: String,
    #[serde(default)]
    summary: String,
}

pub(crate) fn parse_text(path: &str, locale: &str, text: &str) -> Result<LessonText, Vec<Problem>> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(rest) = text
        .strip_prefix("+++\n")
        .or_else(|| text.strip_prefix("+++\r\n"))
    else {
        return Err(vec![Problem::new(
            path,
            1,
            "a lesson text starts with front matter: `+++`, id, locale, title, summary, `+++`",
        )]);
    };
    let Some(end) = rest.find("\n+++") else {
        return Err(vec![Problem::new(
            path,
            1,
            "the front matter has no closing `+++`",
        )]);
    };
    let front_text = &rest[..end + 1];
    let front: FrontMatter = match toml::from_str(front_text) {
        Ok(f) => f,
        Err(e) => {
            // Lines of the front matter start at line 2 of the file.
            let line = e
                .span()
                .map(|s| line_of(front_text, s.start) + 1)
                .unwrap_or(1);
            return Err(vec![Problem::new(path, line, e.message().to_string())]);
        }
    };
    let id_line = front_text
        .lines()
        .position(|l| l.trim_start().starts_with("id"))
        .map(|i| i + 2)
        .unwrap_or(1);
    let mut errors = Vec::new();
    if front.locale != locale {
        errors.push(Problem::new(
            path,
            1,
            format!("locale is `{}` but the file is in {locale}/", front.locale),
        ));
    }
    let after = &rest[end + 4..];
    let body = after.split_once('\n').map(|(_, b)| b).unwrap_or("");
    // Line number of the body's first line in the file.
    let first_line = line_of(text, text.len() - body.len());
    let mut intro = String::new();
    let mut steps: Vec<StepText> = Vec::new();
    let mut fence: Option<(char, usize)> = None;
    let mut hint: Option<String> = None;
    // Inside an `sh` fence of the current step: its lines are a command.
    let mut command_open = false;
    for (i, line) in body.lines().enumerate() {
        let number = first_line + i;
        if let Some((ch, len)) = fence {
            if is_fence_close(line, ch, len) {
                fence = None;
                command_open = false;
            } else if command_open {
                if let Some(command) = steps.last_mut().and_then(|s| s.commands.last_mut()) {
                    command.push_str(line);
                    command.push('\n');
                }
            }
            push_line(&mut intro, &mut steps, line);
            continue;
        }
        // A hint goes on while its blockquote does.
        if let Some(h) = hint.as_mut() {
            if let Some(quoted) = line.trim_start().strip_prefix('>') {
                h.push_str(quoted.strip_prefix(' ').unwrap_or(quoted));
                h.push('\n');
                continue;
            }
            let done = hint.take().unwrap_or_default();
            if let Some(step) = steps.last_mut() {
                step.hints.push(done.trim_end().to_string());
            }
        }
        if let Some((ch, len, info)) = fence_open(line) {
            fence = Some((ch, len));
            push_line(&mut intro, &mut steps, line);
            if let Some(step) = steps.last_mut() {
                if info.split_whitespace().next() == Some("sh") {
                    step.commands.push(String::new());
                    command_open = true;
                }
            }
            continue;
        }
        if let Some(heading) = line.strip_prefix("## ") {
            match step_heading(heading) {
                Some((title, id)) => steps.push(StepText {
                    id,
                    title,
                    body: String::new(),
                    hints: Vec::new(),
                    commands: Vec::new(),
                    line: number,
                }),
                None => errors.push(Problem::new(
                    path,
                    number,
                    "a level-2 heading starts a step and needs its id: `## Title {#step-id}` (use ### inside a step)",
                )),
            }
            continue;
        }
        if line.trim() == "> [!TIP]" {
            if steps.is_empty() {
                errors.push(Problem::new(
                    path,
                    number,
                    "a hint belongs to a step; this one is before the first",
                ));
            }
            hint = Some(String::new());
            continue;
        }
        push_line(&mut intro, &mut steps, line);
    }
    if let (Some(h), Some(step)) = (hint, steps.last_mut()) {
        step.hints.push(h.trim_end().to_string());
    }
    if fence.is_some() {
        errors.push(Problem::new(path, 0, "a code fence is never closed"));
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    for step in &mut steps {
        step.body = step.body.trim().to_string() + "\n";
        step.commands.retain(|c| !c.trim().is_empty());
    }
    Ok(LessonText {
        id: front.id,
        id_line,
        locale: front.locale,
        title: front.title,
        summary: front.summary,
        intro: intro.trim().to_string() + "\n",
        steps,
        path: path.to_string(),
    })
}

fn push_line(intro: &mut String, steps: &mut [StepText], line: &str) {
    let target = match steps.last_mut() {
        Some(step) => &mut step.body,
        None => intro,
    };
    target.push_str(line);
    target.push('\n');
}

/// ```` ```lang ```` or `~~~lang`: the fence character, its length and the
/// info string.
fn fence_open(line: &str) -> Option<(char, usize, &str)> {
    let trimmed = line.trim_start();
    if line.len() - trimmed.len() > 3 {
        return None;
    }
    let ch = trimmed.chars().next().filter(|c| *c == '`' || *c == '~')?;
    let len = trimmed.chars().take_while(|c| *c == ch).count();
    (len >= 3).then(|| (ch, len, trimmed[len..].trim()))
}

fn is_fence_close(line: &str, ch: char, len: usize) -> bool {
    let trimmed = line.trim();
    trimmed.chars().take_while(|c| *c == ch).count() >= len && trimmed.chars().all(|c| c == ch)
}

/// `Title {#id}` -> (`Title`, `id`).
fn step_heading(heading: &str) -> Option<(String, String)> {
    let heading = heading.trim_end();
    let open = heading.rfind("{#")?;
    let id = heading[open + 2..].strip_suffix('}')?.trim();
    if id.is_empty() || id.contains(char::is_whitespace) {
        return None;
    }
    Some((heading[..open].trim().to_string(), id.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "+++
id = \"running\"
locale = \"en\"
title = \"Running\"
summary = \"Start things.\"
+++

Intro **text**.

## Start it {#start}

Type this:

```sh
docker run -d --name web nginx
```

> [!TIP]
> First hint
> on two lines.

```text
## not a heading
```

## Look {#look}

> [!NOTE]
> stays in the body

```sh
docker ps
docker logs web
```
> [!TIP]
> Second step's hint.
";

    #[test]
    fn steps_hints_and_commands_come_apart() {
        let t = parse_text("en/03-running.md", "en", TEXT).unwrap();
        assert_eq!(t.id, "running");
        assert_eq!(t.title, "Running");
        assert_eq!(t.intro, "Intro **text**.\n");
        assert_eq!(t.steps.len(), 2);
        let start = &t.steps[0];
        assert_eq!(
            (start.id.as_str(), start.title.as_str(), start.line),
            ("start", "Start it", 10)
        );
        assert_eq!(start.commands, vec!["docker run -d --name web nginx\n"]);
        assert_eq!(start.hints, vec!["First hint\non two lines."]);
        assert!(start.body.contains("## not a heading"));
        assert!(!start.body.contains("First hint"));
        let look = &t.steps[1];
        assert_eq!(look.commands, vec!["docker ps\ndocker logs web\n"]);
        assert_eq!(look.hints, vec!["Second step's hint."]);
        assert!(look.body.contains("> [!NOTE]"));
    }

    #[test]
    fn a_heading_without_an_id_is_reported_with_its_line() {
        let text = TEXT.replace("## Look {#look}", "## Look");
        let errors = parse_text("en/03-running.md", "en", &text).unwrap_err();
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 26);
        assert!(errors[0]
            .to_string()
            .starts_with("en/03-running.md:26: a level-2 heading"));
    }

    #[test]
    fn front_matter_is_required_and_checked() {
        let errors = parse_text("en/x.md", "en", "# Title\n").unwrap_err();
        assert_eq!(errors[0].line, 1);
        let errors = parse_text("ko/x.md", "ko", TEXT).unwrap_err();
        assert!(errors[0]
            .message
            .contains("locale is `en` but the file is in ko/"));
        let bad = TEXT.replace("title = \"Running\"", "title = Running");
        let errors = parse_text("en/x.md", "en", &bad).unwrap_err();
        assert_eq!(errors[0].line, 4);
    }
}
