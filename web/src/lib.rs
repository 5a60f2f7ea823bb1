//! Tidepool's browser front end: a Yew app that adapts the sandbox to the DOM.
//!
//! Like Ruffle's `web/`, this crate owns no Docker or shell behaviour. It
//! turns keystrokes into calls on [`tidepool_shell::Sandbox`], draws what the
//! sandbox answers, and feeds it wall-clock time, which the sandbox never
//! reads on its own. The whole app state sits in one reducer ([`app_state`]);
//! components are views of it, named for what the user sees.

mod app;
mod app_state;
mod clock;
mod diagram;
mod editor;
mod i18n;
mod lesson_pane;
mod markdown;
mod persist;
mod terminal;
mod top_bar;

pub use app::{App, AppProps};
pub use i18n::Locale;
use wasm_bindgen::prelude::wasm_bindgen;

/// Mounts the app into the page's `<body>` when the wasm module loads.
#[wasm_bindgen(start)]
pub fn start() {
    // Each visit gets its own names and ids; a seed is a whole f64 mantissa.
    let seed = (js_sys::Math::random() * (1u64 << 53) as f64) as u64;
    let locale = Locale::from_browser();
    yew::Renderer::<App>::with_props(AppProps {
        seed,
        locale,
        keep: true,
    })
    .render();
}

/// Mounts one piece of lesson markdown into `root`, as the lesson pane
/// renders it: for the browser tests of what markdown may become.
#[doc(hidden)]
pub fn render_markdown_for_test(root: web_sys::Element, text: &str) {
    #[derive(yew::Properties, PartialEq)]
    struct Props {
        text: yew::AttrValue,
    }
    #[yew::component]
    fn Only(props: &Props) -> yew::Html {
        yew::html! {
            <markdown::Markdown text={props.text.clone()} on_run={yew::Callback::noop()} words={Locale::En.words()} />
        }
    }
    yew::Renderer::<Only>::with_root_and_props(
        root,
        Props {
            text: text.to_string().into(),
        },
    )
    .render();
}
