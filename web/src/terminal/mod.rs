//! The terminal: scrollback, the prompt, and the line being typed.
//!
//! Keystrokes reach a hidden `<textarea>` that keeps the focus. Keys the
//! terminal understands are taken on `keydown`; text an input method composes
//! (Korean), pastes and phone keyboards arrive through `input`, `paste` and
//! `compositionend` on that textarea, which is why it is a textarea and not a
//! focusable `<div>`. Everything is drawn from [`TerminalState`] as text
//! nodes, never as markup.
//!
//! Hooks for tests: `#terminal` (the root, also the scroll container),
//! `.term-line` (one per scrollback line), `#term-input-line` (prompt,
//! typed text and cursor), `.term-prompt` (the live prompt only),
//! `.term-cursor`, and `.term-keys` (the textarea that holds the focus).

mod history;
mod keys;
mod line_editor;
mod scrollback;
mod state;

use gloo_events::EventListener;
use wasm_bindgen::JsCast;
use web_sys::{ClipboardEvent, Element, FocusOptions, HtmlTextAreaElement};
use yew::prelude::*;

use keys::{decide, KeyDecision, Modifiers};
use scrollback::{Line, LineKind, Scrollback};
pub use state::{Edit, TerminalInput, TerminalState};

/// Gives the terminal the keyboard again (after a click on a lesson's
/// "run").
pub fn focus_terminal() {
    let area = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.query_selector(".term-keys").ok().flatten())
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
    if let Some(area) = area {
        let options = FocusOptions::new();
        options.set_prevent_scroll(true);
        let _ = area.focus_with_options(&options);
    }
}

#[derive(Properties, PartialEq)]
pub struct TerminalProps {
    pub state: TerminalState,
    pub on_input: Callback<TerminalInput>,
}

