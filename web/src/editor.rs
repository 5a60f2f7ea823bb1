//! The editor `nano FILE`, `vi FILE` and `edit FILE` open: a text area over
//! the page, for the file as the shell that asked sees it (the machine's or
//! a container's). Ctrl-S saves, Esc closes; closing with unsaved changes
//! asks first.
//!
//! Hooks for tests: `#editor`, `#editor-text`, `#editor-save`,
//! `#editor-close`, `.editor-status`.

use tidepool_shell::EditRequest;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::i18n::Words;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub request: EditRequest,
    /// What the last save said (`Saved`, or why it failed).
    pub status: Option<AttrValue>,
    pub words: &'static Words,
    pub on_save: Callback<String>,
    pub on_close: Callback<()>,
}

#[component]
pub fn Editor(props: &EditorProps) -> Html {
    let area = use_node_ref();
    let dirty = use_state(|| false);
    // The text is put in once, when a file opens: a re-render (the dirty
    // mark, a save's status) must not put back what was typed over.
    {
        let area = area.clone();
        let opened = (props.request.path.clone(), props.request.container.clone());
        let text = props.request.text.clone();
        use_effect_with(opened, move |_| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                area.set_value(&text);
                let _ = area.focus();
            }
        });
    }
    let words = props.words;
    let save = {
        let area = area.clone();
        let dirty = dirty.clone();
        let on_save = props.on_save.clone();
        Callback::from(move |_: ()| {
            if let Some(area) = area.cast::<HtmlTextAreaElement>() {
                on_save.emit(area.value());
                dirty.set(false);
            }
        })
    };
    let close = {
        let dirty = dirty.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |_: ()| {
            let sure = !*dirty
                || web_sys::window()
                    .and_then(|w| w.confirm_with_message(words.editor_discard).ok())
                    .unwrap_or(false);
            if sure {
                on_close.emit(());
            }
        })
    };
    let onkeydown = {
        let (save, close) = (save.clone(), close.clone());
        Callback::from(move |e: KeyboardEvent| {
            let ctrl = e.ctrl_key() || e.meta_key();
            match e.key().as_str() {
                "s" | "S" | "o" | "O" if ctrl => {
                    e.prevent_default();
                    save.emit(());
                }
                "x" | "X" if ctrl => {
                    e.prevent_default();
                    close.emit(());
                }
                "Escape" => {
                    e.prevent_default();
                    close.emit(());
                }
                _ => {}
            }
        })
    };
    let oninput = {
        let dirty = dirty.clone();
        Callback::from(move |_: InputEvent| dirty.set(true))
    };
    let place = match &props.request.container {
        None => props.request.path.clone(),
        Some(id) => format!("{}:{}", &id[..12.min(id.len())], props.request.path),
    };
    html! {
        <div id="editor" class="editor-overlay" role="dialog" aria-label={place.clone()}>
            <div class="editor">
                <div class="editor-title">{ format!("GNU nano — {place}") }{ if *dirty { " *" } else { "" } }</div>
                <textarea id="editor-text" ref={area} spellcheck="false" autocapitalize="off"
                    {onkeydown} {oninput} />
                <div class="editor-bar">
                    <button id="editor-save" onclick={save.reform(|_: MouseEvent| ())}>{ words.editor_save }</button>
                    <button id="editor-close" onclick={close.reform(|_: MouseEvent| ())}>{ words.editor_close }</button>
                    <span class="editor-status" role="status">
                        { props.status.clone().unwrap_or_else(|| AttrValue::from(words.editor_keys)) }
                    </span>
                </div>
            </div>
        </div>
    }
}
