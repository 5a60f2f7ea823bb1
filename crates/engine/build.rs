//! Turns the image catalog (`catalog/images.toml`, written by people) into
//! JSON (read by the engine). Reading JSON at start-up is a fraction of
//! parsing TOML, and the browser app waits for the catalog before its first
//! prompt. Field checking stays at run time, in the engine's own types.

use std::env;
use std::fs;
use std::path::PathBuf;

fn main() {
    let source = "catalog/images.toml";
    println!("cargo::rerun-if-changed={source}");
    let text = fs::read_to_string(source).unwrap_or_else(|e| panic!("cannot read {source}: {e}"));
    let value: toml::Value =
        toml::from_str(&text).unwrap_or_else(|e| panic!("{source} is not valid TOML: {e}"));
    let json =
        serde_json::to_string(&value).unwrap_or_else(|e| panic!("{source} has no JSON form: {e}"));
    let out = PathBuf::from(env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    fs::write(out.join("catalog.json"), json).expect("OUT_DIR is writable");
}
