//! The strip across the top of the page: what this is.

use yew::prelude::*;

#[component]
pub fn TopBar() -> Html {
    html! {
        <header class="top-bar">
            <span class="brand">{ "Tidepool" }</span>
            <span class="tagline">{ "A Docker host in your browser tab. Nothing to install." }</span>
        </header>
    }
}
