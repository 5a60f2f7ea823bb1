//! The app in a real browser, driven by `KeyboardEvent`s as a keyboard
//! would drive it. Run with `wasm-bindgen-test-runner` (headless Chrome).

use gloo_timers::future::TimeoutFuture;
use tidepool_web::{App, AppProps};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement, KeyboardEvent, KeyboardEventInit};

wasm_bindgen_test_configure!(run_in_browser);

const PROMPT: &str = "root@tidepool:~# ";

/// A freshly mounted app in its own `<div>`.
struct Page {
    root: Element,
}

impl Page {
    async fn open() -> Page {
        let document = web_sys::window().unwrap().document().unwrap();
        let root = document.create_element("div").unwrap();
        document.body().unwrap().append_child(&root).unwrap();
        yew::Renderer::<App>::with_root_and_props(root.clone(), AppProps { seed: 1 }).render();
        let page = Page { root };
        page.settle().await;
        page
    }

    /// Lets Yew finish rendering what the last events changed.
    async fn settle(&self) {
        TimeoutFuture::new(0).await;
    }

    fn find(&self, selector: &str) -> Element {
        self.root
            .query_selector(selector)
            .unwrap()
            .unwrap_or_else(|| panic!("no {selector}"))
    }

    /// Where the keys go: the element that has the focus after mounting.
    fn focused(&self) -> Element {
        let document = web_sys::window().unwrap().document().unwrap();
        let active = document.active_element().expect("something has the focus");
        assert!(
            self.find("#terminal").contains(Some(&active)),
            "the terminal has the focus"
        );
        active
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

    async fn press(&self, key: &str) {
        self.key_with(key, false);
        self.settle().await;
    }

    async fn ctrl(&self, key: &str) {
        self.key_with(key, true);
        self.settle().await;
    }

    async fn type_text(&self, text: &str) {
        for c in text.chars() {
            let not_cancelled = self.key_with(&c.to_string(), false);
            assert!(!not_cancelled, "the terminal takes the key {c:?}");
        }
        self.settle().await;
    }

    fn lines(&self) -> Vec<String> {
        let lines = self.root.query_selector_all(".term-line").unwrap();
        (0..lines.length())
            .map(|i| lines.item(i).unwrap().text_content().unwrap_or_default())
            .collect()
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

    page.type_text("echo hi").await;
    assert_eq!(page.input_line(), format!("{PROMPT}echo hi "));

    page.press("Enter").await;
    let lines = page.lines();
    assert_eq!(
        lines.first().map(String::as_str),
        Some(&*format!("{PROMPT}echo hi"))
    );
    assert!(
        lines.len() >= 2,
        "the command's output follows its line: {lines:?}"
    );
    assert!(lines[1].ends_with("hi"), "{lines:?}");
    assert_eq!(
        page.input_line(),
        format!("{PROMPT} "),
        "a fresh, empty prompt"
    );
}

#[wasm_bindgen_test]
async fn arrows_home_and_end_move_the_cursor_and_edits_land_there() {
    let page = Page::open().await;
    page.type_text("docker pss").await;
    page.press("Backspace").await;
    page.press("Home").await;
    assert_eq!(page.cursor(), "d");
    page.ctrl("e").await;
    page.press("ArrowLeft").await;
    assert_eq!(page.cursor(), "s");
    page.ctrl("a").await;
    page.press("Delete").await;
    page.type_text("D").await;
    page.press("End").await;
    assert_eq!(page.input_line(), format!("{PROMPT}Docker ps "));
}

#[wasm_bindgen_test]
async fn ctrl_c_abandons_the_line_and_up_recalls_the_last_command() {
    let page = Page::open().await;
    page.type_text("docker ps").await;
    page.press("Enter").await;
    page.type_text("docker rm web").await;
    page.ctrl("c").await;
    assert_eq!(
        page.lines().last().unwrap(),
        &format!("{PROMPT}docker rm web^C")
    );
    assert_eq!(page.input_line(), format!("{PROMPT} "));

    page.press("ArrowUp").await;
    assert_eq!(page.input_line(), format!("{PROMPT}docker ps "));
    page.press("ArrowDown").await;
    assert_eq!(page.input_line(), format!("{PROMPT} "));
}

#[wasm_bindgen_test]
async fn ctrl_l_clears_the_screen() {
    let page = Page::open().await;
    page.type_text("echo one").await;
    page.press("Enter").await;
    page.type_text("ls").await;
    page.ctrl("l").await;
    assert!(page.lines().is_empty());
    assert_eq!(page.input_line(), format!("{PROMPT}ls "));
}

#[wasm_bindgen_test]
async fn markup_in_a_command_is_shown_as_text() {
    let page = Page::open().await;
    page.type_text("echo '<img src=x onerror=alert(1)>'").await;
    page.press("Enter").await;
    assert_eq!(
        page.lines()[0],
        format!("{PROMPT}echo '<img src=x onerror=alert(1)>'")
    );
    assert!(page.root.query_selector("#terminal img").unwrap().is_none());
}

#[wasm_bindgen_test]
async fn a_click_in_the_scrollback_gives_the_focus_back() {
    let page = Page::open().await;
    let keys = page.focused();
    keys.dyn_ref::<HtmlElement>().unwrap().blur().unwrap();
    page.find("#terminal")
        .dyn_ref::<HtmlElement>()
        .unwrap()
        .click();
    page.settle().await;
    assert_eq!(page.focused(), keys);
}
