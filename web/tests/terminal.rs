//! The app in a real browser, driven by `KeyboardEvent`s as a keyboard
//! would drive it. Run with `wasm-bindgen-test-runner` (headless Chrome).

use std::fmt::Debug;

use gloo_timers::future::TimeoutFuture;
use tidepool_web::{App, AppProps, Locale};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const PROMPT: &str = "root@tidepool:~# ";

/// A freshly mounted app in its own `<div>`.
/// Waits (up to two seconds) for `read` to give `want`, for Yew renders on
/// later turns of the event loop; then asserts it does.
async fn eventually<T: PartialEq + Debug>(what: &str, read: impl Fn() -> T, want: T) {
    for _ in 0..200 {
        if read() == want {
            return;
        }
        TimeoutFuture::new(10).await;
    }
    assert_eq!(read(), want, "{what}");
}

struct Page {
    root: Element,
}

impl Page {
    async fn open() -> Page {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<App>::with_root_and_props(
            root.clone(),
            AppProps {
                seed: 1,
                locale: Locale::En,
                keep: false,
            },
        )
        .render();
        let page = Page { root };
        // Yew renders, and then runs the effect that focuses the terminal,
        // on later turns of the event loop.
        eventually("the terminal has the focus", || page.has_focus(), true).await;
        page
    }

    fn has_focus(&self) -> bool {
        let document = web_sys::window().unwrap().document().unwrap();
        let terminal = self.root.query_selector("#terminal").unwrap();
        match (terminal, document.active_element()) {
            (Some(terminal), Some(active)) => terminal.contains(Some(&active)),
            _ => false,
        }
    }

    fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    /// Where the keys go: the element that has the focus after mounting.
    fn focused(&self) -> Element {
        assert!(self.has_focus(), "the terminal has the focus");
        let document = web_sys::window().unwrap().document().unwrap();
        document.active_element().unwrap()
    }

    fn key_with(&self, key: &str, ctrl: bool) -> bool {
        let init = KeyboardEventInit::new();
        init.set_key(key);
        init.set_ctrl_key(ctrl);
        init.set_bubbles(true);
        init.set_cancelable(true);
        let event = KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
        self.focused().dispatch_event(&event).unwrap()
    }

    fn press(&self, key: &str) {
        let not_cancelled = self.key_with(key, false);
        assert!(!not_cancelled, "the terminal takes {key}");
    }

    fn ctrl(&self, key: &str) {
        let not_cancelled = self.key_with(key, true);
        assert!(!not_cancelled, "the terminal takes Ctrl-{key}");
    }

    fn type_text(&self, text: &str) {
        for c in text.chars() {
            self.press(&c.to_string());
        }
    }

    async fn expect_input_line(&self, typed: &str) {
        let want = format!("{PROMPT}{typed} ");
        eventually("the input line", || self.input_line(), want).await;
    }

    async fn expect_cursor_on(&self, c: &str) {
        eventually(
            "the character under the cursor",
            || self.cursor(),
            c.to_string(),
        )
        .await;
    }

    fn lines(&self) -> Vec<String> {
        let lines = self.root.query_selector_all(".term-line").unwrap();
        (0..lines.length())
            .map(|i| lines.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
    }

    /// The scrollback once it has `count` lines.
    async fn lines_when(&self, count: usize) -> Vec<String> {
        eventually("the number of lines", || self.lines().len() >= count, true).await;
        self.lines()
    }

    fn input_line(&self) -> String {
        self.find("#term-input-line")
            .text_content()
            .unwrap_or_default()
    }

    fn cursor(&self) -> String {
        self.find(".term-cursor").text_content().unwrap_or_default()
    }
}

#[wasm_bindgen_test]
async fn typed_command_is_echoed_after_the_prompt_and_its_outcome_follows() {
    let page = Page::open().await;
    assert_eq!(page.find(".term-prompt").text_content().unwrap(), PROMPT);

    page.type_text("echo hi");
    page.expect_input_line("echo hi").await;

    page.press("Enter");
    let lines = page.lines_when(2).await;
    page.expect_input_line("").await;
    assert_eq!(lines[0], format!("{PROMPT}echo hi"));
    assert_eq!(lines[1], "hi", "the output follows: {lines:?}");
}

#[wasm_bindgen_test]
async fn arrows_home_and_end_move_the_cursor_and_edits_land_there() {
    let page = Page::open().await;
    page.type_text("docker pss");
    page.press("Backspace");
    page.press("Home");
    page.expect_cursor_on("d").await;
    page.ctrl("e");
    page.press("ArrowLeft");
    page.expect_cursor_on("s").await;
    page.ctrl("a");
    page.press("Delete");
    page.type_text("D");
    page.press("End");
    page.expect_input_line("Docker ps").await;
}

#[wasm_bindgen_test]
async fn ctrl_c_abandons_the_line_and_up_recalls_the_last_command() {
    let page = Page::open().await;
    page.type_text("docker ps");
    page.press("Enter");
    page.type_text("docker rm web");
    page.ctrl("c");
    let last = || page.lines().last().cloned().unwrap_or_default();
    eventually("the last line", last, format!("{PROMPT}docker rm web^C")).await;
    page.expect_input_line("").await;

    page.press("ArrowUp");
    page.expect_input_line("docker ps").await;
    page.press("ArrowDown");
    page.expect_input_line("").await;
}

#[wasm_bindgen_test]
async fn ctrl_l_clears_the_screen() {
    let page = Page::open().await;
    page.type_text("echo one");
    page.press("Enter");
    page.lines_when(1).await;
    page.type_text("ls");
    page.ctrl("l");
    page.expect_input_line("ls").await;
    assert_eq!(page.lines(), Vec::<String>::new());
}

#[wasm_bindgen_test]
async fn markup_in_a_command_is_shown_as_text() {
    let page = Page::open().await;
    page.type_text("echo '<img src=x onerror=alert(1)>'");
    page.press("Enter");
    let lines = page.lines_when(1).await;
    assert_eq!(
        lines[0],
        format!("{PROMPT}echo '<img src=x onerror=alert(1)>'")
    );
    assert!(page.root.query_selector("#terminal img").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_click_in_the_scrollback_gives_the_focus_back() {
    let page = Page::open().await;
    page.focused()
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .blur()
        .unwrap();
    assert!(!page.has_focus());
    page.find("#terminal")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    eventually("the terminal has the focus", || page.has_focus(), true).await;
}
