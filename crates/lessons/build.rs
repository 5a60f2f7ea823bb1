//! Bundles the repository's `lessons/` folder into the crate, so the web app
//! and the native binary carry the course without reading files at run time.

use std::path::{Path, PathBuf};

fn main() {
    let manifest = PathBuf::from(std::env::var("CARGO_MANIFEST_DIR").expect("cargo sets it"));
    let root = manifest.join("../../lessons");
    println!("cargo:rerun-if-changed={}", root.display());
    let mut files = Vec::new();
    collect(&root, &root, &mut files);
    files.sort();
    let mut out = String::from("/// `(path under lessons/, text)` for every lesson file.\nconst BUNDLED: &[(&str, &str)] = &[\n");
    for (rel, abs) in &files {
        println!("cargo:rerun-if-changed={}", abs.display());
        out.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            abs.display().to_string()
        ));
    }
    out.push_str("];\n");
    let dest = PathBuf::from(std::env::var("OUT_DIR").expect("cargo sets it")).join("bundled.rs");
    std::fs::write(dest, out).expect("OUT_DIR is writable");
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
