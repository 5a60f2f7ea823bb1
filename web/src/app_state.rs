//! The one app state, and the actions that change it.
//!
//! It holds the sandbox (the simulated host and its shell) and the terminal.
//! The sandbox is shared behind `Rc<RefCell<..>>` because Yew's reducer
//! clones the state for every action, and a host is not something to copy;
//! everything else in the state is cheap to clone.

use std::cell::RefCell;
use std::rc::Rc;

use tidepool_shell::Sandbox;
use yew::Reducible;

use crate::terminal::{TerminalInput, TerminalState};

#[derive(Clone)]
pub struct AppState {
    sandbox: Rc<RefCell<Sandbox>>,
    pub terminal: TerminalState,
}

pub enum AppAction {
    Terminal(TerminalInput),
    /// Wall-clock milliseconds have passed.
    Advance(u64),
}

impl AppState {
    pub fn new(seed: u64) -> Self {
        let sandbox = Sandbox::new(seed);
        let terminal = TerminalState::new(&sandbox);
        AppState {
            sandbox: Rc::new(RefCell::new(sandbox)),
            terminal,
        }
    }
}

impl Reducible for AppState {
    type Action = AppAction;

    fn reduce(self: Rc<Self>, action: AppAction) -> Rc<Self> {
        match action {
            AppAction::Terminal(input) => {
                let mut next = (*self).clone();
                next.terminal.apply(input, &mut next.sandbox.borrow_mut());
                Rc::new(next)
            }
            AppAction::Advance(ms) => {
                let mut next = (*self).clone();
                next.terminal.advance(ms, &mut next.sandbox.borrow_mut());
                // Most ticks show nothing new: keeping the same state then
                // skips a render four times a second.
                if next.terminal == self.terminal {
                    self
                } else {
                    Rc::new(next)
                }
            }
        }
    }
}
