//! Lesson markdown in a real browser: raw HTML and script URLs in a lesson
//! come out as text, never as elements.

use gloo_timers::future::TimeoutFuture;
use tidepool_web::render_markdown_for_test;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
async fn raw_html_in_a_lesson_is_text() {
    let document = web_sys::window().unwrap().document().unwrap();
    let root = document.create_element("div").unwrap();
    document.body().unwrap().append_child(&root).unwrap();
    let lesson = "Hello <img src=x onerror=alert(1)> there.\n\n<script>alert(2)</script>\n\n[click](javascript:alert(3)) and [docs](https://docs.docker.com/)\n\n```sh\ndocker ps\n```\n";
    render_markdown_for_test(root.clone(), lesson);
    TimeoutFuture::new(50).await;
    assert_eq!(root.query_selector_all("img").unwrap().length(), 0);
    assert_eq!(root.query_selector_all("script").unwrap().length(), 0);
    let text = root.text_content().unwrap();
    assert!(text.contains("<img src=x onerror=alert(1)>"), "{text}");
    assert!(text.contains("<script>alert(2)</script>"), "{text}");
    let links = root.query_selector_all("a").unwrap();
    assert_eq!(links.length(), 1, "only the https link is a link");
    let run = root.query_selector(".command-block .run-button").unwrap();
    assert!(run.is_some(), "an sh block gets a run button");
}
