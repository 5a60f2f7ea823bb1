//! The lesson beside the terminal: the lesson list, then the lesson's steps
//! with their state (✓ done, the current one open), what the current step
//! still misses, hints on request and the reference solution behind a
//! question. With no lesson chosen it is the free sandbox.
//!
//! Hooks for tests: `#lesson-pane`, `#lesson-select`, `.lesson-step`
//! (`data-step` = the step id; class `done`, `current` or `ahead`),
//! `.step-missing`, `.hint`, `.solution`, `.run-button`.

use std::rc::Rc;

use tidepool_lessons::{Course, StepState};
use web_sys::HtmlSelectElement;
use yew::prelude::*;

use crate::app_state::{AppAction, AppState, LessonState, SolutionView};
use crate::i18n::{Locale, Words};
use crate::markdown::{CommandBlock, Markdown};

#[derive(Properties, PartialEq)]
pub struct LessonPaneProps {
    pub course: Rc<Course>,
    pub lesson: Option<LessonState>,
    pub completed: Rc<Vec<(String, usize)>>,
    pub locale: Locale,
    pub dispatch: UseReducerDispatcher<AppState>,
    /// Types a command block into the terminal.
    pub on_run: Callback<String>,
}

#[component]
pub fn LessonPane(props: &LessonPaneProps) -> Html {
    let words = props.locale.words();
    let pane = use_node_ref();
    // A step just ticked: bring the next one into view.
    {
        let pane = pane.clone();
        let at = props
            .lesson
            .as_ref()
            .map(|l| (l.index, l.progress.completed()));
        use_effect_with(at, move |at| {
            let current = pane
                .cast::<web_sys::Element>()
                .and_then(|p| p.query_selector(".lesson-step.current").ok().flatten());
            if let (Some(current), Some((_, done))) = (current, at) {
                if *done > 0 {
                    current.scroll_into_view();
                }
            }
        });
    }
    let onchange = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |e: Event| {
            if let Some(select) = e.target_dyn_into::<HtmlSelectElement>() {
                let value = select.value();
                dispatch.dispatch(AppAction::SelectLesson(
                    (!value.is_empty()).then_some(value),
                ));
            }
        })
    };
    let current_id = props
        .lesson
        .as_ref()
        .and_then(|l| props.course.lessons.get(l.index))
        .map(|l| l.id.clone());
    let options = props.course.lessons.iter().map(|lesson| {
        let text = lesson.text(props.locale.code());
        let done = props
            .completed
            .iter()
            .find(|(id, _)| *id == lesson.id)
            .map(|(_, n)| *n)
            .unwrap_or(0);
        let mark = if done >= lesson.steps.len() {
            " ✓".to_string()
        } else if done > 0 {
            format!(" ({done}/{})", lesson.steps.len())
        } else {
            String::new()
        };
        let selected = current_id.as_deref() == Some(lesson.id.as_str());
        html! {
            <option value={lesson.id.clone()} {selected}>
                { format!("{}. {}{mark}", lesson.order, text.title) }
            </option>
        }
    });
    let restart = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            let sure = web_sys::window()
                .and_then(|w| w.confirm_with_message(words.restart_confirm).ok())
                .unwrap_or(false);
            if sure {
                dispatch.dispatch(AppAction::RestartLesson);
            }
        })
    };
    html! {
        <aside id="lesson-pane" class="lesson-pane" aria-label={words.lesson} ref={pane}>
            <div class="lesson-picker">
                <select id="lesson-select" aria-label={words.lesson} {onchange}>
                    <option value="" selected={current_id.is_none()}>{ words.free_sandbox }</option>
                    { for options }
                </select>
                if props.lesson.is_some() {
                    <button class="restart-button" onclick={restart}>{ words.restart_lesson }</button>
                }
            </div>
            {
                match &props.lesson {
                    Some(state) => lesson_view(props, state, words),
                    None => html! {
                        <div class="lesson-body">
                            <Markdown text={AttrValue::from(words.free_sandbox_text)} on_run={props.on_run.clone()} {words} />
                        </div>
                    },
                }
            }
        </aside>
    }
}

