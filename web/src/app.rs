//! The page: a top bar over the lesson pane and the terminal.

use std::rc::Rc;

use yew::prelude::*;

use crate::app_state::{AppAction, AppState};
use crate::clock::use_virtual_clock;
use crate::i18n::Locale;
use crate::lesson_pane::LessonPane;
use crate::terminal::{focus_terminal, Terminal, TerminalInput};
use crate::top_bar::TopBar;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Seeds the sandbox's ids and names; the same seed and the same input
    /// give the same screen.
    pub seed: u64,
    pub locale: Locale,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let (seed, locale) = (props.seed, props.locale);
    let state = use_reducer(move || AppState::new(seed, locale));
    let on_input = {
        let dispatcher = state.dispatcher();
        use_callback((), move |input, _| {
            dispatcher.dispatch(AppAction::Terminal(input))
        })
    };
    // A lesson's "run" types the block into the terminal, and the keyboard
    // goes back there for what the learner types next.
    let on_run = {
        let dispatcher = state.dispatcher();
        use_callback((), move |command: String, _| {
            dispatcher.dispatch(AppAction::Terminal(TerminalInput::Text(command)));
            focus_terminal();
        })
    };
    let on_locale = {
        let dispatcher = state.dispatcher();
        use_callback((), move |locale, _| {
            dispatcher.dispatch(AppAction::SetLocale(locale))
        })
    };
    use_virtual_clock(state.dispatcher());
    let completed = Rc::new(
        state
            .completed
            .iter()
            .map(|(id, n)| (id.clone(), *n))
            .collect::<Vec<_>>(),
    );

    html! {
        <div class="app" lang={state.locale.code()}>
            <TopBar locale={state.locale} {on_locale} />
            <main class="workspace">
                <LessonPane
                    course={state.course.clone()}
                    lesson={state.lesson.clone()}
                    {completed}
                    locale={state.locale}
                    dispatch={state.dispatcher()}
                    {on_run}
                />
                <Terminal state={state.terminal.clone()} {on_input} />
            </main>
        </div>
    }
}
