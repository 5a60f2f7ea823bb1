//! Lesson markdown to Yew nodes, through pulldown-cmark's events. Nothing
//! is ever handed to the browser as HTML: raw HTML in a lesson becomes
//! text, links go only to http(s) pages, and images show their alt text. A
//! lesson can never inject markup or script.
//!
//! A fenced block marked `sh` is a command: it gets a "run" button, which
//! types it into the terminal, and a "copy" button.

use pulldown_cmark::{
    BlockQuoteKind, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd,
};
use yew::prelude::*;

use crate::i18n::Words;

#[derive(Properties, PartialEq)]
pub struct MarkdownProps {
    pub text: AttrValue,
    /// A command block's "run": the block's text, each line ending in `\n`.
    pub on_run: Callback<String>,
    pub words: &'static Words,
}

/// One lesson fragment, rendered.
#[component]
pub fn Markdown(props: &MarkdownProps) -> Html {
    render(&props.text, &props.on_run, props.words)
}

/// An element being built: its tag (or what it becomes) and its children.
enum Frame {
    Element(&'static str, Vec<Html>),
    Alert(BlockQuoteKind, Vec<Html>),
    Link(Option<String>, Vec<Html>),
    /// Alt text of an image, gathered as plain text.
    Image(String),
    Code(Option<String>, String),
}

pub fn render(text: &str, on_run: &Callback<String>, words: &'static Words) -> Html {
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_GFM
        | Options::ENABLE_HEADING_ATTRIBUTES;
    let mut stack: Vec<Frame> = vec![Frame::Element("div", Vec::new())];
    for event in Parser::new_ext(text, options) {
        match event {
            Event::Start(tag) => stack.push(open(tag)),
            Event::End(end) => {
                let Some(frame) = stack.pop() else { continue };
                let node = close(frame, end, on_run, words);
                push(&mut stack, node);
            }
            Event::Text(t) => match stack.last_mut() {
                Some(Frame::Code(_, code)) => code.push_str(&t),
                Some(Frame::Image(alt)) => alt.push_str(&t),
                _ => push(&mut stack, html! { { t.to_string() } }),
            },
            Event::Code(t) => push(&mut stack, html! { <code>{ t.to_string() }</code> }),
            // Raw HTML is shown as what it is: text.
            Event::Html(t) | Event::InlineHtml(t) => match stack.last_mut() {
                Some(Frame::Code(_, code)) => code.push_str(&t),
                _ => push(&mut stack, html! { { t.to_string() } }),
            },
            Event::SoftBreak => push(&mut stack, html! { { " " } }),
            Event::HardBreak => push(&mut stack, html! { <br /> }),
            Event::Rule => push(&mut stack, html! { <hr /> }),
            Event::TaskListMarker(done) => {
                push(&mut stack, html! { { if done { "☑ " } else { "☐ " } } })
            }
            Event::FootnoteReference(t) | Event::InlineMath(t) | Event::DisplayMath(t) => {
                push(&mut stack, html! { { t.to_string() } })
            }
        }
    }
    // Unbalanced events cannot happen with pulldown-cmark, but a stack
    // left deeper than one still renders everything it holds.
    while stack.len() > 1 {
        if let Some(frame) = stack.pop() {
            let node = close(frame, TagEnd::Paragraph, on_run, words);
            push(&mut stack, node);
        }
    }
    match stack.pop() {
        Some(Frame::Element(_, children)) => html! { <div class="markdown">{ for children }</div> },
        _ => Html::default(),
    }
}

fn open(tag: Tag) -> Frame {
    match tag {
        Tag::Paragraph => Frame::Element("p", Vec::new()),
        Tag::Heading { level, .. } => Frame::Element(
            match level {
                // A lesson's own headings sit under the step's title.
                HeadingLevel::H1 | HeadingLevel::H2 | HeadingLevel::H3 => "h3",
                HeadingLevel::H4 => "h4",
                _ => "h5",
            },
            Vec::new(),
        ),
        Tag::BlockQuote(Some(kind)) => Frame::Alert(kind, Vec::new()),
        Tag::BlockQuote(None) => Frame::Element("blockquote", Vec::new()),
        Tag::CodeBlock(CodeBlockKind::Fenced(info)) => Frame::Code(
            info.split_whitespace().next().map(str::to_string),
            String::new(),
        ),
        Tag::CodeBlock(CodeBlockKind::Indented) => Frame::Code(None, String::new()),
        Tag::List(Some(_)) => Frame::Element("ol", Vec::new()),
        Tag::List(None) => Frame::Element("ul", Vec::new()),
        Tag::Item => Frame::Element("li", Vec::new()),
        Tag::Table(_) => Frame::Element("table", Vec::new()),
        Tag::TableHead => Frame::Element("thead", Vec::new()),
        Tag::TableRow => Frame::Element("tr", Vec::new()),
        Tag::TableCell => Frame::Element("td", Vec::new()),
        Tag::Emphasis => Frame::Element("em", Vec::new()),
        Tag::Strong => Frame::Element("strong", Vec::new()),
        Tag::Strikethrough => Frame::Element("del", Vec::new()),
        Tag::Link { dest_url, .. } => Frame::Link(safe_href(&dest_url), Vec::new()),
        Tag::Image { .. } => Frame::Image(String::new()),
        _ => Frame::Element("span", Vec::new()),
    }
}

fn close(frame: Frame, _end: TagEnd, on_run: &Callback<String>, words: &'static Words) -> Html {
    match frame {
        Frame::Element(tag, children) => html! { <@{tag}>{ for children }</@> },
        Frame::Alert(kind, children) => {
            let class = match kind {
                BlockQuoteKind::Note => "alert alert-note",
                BlockQuoteKind::Tip => "alert alert-tip",
                BlockQuoteKind::Important => "alert alert-important",
                BlockQuoteKind::Warning => "alert alert-warning",
                BlockQuoteKind::Caution => "alert alert-caution",
            };
            html! { <blockquote {class}>{ for children }</blockquote> }
        }
        Frame::Link(Some(href), children) => html! {
            <a {href} target="_blank" rel="noopener noreferrer">{ for children }</a>
        },
        Frame::Link(None, children) => html! { <span>{ for children }</span> },
        Frame::Image(alt) => html! { <span class="image-alt">{ alt }</span> },
        Frame::Code(lang, code) if lang.as_deref() == Some("sh") => html! {
            <CommandBlock command={AttrValue::from(code)} on_run={on_run.clone()} {words} />
        },
        Frame::Code(lang, code) => {
            let class = lang
                .map(|l| format!("code-block lang-{l}"))
                .unwrap_or_else(|| "code-block".into());
            html! { <pre {class}><code>{ code }</code></pre> }
        }
    }
}

fn push(stack: &mut [Frame], node: Html) {
    // Text inside an image or a code block was gathered already.
    if let Some(
        Frame::Element(_, children) | Frame::Alert(_, children) | Frame::Link(_, children),
    ) = stack.last_mut()
    {
        children.push(node)
    }
}

/// Only web pages: `javascript:` and `data:` URLs never become links.
fn safe_href(url: &str) -> Option<String> {
    let lower = url.trim().to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| url.trim().to_string())
}

#[derive(Properties, PartialEq)]
pub struct CommandBlockProps {
    pub command: AttrValue,
    pub on_run: Callback<String>,
    pub words: &'static Words,
}

/// A command from a lesson, with "run" and "copy".
#[component]
pub fn CommandBlock(props: &CommandBlockProps) -> Html {
    let run = {
        let on_run = props.on_run.clone();
        let command = props.command.clone();
        Callback::from(move |_: MouseEvent| {
            let mut text = command.to_string();
            if !text.ends_with('\n') {
                text.push('\n');
            }
            on_run.emit(text)
        })
    };
    let copy = {
        let command = props.command.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(window) = web_sys::window() {
                let _ = window
                    .navigator()
                    .clipboard()
                    .write_text(command.trim_end());
            }
        })
    };
    html! {
        <div class="command-block">
            <pre><code>{ props.command.trim_end().to_string() }</code></pre>
            <div class="command-buttons">
                <button class="run-button" onclick={run}>{ props.words.run }</button>
                <button class="copy-button" onclick={copy}>{ props.words.copy }</button>
            </div>
        </div>
    }
}
