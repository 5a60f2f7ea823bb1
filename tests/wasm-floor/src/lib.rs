//! The simulator alone, as a wasm module: the engine and the shell behind
//! what a terminal needs of them, with no UI, no lessons and no markdown.
//! `cargo xtask bench web` builds it the way the site is built and reports
//! its size, the floor under whatever the page weighs.

use std::cell::RefCell;

use tidepool_shell::Sandbox;
use wasm_bindgen::prelude::wasm_bindgen;

thread_local! {
    static SANDBOX: RefCell<Sandbox> = RefCell::new(Sandbox::new(1));
}

/// Runs one line as typed at the prompt; returns what it printed.
#[wasm_bindgen]
pub fn run_line(line: &str) -> String {
    SANDBOX.with(|sandbox| sandbox.borrow_mut().run_line(line).output)
}

/// Lets `ms` of virtual time pass; returns what was printed meanwhile.
#[wasm_bindgen]
pub fn advance(ms: u32) -> String {
    SANDBOX.with(|sandbox| sandbox.borrow_mut().advance(u64::from(ms)))
}

/// Ctrl-C.
#[wasm_bindgen]
pub fn interrupt() -> String {
    SANDBOX.with(|sandbox| sandbox.borrow_mut().interrupt())
}

/// The prompt to show next.
#[wasm_bindgen]
pub fn prompt() -> String {
    SANDBOX.with(|sandbox| sandbox.borrow().prompt())
}

/// Tab at `cursor`: the candidates, one per line.
#[wasm_bindgen]
pub fn complete(line: &str, cursor: usize) -> String {
    SANDBOX.with(|sandbox| {
        let completion = sandbox.borrow().complete(line, cursor);
        completion.candidates.join("\n")
    })
}
