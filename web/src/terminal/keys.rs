//! Which keystrokes the terminal takes, and what they mean.
//!
//! The decision uses only what a `keydown` event says (its `key` and
//! modifiers), so it is the same for a person typing, for Playwright's
//! `keyboard.type`, and for a test dispatching `KeyboardEvent`s.

use super::state::{Edit, TerminalInput};

/// What to do with one `keydown`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyDecision {
    /// The terminal handles it; the browser's default action is cancelled.
    Take(TerminalInput),
    /// Leave it to the browser: shortcuts (Ctrl-V pastes through the `paste`
    /// event, Cmd-anything, F5), and keys an input method is composing with.
    PassThrough,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub ctrl: bool,
    pub alt: bool,
    pub meta: bool,
}

pub fn decide(key: &str, modifiers: Modifiers) -> KeyDecision {
    let Modifiers { ctrl, alt, meta } = modifiers;
    if meta {
        return KeyDecision::PassThrough;
    }
    let mut chars = key.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        // Windows reports AltGr as Ctrl+Alt, and it types characters such
        // as `@` or `\` on many layouts; Alt alone is macOS's Option key.
        return if ctrl && !alt {
            control(c)
        } else if alt && !ctrl && matches!(c, 'b' | 'f' | 'd') {
            // Alt with a plain letter (not a character macOS's Option
            // composed): readline's word commands.
            KeyDecision::Take(TerminalInput::Edit(match c {
                'b' => Edit::WordLeft,
                'f' => Edit::WordRight,
                _ => Edit::KillWordForward,
            }))
        } else {
            KeyDecision::Take(TerminalInput::Text(c.to_string()))
        };
    }
    if ctrl || alt {
        return KeyDecision::PassThrough;
    }
    let edit = match key {
        "Enter" => Edit::Enter,
        "Backspace" => Edit::DeleteBackward,
        "Delete" => Edit::DeleteForward,
        "ArrowLeft" => Edit::Left,
        "ArrowRight" => Edit::Right,
        "ArrowUp" => Edit::HistoryOlder,
        "ArrowDown" => Edit::HistoryNewer,
        "Home" => Edit::Home,
        "End" => Edit::End,
        "Tab" => Edit::Complete,
        "Escape" => Edit::Escape,
        _ => return KeyDecision::PassThrough,
    };
    KeyDecision::Take(TerminalInput::Edit(edit))
}

/// Ctrl plus a character: readline's bindings.
fn control(c: char) -> KeyDecision {
    let edit = match c.to_ascii_lowercase() {
        'a' => Edit::Home,
        'e' => Edit::End,
        'b' => Edit::Left,
        'f' => Edit::Right,
        'c' => Edit::Interrupt,
        'd' => Edit::EndOfInput,
        'l' => Edit::ClearScreen,
        'u' => Edit::KillToStart,
        'k' => Edit::KillToEnd,
        'p' => Edit::HistoryOlder,
        'n' => Edit::HistoryNewer,
        'w' => Edit::KillWordBackward,
        'r' => Edit::ReverseSearch,
        'g' => Edit::Escape,
        _ => return KeyDecision::PassThrough,
    };
    KeyDecision::Take(TerminalInput::Edit(edit))
}

#[cfg(test)]
mod tests {
    use super::*;

    const NONE: Modifiers = Modifiers {
        ctrl: false,
        alt: false,
        meta: false,
    };
    const CTRL: Modifiers = Modifiers {
        ctrl: true,
        alt: false,
        meta: false,
    };

    fn take_edit(edit: Edit) -> KeyDecision {
        KeyDecision::Take(TerminalInput::Edit(edit))
    }

    fn take_text(text: &str) -> KeyDecision {
        KeyDecision::Take(TerminalInput::Text(text.into()))
    }

    #[test]
    fn printable_keys_type_themselves() {
        assert_eq!(decide("a", NONE), take_text("a"));
        assert_eq!(decide(" ", NONE), take_text(" "));
        assert_eq!(decide("한", NONE), take_text("한"));
    }

    #[test]
    fn named_keys_edit() {
        assert_eq!(decide("Enter", NONE), take_edit(Edit::Enter));
        assert_eq!(decide("ArrowUp", NONE), take_edit(Edit::HistoryOlder));
        assert_eq!(decide("Home", NONE), take_edit(Edit::Home));
    }

    #[test]
    fn control_keys_follow_readline_in_either_case() {
        assert_eq!(decide("c", CTRL), take_edit(Edit::Interrupt));
        assert_eq!(decide("C", CTRL), take_edit(Edit::Interrupt));
        assert_eq!(decide("a", CTRL), take_edit(Edit::Home));
        assert_eq!(decide("e", CTRL), take_edit(Edit::End));
        assert_eq!(decide("l", CTRL), take_edit(Edit::ClearScreen));
        assert_eq!(decide("d", CTRL), take_edit(Edit::EndOfInput));
    }

    #[test]
    fn browser_shortcuts_and_composition_pass_through() {
        assert_eq!(decide("v", CTRL), KeyDecision::PassThrough);
        assert_eq!(
            decide("c", Modifiers { meta: true, ..NONE }),
            KeyDecision::PassThrough
        );
        assert_eq!(decide("F5", NONE), KeyDecision::PassThrough);
        assert_eq!(decide("Process", NONE), KeyDecision::PassThrough);
        assert_eq!(decide("Shift", NONE), KeyDecision::PassThrough);
    }

    #[test]
    fn altgr_and_option_characters_type() {
        let altgr = Modifiers {
            ctrl: true,
            alt: true,
            meta: false,
        };
        assert_eq!(decide("@", altgr), take_text("@"));
        assert_eq!(decide("™", Modifiers { alt: true, ..NONE }), take_text("™"));
    }

    #[test]
    fn tab_keeps_focus_in_the_terminal() {
        assert_eq!(
            decide("Tab", NONE),
            KeyDecision::Take(TerminalInput::Edit(Edit::Complete))
        );
    }
}
