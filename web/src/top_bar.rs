//! The strip across the top of the page: what this is, and the language.

use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::i18n::Locale;

#[derive(Properties, PartialEq)]
pub struct TopBarProps {
    pub locale: Locale,
    pub on_locale: Callback<Locale>,
}

#[component]
pub fn TopBar(props: &TopBarProps) -> Html {
    let words = props.locale.words();
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
    html! {
        <header class="top-bar">
            <span class="brand">{ "Tidepool" }</span>
            <span class="tagline">{ words.tagline }</span>
            <select id="locale-select" class="locale-select" aria-label={words.language} {onchange}>
                { for Locale::ALL.iter().map(|l| html! {
                    <option value={l.code()} selected={*l == props.locale}>{ l.words().name }</option>
                }) }
            </select>
        </header>
    }
}
