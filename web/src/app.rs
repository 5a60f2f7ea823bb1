//! The page: a top bar over the lesson pane and the terminal.

use std::rc::Rc;

use yew::prelude::*;

use crate::app_state::{AppAction, AppState};
use crate::clock::use_virtual_clock;
use crate::diagram::HostDiagram;
use crate::editor::Editor;
use crate::i18n::Locale;
use crate::lesson_pane::LessonPane;
use crate::terminal::{focus_terminal, Edit, Terminal, TerminalInput};
use crate::top_bar::TopBar;

#[derive(Properties, PartialEq)]
pub struct AppProps {
    /// Seeds the sandbox's ids and names; the same seed and the same input
    /// give the same screen.
    pub seed: u64,
    pub locale: Locale,
    /// Restore from (and save to) localStorage and share links; off in
    /// tests that mount several apps in one page.
    pub keep: bool,
}

#[component]
pub fn App(props: &AppProps) -> Html {
    let (seed, locale, keep) = (props.seed, props.locale, props.keep);
    let state = use_reducer(move || {
        if !keep {
            return AppState::new(seed, locale);
        }
        let location = web_sys::window().map(|w| w.location());
        let fragment = location
            .as_ref()
            .and_then(|l| l.hash().ok())
            .unwrap_or_default();
        let state = AppState::open(seed, locale, &fragment);
        // The link has been taken in; from now on the save is the sandbox.
        if let (Some(location), false) = (location, fragment.is_empty()) {
            let _ = location.set_hash("");
        }
        state
    });
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
    let on_undo = {
        let dispatcher = state.dispatcher();
        use_callback((), move |_: (), _| {
            dispatcher.dispatch(AppAction::Undo);
            focus_terminal();
        })
    };
    let on_reset = {
        let dispatcher = state.dispatcher();
        use_callback((), move |_: (), _| dispatcher.dispatch(AppAction::Reset))
    };
    let on_share = {
        let dispatcher = state.dispatcher();
        let state = state.clone();
        use_callback(state.terminal.commands_run, move |_: (), _| {
            let fragment = state.save().to_fragment();
            if let Some(window) = web_sys::window() {
                let location = window.location();
                let url = format!(
                    "{}{}{fragment}",
                    location.origin().unwrap_or_default(),
                    location.pathname().unwrap_or_default()
                );
                let _ = window.navigator().clipboard().write_text(&url);
                let _ = window.history().and_then(|h| {
                    h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url))
                });
            }
            dispatcher.dispatch(AppAction::Notice(state.locale.words().share_copied));
        })
    };
    let on_speed = {
        let dispatcher = state.dispatcher();
        use_callback((), move |speed: u64, _| {
            dispatcher.dispatch(AppAction::SetSpeed(speed))
        })
    };
    let on_skip = {
        let dispatcher = state.dispatcher();
        use_callback((), move |_: (), _| dispatcher.dispatch(AppAction::Skip))
    };
    let on_api = {
        let dispatcher = state.dispatcher();
        use_callback((), move |_: (), _| {
            dispatcher.dispatch(AppAction::ToggleApi)
        })
    };
    let on_save = {
        let dispatcher = state.dispatcher();
        use_callback((), move |text: String, _| {
            dispatcher.dispatch(AppAction::SaveFile(text))
        })
    };
    let on_close = {
        let dispatcher = state.dispatcher();
        use_callback((), move |_: (), _| {
            dispatcher.dispatch(AppAction::CloseEditor);
            gloo_timers::callback::Timeout::new(0, focus_terminal).forget();
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

    let pane = use_state(|| Pane::Lesson);
    // The side pane waits for the first frame: the prompt is painted
    // without waiting for the course to be read and its markdown drawn.
    let side_drawn = use_state(|| false);
    {
        let side_drawn = side_drawn.clone();
        use_effect_with((), move |_| after_next_frame(move || side_drawn.set(true)));
    }
    // Light or dark: the learner's choice, else what the system prefers.
    let light = use_state(|| {
        let window = web_sys::window();
        let chosen = window
            .as_ref()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item(THEME_KEY).ok().flatten());
        match chosen.as_deref() {
            Some("light") => true,
            Some("dark") => false,
            _ => window
                .and_then(|w| {
                    w.match_media("(prefers-color-scheme: light)")
                        .ok()
                        .flatten()
                })
                .is_some_and(|m| m.matches()),
        }
    });
    let on_theme = {
        let light = light.clone();
        Callback::from(move |_: ()| {
            let next = !*light;
            if let Some(storage) = web_sys::window().and_then(|w| w.local_storage().ok().flatten())
            {
                let _ = storage.set_item(THEME_KEY, if next { "light" } else { "dark" });
            }
            light.set(next);
        })
    };
    let words = state.locale.words();
    // The diagram is read from the host only while it is shown, and again
    // when a command ran, output arrived or a virtual second passed.
    let showing_host = *pane == Pane::Host;
    let model = {
        let state = state.clone();
        let key = (
            showing_host,
            state.terminal.commands_run,
            state.terminal.scrollback.lines().count(),
            state.host_second(),
        );
        use_memo(key, move |(showing, ..)| {
            if *showing {
                state.host_model()
            } else {
                Default::default()
            }
        })
    };
    let tab = |which: Pane, label: &'static str, class: &'static str| {
        let pane = pane.clone();
        let selected = *pane == which;
        html! {
            <button role="tab" class={classes!("pane-tab", class, selected.then_some("selected"))}
                aria-selected={selected.to_string()}
                onclick={Callback::from(move |_: MouseEvent| {
                    pane.set(which);
                    if which == Pane::Terminal {
                        // Once the terminal is shown again, it takes the keys.
                        gloo_timers::callback::Timeout::new(0, focus_terminal).forget();
                    }
                })}>
                { label }
            </button>
        }
    };
    let keys = {
        let dispatcher = state.dispatcher();
        move |edit: Edit, label: &'static str| {
            let dispatcher = dispatcher.clone();
            html! {
                <button onclick={Callback::from(move |_: MouseEvent| {
                    dispatcher.dispatch(AppAction::Terminal(TerminalInput::Edit(edit)));
                    focus_terminal();
                })}>{ label }</button>
            }
        }
    };

    html! {
        <div class="app" lang={state.locale.code()} data-theme={if *light { "light" } else { "dark" }}>
            <TopBar locale={state.locale} {on_locale} {on_undo} {on_reset} {on_share} speed={state.speed} {on_speed} {on_skip} show_api={state.terminal.show_api} {on_api} light={*light} {on_theme} />
            <main class={classes!("workspace", pane.class())}>
                <section class="side-pane">
                    <nav class="pane-tabs" role="tablist">
                        { tab(Pane::Lesson, words.tab_lesson, "tab-lesson") }
                        { tab(Pane::Terminal, words.tab_terminal, "tab-terminal") }
                        { tab(Pane::Host, words.tab_host, "tab-host") }
                    </nav>
                    <div class="side-body">
                        if showing_host {
                            <HostDiagram model={model} {words} />
                        } else if *side_drawn {
                            <LessonPane
                                course={crate::app_state::course()}
                                lesson={state.lesson.clone()}
                                {completed}
                                locale={state.locale}
                                dispatch={state.dispatcher()}
                                {on_run}
                            />
                        }
                    </div>
                </section>
                <section class="terminal-pane">
                    <Terminal state={state.terminal.clone()} {on_input} />
                    <div class="key-row" role="toolbar" aria-label={words.keys_label}>
                        { keys(Edit::Complete, "Tab") }
                        { keys(Edit::Interrupt, "Ctrl-C") }
                        { keys(Edit::HistoryOlder, "↑") }
                        { keys(Edit::HistoryNewer, "↓") }
                    </div>
                </section>
            </main>
            if let Some((request, status)) = state.editing.clone() {
                <Editor {request} status={status.map(AttrValue::from)} {words} {on_save} {on_close} />
            }
        </div>
    }
}

/// Where the theme the learner chose is kept.
const THEME_KEY: &str = "tidepool.theme";

/// What the side pane shows; on a narrow screen, which pane is shown at
/// all (the terminal becomes a tab too).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Pane {
    Lesson,
    Terminal,
    Host,
}

impl Pane {
    fn class(self) -> &'static str {
        match self {
            Pane::Lesson => "show-lesson",
            Pane::Terminal => "show-terminal",
            Pane::Host => "show-host",
        }
    }
}

/// Runs `then` once the browser has painted its next frame (a task queued
/// from an animation-frame callback runs after that frame's paint).
fn after_next_frame(then: impl FnOnce() + Clone + 'static) {
    let later = then.clone();
    let callback = wasm_bindgen::closure::Closure::once_into_js(move || {
        gloo_timers::callback::Timeout::new(0, later).forget();
    });
    let asked = web_sys::window().is_some_and(|window| {
        window
            .request_animation_frame(wasm_bindgen::JsCast::unchecked_ref(&callback))
            .is_ok()
    });
    if !asked {
        // No frames to wait for: now rather than never.
        then();
    }
}
