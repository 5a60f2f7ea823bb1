//! Where things are, and how to run a command so it finds the pinned tools.
//!
//! The tools xtask installs live in two user-wide places that survive a fresh
//! clone: cargo's bin directory (trunk, wasm-bindgen, wasm-bindgen-test-runner)
//! and `~/.cache/tidepool/npm` (binaryen's wasm-opt, playwright-core). Every
//! command xtask starts gets both first on its PATH, so trunk, which looks
//! tools up on PATH, picks the pinned versions and never downloads its own.

use std::env;
use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

pub struct Workspace {
    pub root: PathBuf,
    pub npm_prefix: PathBuf,
    path: OsString,
}

impl Workspace {
    pub fn locate() -> Workspace {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .parent()
            .expect("xtask sits one level below the workspace root")
            .to_path_buf();
        let home = env::var_os("HOME").map(PathBuf::from).unwrap_or_default();
        let cargo_home = env::var_os("CARGO_HOME")
            .map(PathBuf::from)
            .unwrap_or_else(|| home.join(".cargo"));
        let cargo_bin = cargo_home.join("bin");
        let npm_prefix = home.join(".cache/tidepool/npm");
        let inherited = env::var_os("PATH").unwrap_or_default();
        let dirs = [cargo_bin, npm_prefix.join("node_modules/.bin")]
            .into_iter()
            .chain(env::split_paths(&inherited));
        let path = env::join_paths(dirs).expect("PATH entries contain no separator");
        Workspace {
            root,
            npm_prefix,
            path,
        }
    }

    pub fn dist(&self) -> PathBuf {
        self.root.join("dist")
    }

    pub fn npm_modules(&self) -> PathBuf {
        self.npm_prefix.join("node_modules")
    }

    pub fn wasm_opt(&self) -> PathBuf {
        self.npm_modules().join(".bin/wasm-opt")
    }

    /// A command run from the workspace root with the pinned tools first on PATH.
    pub fn command(&self, program: impl AsRef<std::ffi::OsStr>) -> Command {
        let mut command = Command::new(program);
        command.current_dir(&self.root).env("PATH", &self.path);
        command
    }

    /// `cargo`, the same one (and toolchain) that is running xtask.
    pub fn cargo(&self) -> Command {
        self.command(env::var_os("CARGO").unwrap_or_else(|| "cargo".into()))
    }

    /// The first `name` on our PATH, if any.
    pub fn find(&self, name: &str) -> Option<PathBuf> {
        env::split_paths(&self.path)
            .map(|dir| dir.join(name))
            .find(|candidate| candidate.is_file())
    }
}

/// Runs `command` with inherited stdio; an error names the command and its status.
pub fn run(command: &mut Command) -> Result<(), String> {
    println!("$ {}", display(command));
    let status = command
        .status()
        .map_err(|e| format!("cannot start `{}`: {e}", display(command)))?;
    if status.success() {
        Ok(())
    } else {
        Err(format!("`{}` failed ({status})", display(command)))
    }
}

/// The first line `program --version` prints, or None if it cannot run.
pub fn version_line(program: &Path, arg: &str) -> Option<String> {
    let output = Command::new(program).arg(arg).output().ok()?;
    if !output.status.success() {
        return None;
    }
    let stdout = String::from_utf8_lossy(&output.stdout);
    stdout.lines().next().map(|line| line.trim().to_owned())
}

pub fn display(command: &Command) -> String {
    // The program's name, not the full path of the toolchain's cargo.
    let program = Path::new(command.get_program());
    let mut text = program
        .file_name()
        .unwrap_or(program.as_os_str())
        .to_string_lossy()
        .into_owned();
    for arg in command.get_args() {
        text.push(' ');
        text.push_str(&arg.to_string_lossy());
    }
    text
}

/// `1m 05s` or `4.2s`: short enough for a summary column.
pub fn elapsed(duration: Duration) -> String {
    let secs = duration.as_secs();
    if secs >= 60 {
        format!("{}m {:02}s", secs / 60, secs % 60)
    } else {
        format!("{:.1}s", duration.as_secs_f64())
    }
}