fn lesson_view(props: &LessonPaneProps, state: &LessonState, words: &'static Words) -> Html {
    let Some(lesson) = props.course.lessons.get(state.index) else {
        return Html::default();
    };
    let text = lesson.text(props.locale.code());
    let finished = state.progress.finished(lesson);
    let steps = text.steps.iter().enumerate().map(|(n, step)| {
        let status = state.progress.state(n);
        let (class, mark, label) = match status {
            StepState::Done => ("lesson-step done", "✓", words.step_done),
            StepState::Current => ("lesson-step current", "●", words.step_current),
            StepState::Ahead => ("lesson-step ahead", "○", words.step_ahead),
        };
        let heading = html! {
            <h2 class="step-title">
                <span class="step-mark" aria-label={label}>{ mark }</span>
                { format!(" {} {}. {}", words.step, n + 1, step.title) }
            </h2>
        };
        let body = html! {
            <Markdown text={AttrValue::from(step.body.clone())} on_run={props.on_run.clone()} {words} />
        };
        html! {
            <li key={step.id.clone()} class={class} data-step={step.id.clone()}>
                {
                    match status {
                        StepState::Done => html! {
                            <details><summary>{ heading }</summary>{ body }</details>
                        },
                        StepState::Current => html! {
                            <>
                                { heading }
                                { body }
                                { current_extras(props, state, n, words) }
                            </>
                        },
                        StepState::Ahead => heading,
                    }
                }
            </li>
        }
    });
    html! {
        <div class="lesson-body">
            <h1 class="lesson-title">{ text.title.clone() }</h1>
            <Markdown text={AttrValue::from(text.intro.clone())} on_run={props.on_run.clone()} {words} />
            <ol class="lesson-steps">{ for steps }</ol>
            if finished {
                <p class="lesson-complete" role="status">{ words.lesson_complete }</p>
            }
        </div>
    }
}

/// Under the current step: what is missing, hints, the solution.
fn current_extras(
    props: &LessonPaneProps,
    state: &LessonState,
    n: usize,
    words: &'static Words,
) -> Html {
    let Some(lesson) = props.course.lessons.get(state.index) else {
        return Html::default();
    };
    let text = lesson.text(props.locale.code());
    let Some(step) = text.steps.get(n) else {
        return Html::default();
    };
    let dispatch = props.dispatch.clone();
    let shown = state.hints_shown.min(step.hints.len());
    let hints = step.hints[..shown].iter().enumerate().map(|(i, hint)| {
        html! {
            <div class="hint">
                <strong>{ format!("{} {}", words.hint, i + 1) }</strong>
                <Markdown text={AttrValue::from(hint.clone())} on_run={props.on_run.clone()} {words} />
            </div>
        }
    });
    let more = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(AppAction::ShowHint))
    };
    let ask = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(AppAction::AskSolution))
    };
    let yes = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(AppAction::AnswerSolution(true)))
    };
    let no =
        Callback::from(move |_: MouseEvent| dispatch.dispatch(AppAction::AnswerSolution(false)));
    let solution = lesson
        .steps
        .get(n)
        .map(|s| s.solution.clone())
        .unwrap_or_default();
    html! {
        <div class="step-extras">
            if !state.failing.is_empty() {
                <div class="step-missing" role="status">
                    <strong>{ words.not_yet }</strong>
                    <ul>{ for state.failing.iter().map(|m| html! { <li>{ m.clone() }</li> }) }</ul>
                </div>
            }
            { for hints }
            <div class="step-buttons">
                if shown < step.hints.len() {
                    <button class="hint-button" onclick={more}>{ words.next_hint }</button>
                } else if !step.hints.is_empty() {
                    <span class="muted">{ words.no_more_hints }</span>
                }
                if state.solution == SolutionView::Hidden {
                    <button class="solution-button" onclick={ask}>{ words.show_solution }</button>
                }
            </div>
            if state.solution == SolutionView::Asking {
                <div class="solution-confirm" role="alertdialog">
                    <p>{ words.solution_warning }</p>
                    <button class="solution-yes" onclick={yes}>{ words.solution_yes }</button>
                    <button class="solution-no" onclick={no}>{ words.solution_no }</button>
                </div>
            }
            if state.solution == SolutionView::Shown {
                <div class="solution">
                    <strong>{ words.solution }</strong>
                    <CommandBlock command={AttrValue::from(solution)} on_run={props.on_run.clone()} {words} />
                </div>
            }
        </div>
    }
}
