//! The lesson commands as an author and a learner meet them: the real
//! binary, its stdin and stdout.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};

fn tidepool(args: &[&str], stdin: &str) -> (String, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidepool"))
        .args(args)
        .env("LANG", "C")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    child
        .stdin
        .take()
        .expect("piped")
        .write_all(stdin.as_bytes())
        .expect("stdin takes the script");
    let out = child.wait_with_output().expect("it ends");
    let mut text = String::from_utf8_lossy(&out.stdout).to_string();
    text.push_str(&String::from_utf8_lossy(&out.stderr));
    (text, out.status.code().unwrap_or(-1))
}

#[test]
fn a_learner_ticks_every_step_of_the_first_lesson() {
    let input = "docker run hello-world\n:check\n:hint\n:solution\n:solution\ndocker run hello-world\ndocker run --name greeter hello-world\n";
    let (out, code) = tidepool(&["lesson", "hello", "--locale", "en"], input);
    assert_eq!(code, 0);
    assert!(out.starts_with("# Your first container\n"), "{out}");
    assert!(out.contains("── Step 1/3: Say hello ──"));
    assert!(out.contains("✓ Step 1 done: Say hello\n\n── Step 2/3: Run it again ──"));
    assert!(out.contains(
        "$ :check\nNot yet:\n  - There is only one hello-world container so far: each run makes a new one.\n"
    ));
    assert!(out.contains("$ :hint\nHint 1: `docker ps` alone lists only running containers."));
    assert!(out.contains("Type :solution again to see it.\n$ :solution\nReference solution:\ndocker run hello-world\ndocker ps -a\n"));
    assert!(out.contains("✓ Step 3 done: The client and the daemon\n\nLesson complete."));
}

#[test]
fn the_korean_text_is_there_too() {
    let (out, _) = tidepool(
        &["lesson", "hello", "--locale", "ko"],
        "docker run hello-world\n",
    );
    assert!(out.starts_with("# 첫 번째 컨테이너\n"), "{out}");
    assert!(out.contains("✓ 단계 1 완료: 인사해 보기"));
    let (list, code) = tidepool(&["lesson", "--locale=ko"], "");
    assert_eq!(code, 0);
    assert!(
        list.contains("   1  hello            첫 번째 컨테이너\n"),
        "{list}"
    );
}

#[test]
fn an_unknown_lesson_is_refused() {
    let (out, code) = tidepool(&["lesson", "nope"], "");
    assert_eq!(code, 2);
    assert_eq!(
        out,
        "tidepool: no lesson `nope`; `tidepool lesson` lists them\n"
    );
}

fn write(dir: &Path, rel: &str, text: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("has a folder")).expect("mkdir");
    std::fs::write(path, text).expect("write");
}

#[test]
fn check_names_the_file_and_line_of_each_problem() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("check-problems");
    let _ = std::fs::remove_dir_all(&dir);
    write(
        &dir,
        "01-ports.toml",
        r#"id = "ports"
order = 1
setup = "docker pull -q nginx"

[[step]]
id = "publish"
solution = "docker run -d --name web -p 8080:80 nginx"

[[step.check]]
run = "docker images -q nginx | grep -q ."
message = { en = "Pull nginx.", ko = "nginx를 받으세요." }

[[step.check]]
run = "curl -s localhost:8081 | grep -q nginx"
message = { en = "Publish port 80.", ko = "80번 포트를 공개하세요." }
"#,
    );
    let text = "+++\nid = \"ports\"\nlocale = \"LOCALE\"\ntitle = \"Ports\"\n+++\n\n## Publish {#publish}\n\n```sh\ndocker run -d -p 8080:80 nginx\n```\n";
    write(&dir, "en/01-ports.md", &text.replace("LOCALE", "en"));
    let (out, code) = tidepool(&["check", dir.to_str().expect("utf-8")], "");
    assert_eq!(code, 1);
    let shown = dir.display();
    assert!(
        out.contains(&format!(
            "{shown}/01-ports.toml: no ko text: write {shown}/ko/01-ports.md\n"
        )),
        "{out}"
    );
    assert!(
        out.ends_with("0 lessons, 0 steps, 0 checks: 1 problem\n"),
        "{out}"
    );

    write(&dir, "ko/01-ports.md", &text.replace("LOCALE", "ko"));
    let (out, code) = tidepool(&["check", dir.to_str().expect("utf-8")], "");
    assert_eq!(code, 1);
    assert!(out.starts_with(&format!(
        "{shown}/01-ports.toml:9: step `publish`, check 1: passes before the step's solution ran; it must fail on the host the step starts from\n{shown}/01-ports.toml:13: step `publish`, check 2: fails after the step's solution ran:\n    $ curl -s localhost:8081 | grep -q nginx\n"
    )), "{out}");
    assert!(
        out.ends_with("1 lessons, 1 steps, 2 checks: 2 problems\n"),
        "{out}"
    );
}
