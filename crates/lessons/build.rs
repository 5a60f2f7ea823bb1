//! Bundles the repository's `lessons/` folder into the crate, so the web app
//! and the native binary carry the course without reading files at run time.
//! The course is read here, with the crate's own reader (`src/course.rs`,
//! `src/markdown.rs`), and handed over as JSON: the browser's first prompt
//! does not wait for TOML and markdown parsing, and the web app's wasm
//! carries no TOML parser.

use std::path::{Path, PathBuf};

// The reader's items the build does not use are used by the crate.
#[allow(dead_code)]
#[path = "src/course.rs"]
mod course;
#[allow(dead_code)]
#[path = "src/markdown.rs"]
mod markdown;

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../../lessons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut texts = Vec::new();
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        let text = std::fs::read_to_string(abs)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", abs.display()));
        texts.push((rel.clone(), text));
    }
    let parsed = course::Course::partial("lessons", texts);
    let json = serde_json::to_string(&parsed).expect("a course has a JSON form");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("course.json");
    std::fs::write(dest, json).expect("OUT_DIR is writable");
}

/// Lesson files: `*.toml` at the top, `*.md` one folder down (a locale).
fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        let rel = path
            .strip_prefix(root)
            .map(|p| p.to_string_lossy().replace('\\', "/"))
            .unwrap_or_default();
        let depth = rel.matches('/').count();
        if path.is_dir() && depth == 0 {
            println!("cargo:rerun-if-changed={}", path.display());
            collect(root, &path, files);
        } else if (depth == 0 && rel.ends_with(".toml")) || (depth == 1 && rel.ends_with(".md")) {
            files.push((rel, path));
        }
    }
}