#[component]
pub fn Terminal(props: &TerminalProps) -> Html {
    let root = use_node_ref();
    let keys = use_node_ref();

    use_effect_with((), {
        let keys = keys.clone();
        move |_| focus(&keys)
    });
    use_composition_end(keys.clone(), props.on_input.clone());
    // What part of the scrollback is in view: (scrollTop, clientHeight,
    // one line's height), for drawing only those lines of a long one.
    let view = use_state(|| (0.0f64, 1000.0f64, 0.0f64));
    // Output and typing both bring the bottom line into view, as in a
    // terminal; scrolling back does not.
    {
        let root = root.clone();
        let state = &props.state;
        let shown = (
            state.scrollback.clone(),
            state.editor.clone(),
            state.prompt.clone(),
            state.composing.clone(),
        );
        use_effect_with(shown, move |_| {
            if let Some(root) = root.cast::<Element>() {
                root.set_scroll_top(root.scroll_height());
            }
        });
    }
    {
        let root = root.clone();
        let view = view.clone();
        use_effect(move || {
            if let Some(root) = root.cast::<Element>() {
                let line = root
                    .query_selector(".term-line")
                    .ok()
                    .flatten()
                    .map(|l| l.get_bounding_client_rect().height())
                    .unwrap_or(0.0);
                let now = (
                    f64::from(root.scroll_top()),
                    f64::from(root.client_height()),
                    line,
                );
                if *view != now {
                    view.set(now);
                }
            }
        });
    }
    let onscroll = {
        let root = root.clone();
        let view = view.clone();
        Callback::from(move |_: Event| {
            if let Some(root) = root.cast::<Element>() {
                let now = (
                    f64::from(root.scroll_top()),
                    f64::from(root.client_height()),
                    view.2,
                );
                if *view != now {
                    view.set(now);
                }
            }
        })
    };

    let onkeydown = {
        let on_input = props.on_input.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.is_composing() {
                return;
            }
            let modifiers = Modifiers {
                ctrl: event.ctrl_key(),
                alt: event.alt_key(),
                meta: event.meta_key(),
            };
            match decide(&event.key(), modifiers) {
                // Ctrl-C over selected text copies it, as terminal apps in a
                // browser do; with nothing selected it interrupts.
                KeyDecision::Take(TerminalInput::Edit(Edit::Interrupt)) if has_selection() => {}
                KeyDecision::Take(input) => {
                    event.prevent_default();
                    on_input.emit(input);
                }
                KeyDecision::PassThrough => {}
            }
        })
    };
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |event: InputEvent| {
            let Some(area) = event.target_dyn_into::<HtmlTextAreaElement>() else {
                return;
            };
            if event.is_composing() {
                on_input.emit(TerminalInput::Composing(area.value()));
            } else {
                emit_typed(&area, &on_input);
            }
        })
    };
    let onpaste = {
        let on_input = props.on_input.clone();
        Callback::from(move |event: Event| {
            let text = event
                .dyn_ref::<ClipboardEvent>()
                .and_then(ClipboardEvent::clipboard_data)
                .and_then(|data| data.get_data("text").ok());
            if let Some(text) = text {
                event.prevent_default();
                on_input.emit(TerminalInput::Text(text));
            }
        })
    };
    // A click anywhere focuses the terminal, unless it ended a selection
    // the user wants to copy.
    let onclick = {
        let keys = keys.clone();
        Callback::from(move |_: MouseEvent| {
            if !has_selection() {
                focus(&keys);
            }
        })
    };

    let state = &props.state;
    html! {
        <div id="terminal" class="terminal" ref={root} {onkeydown} {onclick} {onscroll}>
            <ScrollbackLines scrollback={state.scrollback.clone()} window={visible_window(state.scrollback.len(), *view)} />
            <div id="term-input-line" class="term-input-line">
                <textarea
                    ref={keys}
                    class="term-keys"
                    aria-label="Terminal input"
                    autocomplete="off"
                    autocapitalize="off"
                    autocorrect="off"
                    spellcheck="false"
                    rows="1"
                    {oninput}
                    {onpaste}
                />
                if state.secret {
                    // A password being typed: nothing of it is drawn.
                    <InputLine prompt={state.prompt.clone()} before="" composing="" under={None::<char>} after="" />
                } else {
                    <InputLine
                        prompt={state.prompt.clone()}
                        before={AttrValue::from(state.editor.before_cursor().to_string())}
                        composing={state.composing.clone()}
                        under={state.editor.under_cursor()}
                        after={AttrValue::from(state.editor.after_cursor().to_string())}
                    />
                }
            </div>
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct ScrollbackProps {
    scrollback: Scrollback,
    /// Lines `[first, last)` to draw, with the line height in pixels; `None`
    /// draws them all.
    window: Option<(usize, usize, f64)>,
}

/// Below this many lines every line is drawn; above, only those in view
/// (and a margin), between spacers as tall as the lines left out.
const VIRTUAL_FROM: usize = 400;
const MARGIN_LINES: usize = 60;

/// Which lines a scrollback of `len` lines shows at the scroll position
/// `(scrollTop, clientHeight, line height)`.
fn visible_window(len: usize, (top, height, line): (f64, f64, f64)) -> Option<(usize, usize, f64)> {
    if len < VIRTUAL_FROM || line <= 0.0 {
        return None;
    }
    let first = ((top / line) as usize)
        .saturating_sub(MARGIN_LINES)
        .min(len);
    let shown = (height / line).ceil() as usize + 2 * MARGIN_LINES;
    Some((first, (first + shown).min(len), line))
}

/// Past prompts, commands and output. A separate component so typing, which
/// leaves the scrollback as it was, does not re-diff thousands of lines; a
/// long scrollback draws only the lines in view, so 10,000 lines of output
/// scroll as smoothly as ten.
#[component]
fn ScrollbackLines(props: &ScrollbackProps) -> Html {
    let len = props.scrollback.len();
    match props.window {
        None => html! {
            <div class="term-scrollback" role="log" data-lines={len.to_string()}>
                { for props.scrollback.lines().map(scrollback_line) }
            </div>
        },
        Some((first, last, line)) => {
            let above = format!("height: {}px", first as f64 * line);
            let below = format!("height: {}px", (len - last) as f64 * line);
            html! {
                <div class="term-scrollback" role="log" data-lines={len.to_string()}>
                    <div class="term-spacer" style={above} />
                    { for props.scrollback.lines().skip(first).take(last - first).map(scrollback_line) }
                    <div class="term-spacer" style={below} />
                </div>
            }
        }
    }
}

fn scrollback_line(line: &Line) -> Html {
    match &line.kind {
        LineKind::Command { prompt, text } => html! {
            <div key={line.id} class="term-line term-command">
                <span class="term-line-prompt">{ prompt.clone() }</span>
                { text.clone() }
            </div>
        },
        // A `<br>` gives a blank line its height and its "\n" in innerText.
        LineKind::Output(text) if text.is_empty() => html! {
            <div key={line.id} class="term-line"><br /></div>
        },
        LineKind::Output(text) => html! {
            <div key={line.id} class="term-line">{ text.clone() }</div>
        },
        LineKind::Api(call) => html! {
            <div key={line.id} class="term-line term-api">{ format!("→ {call}") }</div>
        },
    }
}

#[derive(Properties, PartialEq)]
struct InputLineProps {
    prompt: AttrValue,
    before: AttrValue,
    composing: AttrValue,
    under: Option<char>,
    after: AttrValue,
}

/// The prompt and the line being typed, with a block cursor on the character
/// under it (or on a space at the end of the line).
#[component]
fn InputLine(props: &InputLineProps) -> Html {
    // A newline under the cursor (in a recalled multi-line command) would
    // make the block vanish; put the block on a space before it instead.
    let (cursor, after) = match props.under {
        None => (" ".to_string(), props.after.to_string()),
        Some('\n') => (" ".to_string(), format!("\n{}", props.after)),
        Some(c) => (c.to_string(), props.after.to_string()),
    };
    html! {
        <>
            <span class="term-prompt">{ props.prompt.clone() }</span>
            <span class="term-typed">{ props.before.clone() }</span>
            <span class="term-composing">{ props.composing.clone() }</span>
            <span class="term-cursor">{ cursor }</span>
            <span class="term-typed">{ after }</span>
        </>
    }
}

/// Hands the input method's finished text to the terminal. Yew has no
/// `oncompositionend`, so the listener is attached by hand.
#[hook]
fn use_composition_end(keys: NodeRef, on_input: Callback<TerminalInput>) {
    use_effect_with(on_input, move |on_input| {
        let on_input = on_input.clone();
        let listener = keys.cast::<HtmlTextAreaElement>().map(|area| {
            let target = area.clone();
            EventListener::new(&target, "compositionend", move |_| {
                emit_typed(&area, &on_input)
            })
        });
        move || drop(listener)
    });
}

/// Moves what the textarea holds into the line: the textarea is only a
/// funnel and stays empty between keystrokes.
fn emit_typed(area: &HtmlTextAreaElement, on_input: &Callback<TerminalInput>) {
    let text = area.value();
    if !text.is_empty() {
        area.set_value("");
        on_input.emit(TerminalInput::Text(text));
    }
}

fn focus(keys: &NodeRef) {
    if let Some(area) = keys.cast::<HtmlTextAreaElement>() {
        let options = FocusOptions::new();
        options.set_prevent_scroll(true);
        // Focusing can only fail for a detached element, which a mounted
        // terminal's textarea never is.
        let _ = area.focus_with_options(&options);
    }
}

fn has_selection() -> bool {
    web_sys::window()
        .and_then(|window| window.get_selection().ok().flatten())
        .is_some_and(|selection| !selection.is_collapsed())
}
