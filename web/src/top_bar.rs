//! The strip across the top of the page: what this is, and the language.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::Locale;
use crate::terminal::focus_terminal;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub locale: Locale,
    pub on_locale: Callback<Locale>,
    pub on_undo: Callback<()>,
    pub on_reset: Callback<()>,
    pub on_share: Callback<()>,
    pub speed: u64,
    pub on_speed: Callback<u64>,
    pub on_skip: Callback<()>,
    pub show_api: bool,
    pub on_api: Callback<()>,
    pub light: bool,
    pub on_theme: Callback<()>,
}

#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let words = props.locale.words();
    let speed = props.speed;
    let onchange = {
        let on_locale = props.on_locale.clone();
        Callback::from(move |e: Event| {
            let chosen = e
                .target_dyn_into::<HtmlSelectElement>()
                .and_then(|s| Locale::from_code(&s.value()));
            if let Some(locale) = chosen {
                on_locale.emit(locale);
            }
        })
    };
    // Each button gives the keyboard back to the terminal.
    let undo = props.on_undo.reform(|_: MouseEvent| focus_terminal());
    let share = props.on_share.reform(|_: MouseEvent| focus_terminal());
    let reset = {
        let on_reset = props.on_reset.clone();
        Callback::from(move |_: MouseEvent| {
            // Resetting loses the sandbox: ask first.
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(words.reset_confirm).ok())
                .unwrap_or(false);
            if sure {
                on_reset.emit(());
            }
            focus_terminal();
        })
    };
    let theme = if props.light {
        words.theme_dark
    } else {
        words.theme_light
    };
    html! {
        <header class="top-bar">
            <span class="brand">{ "Tidepool" }</span>
            <span class="tagline">{ words.tagline }</span>
            <span class="toolbar">
                <button id="speed-button" title={words.speed} aria-label={words.speed}
                    onclick={props.on_speed.reform(move |_: MouseEvent| if speed == 1 { 10 } else { 1 })}>
                    { format!("{speed}×") }
                </button>
                <button id="api-button" title={words.api_calls_help} aria-label={words.api_calls_help}
                    aria-pressed={props.show_api.to_string()} class={classes!(props.show_api.then_some("on"))}
                    onclick={props.on_api.reform(|_: MouseEvent| focus_terminal())}>{ words.api_calls }</button>
                <button id="skip-button" title={words.skip} aria-label={words.skip}
                    onclick={props.on_skip.reform(|_: MouseEvent| focus_terminal())}>{ "⇥" }</button>
                <button id="theme-button" title={theme} aria-label={theme}
                    onclick={props.on_theme.reform(|_: MouseEvent| focus_terminal())}>
                    { if props.light { "☾" } else { "☀" } }
                </button>
                <button id="undo-button" onclick={undo}>{ words.undo }</button>
                <button id="share-button" onclick={share}>{ words.share }</button>
                <button id="reset-button" onclick={reset}>{ words.reset }</button>
            </span>
            <select id="locale-select" class="locale-select" aria-label={words.language} {onchange}>
                { for Locale::ALL.iter().map(|l| html! {
                    <option value={l.code()} selected={*l == props.locale}>{ l.words().name }</option>
                }) }
            </select>
        </header>
    }
}
