//! Command history for ↑/↓, as bash keeps it.
//!
//! Entries are whole commands (a command continued over several lines is one
//! entry). A command equal to the one before it is not stored twice, as with
//! bash's `HISTCONTROL=ignoredups`. While browsing, the line that was being
//! typed is kept as a draft and comes back after the newest entry.

use std::rc::Rc;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct History {
    /// Shared so cloning the app state on every keystroke stays cheap.
    entries: Rc<Vec<String>>,
    /// The entry shown, while browsing.
    position: Option<usize>,
    draft: String,
}

impl History {
    pub fn record(&mut self, command: &str) {
        self.stop_browsing();
        if command.trim().is_empty() || self.entries.last().is_some_and(|last| last == command) {
            return;
        }
        Rc::make_mut(&mut self.entries).push(command.to_string());
    }

    /// ↑: the entry before the one shown, or the newest one when not yet
    /// browsing. `current` is the line on screen, kept as the draft.
    pub fn older(&mut self, current: &str) -> Option<&str> {
        let position = match self.position {
            None if self.entries.is_empty() => return None,
            None => {
                self.draft = current.to_string();
                self.entries.len() - 1
            }
            Some(0) => return None,
            Some(p) => p - 1,
        };
        self.position = Some(position);
        Some(&self.entries[position])
    }

    /// ↓: the entry after the one shown, then the draft.
    pub fn newer(&mut self) -> Option<String> {
        let position = self.position?;
        if position + 1 < self.entries.len() {
            self.position = Some(position + 1);
            Some(self.entries[position + 1].clone())
        } else {
            self.position = None;
            Some(std::mem::take(&mut self.draft))
        }
    }

    /// Ctrl-R: the newest entry containing `query` older than `before`
    /// (an index; `None` searches from the newest).
    pub fn search(&self, query: &str, before: Option<usize>) -> Option<(usize, &str)> {
        let end = before.unwrap_or(self.entries.len()).min(self.entries.len());
        self.entries[..end]
            .iter()
            .enumerate()
            .rev()
            .find(|(_, e)| e.contains(query))
            .map(|(i, e)| (i, e.as_str()))
    }

    pub fn stop_browsing(&mut self) {
        self.position = None;
        self.draft.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(commands: &[&str]) -> History {
        let mut history = History::default();
        for command in commands {
            history.record(command);
        }
        history
    }

    #[test]
    fn up_walks_back_and_stops_at_the_oldest() {
        let mut h = history(&["docker ps", "curl localhost:8080"]);
        assert_eq!(h.older(""), Some("curl localhost:8080"));
        assert_eq!(h.older("curl localhost:8080"), Some("docker ps"));
        assert_eq!(h.older("docker ps"), None);
    }

    #[test]
    fn down_walks_forward_then_restores_the_draft() {
        let mut h = history(&["one", "two"]);
        h.older("half-typed");
        h.older("two");
        assert_eq!(h.newer().as_deref(), Some("two"));
        assert_eq!(h.newer().as_deref(), Some("half-typed"));
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn empty_history_recalls_nothing() {
        let mut h = History::default();
        assert_eq!(h.older("x"), None);
        assert_eq!(h.newer(), None);
    }

    #[test]
    fn repeats_and_blank_lines_are_not_stored() {
        let mut h = history(&["ls", "ls", "  ", "pwd", "ls"]);
        assert_eq!(h.older(""), Some("ls"));
        assert_eq!(h.older(""), Some("pwd"));
        assert_eq!(h.older(""), Some("ls"));
        assert_eq!(h.older(""), None);
    }
}
