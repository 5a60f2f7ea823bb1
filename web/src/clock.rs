//! Wall-clock time for the sandbox, whose clock only moves when told.

use gloo_timers::callback::Interval;
use yew::prelude::*;

use crate::app_state::{AppAction, AppState};

/// How often the sandbox's clock catches up with the wall clock.
const TICK_MS: u32 = 250;

/// Advances the sandbox by the time that really passed between ticks, so
/// `docker ps` counts "Up 5 seconds" in step with the user's clock even when
/// a background tab throttles the timer.
#[hook]
pub fn use_virtual_clock(dispatcher: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let mut last = now_ms();
        let interval = Interval::new(TICK_MS, move || {
            let elapsed = (now_ms() - last).max(0.0).floor();
            // Only whole milliseconds are handed over; the fraction carries.
            last += elapsed;
            dispatcher.dispatch(AppAction::Advance(elapsed as u64));
        });
        move || drop(interval)
    });
}

/// Milliseconds on a monotonic clock: `performance.now()`, which setting the
/// system clock cannot move backwards.
fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map_or_else(js_sys::Date::now, |performance| performance.now())
}
