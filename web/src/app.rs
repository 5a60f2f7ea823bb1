//! The page: a top bar over the terminal.

use yew::prelude::*;

use crate::app_state::{AppAction, AppState};
use crate::clock::use_virtual_clock;
use crate::terminal::Terminal;
use crate::top_bar::TopBar;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Seeds the sandbox's ids and names; the same seed and the same input
    /// give the same screen.
    pub seed: u64,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let seed = props.seed;
    let state = use_reducer(move || AppState::new(seed));
    let on_input = {
        let dispatcher = state.dispatcher();
        use_callback((), move |input, _| {
            dispatcher.dispatch(AppAction::Terminal(input))
        })
    };
    use_virtual_clock(state.dispatcher());

    html! {
        <div class="app">
            <TopBar />
            <main class="workspace">
                <Terminal state={state.terminal.clone()} {on_input} />
            </main>
        </div>
    }
}
