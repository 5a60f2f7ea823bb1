//! The line being typed at the prompt, and where the cursor sits in it.
//!
//! The cursor is a byte offset that always lies on a `char` boundary, so
//! Korean, emoji and other multi-byte text move and delete one character at a
//! time, the way readline does in a UTF-8 terminal.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct LineEditor {
    text: String,
    cursor: usize,
}

impl LineEditor {
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The text left of the cursor.
    pub fn before_cursor(&self) -> &str {
        &self.text[..self.cursor]
    }

    /// The character under the cursor, if the cursor is not at the end.
    pub fn under_cursor(&self) -> Option<char> {
        self.text[self.cursor..].chars().next()
    }

    /// The text right of the character under the cursor.
    pub fn after_cursor(&self) -> &str {
        match self.under_cursor() {
            Some(c) => &self.text[self.cursor + c.len_utf8()..],
            None => "",
        }
    }

    pub fn insert(&mut self, text: &str) {
        self.text.insert_str(self.cursor, text);
        self.cursor += text.len();
    }

    /// Backspace: deletes the character left of the cursor.
    pub fn delete_backward(&mut self) {
        if let Some(c) = self.before_cursor().chars().next_back() {
            self.cursor -= c.len_utf8();
            self.text.remove(self.cursor);
        }
    }

    /// Delete: deletes the character under the cursor.
    pub fn delete_forward(&mut self) {
        if self.cursor < self.text.len() {
            self.text.remove(self.cursor);
        }
    }

    pub fn move_left(&mut self) {
        if let Some(c) = self.before_cursor().chars().next_back() {
            self.cursor -= c.len_utf8();
        }
    }

    pub fn move_right(&mut self) {
        if let Some(c) = self.under_cursor() {
            self.cursor += c.len_utf8();
        }
    }

    pub fn move_home(&mut self) {
        self.cursor = 0;
    }

    pub fn move_end(&mut self) {
        self.cursor = self.text.len();
    }

    /// Ctrl-U: deletes everything left of the cursor.
    pub fn kill_to_start(&mut self) {
        self.text.drain(..self.cursor);
        self.cursor = 0;
    }

    /// Ctrl-K: deletes everything from the cursor on.
    pub fn kill_to_end(&mut self) {
        self.text.truncate(self.cursor);
    }

    /// Replaces the whole line (a history recall) and puts the cursor at its end.
    pub fn replace(&mut self, text: &str) {
        self.text = text.to_string();
        self.cursor = self.text.len();
    }

    /// Empties the line and returns what it held.
    pub fn take(&mut self) -> String {
        self.cursor = 0;
        std::mem::take(&mut self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(text: &str) -> LineEditor {
        let mut editor = LineEditor::default();
        editor.insert(text);
        editor
    }

    fn split(editor: &LineEditor) -> (String, Option<char>, String) {
        (
            editor.before_cursor().to_string(),
            editor.under_cursor(),
            editor.after_cursor().to_string(),
        )
    }

    #[test]
    fn typing_appends_and_leaves_the_cursor_at_the_end() {
        let editor = typed("echo hi");
        assert_eq!(split(&editor), ("echo hi".into(), None, "".into()));
    }

    #[test]
    fn inserting_mid_line_goes_at_the_cursor() {
        let mut editor = typed("echo i");
        editor.move_left();
        editor.insert("h");
        assert_eq!(editor.text(), "echo hi");
        assert_eq!(split(&editor), ("echo h".into(), Some('i'), "".into()));
    }

    #[test]
    fn backspace_and_delete_work_around_the_cursor() {
        let mut editor = typed("abcd");
        editor.move_left();
        editor.move_left();
        editor.delete_backward();
        assert_eq!(editor.text(), "acd");
        editor.delete_forward();
        assert_eq!(editor.text(), "ad");
        assert_eq!(split(&editor), ("a".into(), Some('d'), "".into()));
    }

    #[test]
    fn edits_at_the_edges_do_nothing() {
        let mut editor = typed("ab");
        editor.delete_forward();
        editor.move_right();
        assert_eq!(editor.text(), "ab");
        editor.move_home();
        editor.delete_backward();
        editor.move_left();
        assert_eq!(split(&editor), ("".into(), Some('a'), "b".into()));
    }

    #[test]
    fn multibyte_characters_move_and_delete_whole() {
        let mut editor = typed("echo 안녕");
        editor.move_left();
        assert_eq!(editor.under_cursor(), Some('녕'));
        editor.delete_backward();
        assert_eq!(editor.text(), "echo 녕");
        editor.move_end();
        editor.delete_backward();
        assert_eq!(editor.text(), "echo ");
    }

    #[test]
    fn kills_cut_either_side_of_the_cursor() {
        let mut editor = typed("docker ps -a");
        editor.move_home();
        for _ in 0.."docker".len() {
            editor.move_right();
        }
        let mut left = editor.clone();
        left.kill_to_start();
        assert_eq!(split(&left), ("".into(), Some(' '), "ps -a".into()));
        editor.kill_to_end();
        assert_eq!(editor.text(), "docker");
    }

    #[test]
    fn take_empties_the_line() {
        let mut editor = typed("ls");
        assert_eq!(editor.take(), "ls");
        assert_eq!(editor.text(), "");
        assert_eq!(editor.before_cursor(), "");
    }
}
