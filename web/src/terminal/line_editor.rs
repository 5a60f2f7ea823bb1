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

    /// Alt-B: to the start of this word or the one before (readline's
    /// words are letters and digits).
    pub fn word_left(&mut self) {
        self.cursor = self.word_start();
    }

    /// Alt-F: to the end of this word or the next.
    pub fn word_right(&mut self) {
        self.cursor = self.word_end();
    }

    /// Ctrl-W: deletes back to the previous whitespace, as bash's
    /// `unix-word-rubout` does.
    pub fn kill_word_backward(&mut self) {
        let before = self.before_cursor();
        let trimmed = before.trim_end_matches(char::is_whitespace);
        let start = trimmed
            .rfind(char::is_whitespace)
            .map(|i| i + trimmed[i..].chars().next().map_or(1, char::len_utf8))
            .unwrap_or(0);
        self.text.drain(start..self.cursor);
        self.cursor = start;
    }

    /// Alt-D: deletes to the end of this word or the next.
    pub fn kill_word_forward(&mut self) {
        let end = self.word_end();
        self.text.drain(self.cursor..end);
    }

    fn word_start(&self) -> usize {
        let is_word = |c: char| c.is_alphanumeric();
        let mut at = self.cursor;
        let mut seen_word = false;
        for (i, c) in self.before_cursor().char_indices().rev() {
            if is_word(c) {
                seen_word = true;
                at = i;
            } else if seen_word {
                break;
            } else {
                at = i;
            }
        }
        if seen_word {
            at
        } else {
            0
        }
    }

    fn word_end(&self) -> usize {
        let is_word = |c: char| c.is_alphanumeric();
        let mut seen_word = false;
        for (i, c) in self.text[self.cursor..].char_indices() {
            if is_word(c) {
                seen_word = true;
            } else if seen_word {
                return self.cursor + i;
            }
        }
        self.text.len()
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

    #[test]
    fn words_move_and_die_as_in_readline() {
        let mut e = LineEditor::default();
        e.insert("docker run -d nginx:latest");
        e.word_left();
        assert_eq!(e.after_cursor(), "atest");
        e.word_left();
        e.word_left();
        assert_eq!(e.before_cursor(), "docker run -");
        e.word_right();
        assert_eq!(e.before_cursor(), "docker run -d");
        e.kill_word_forward();
        assert_eq!(e.text(), "docker run -d:latest");
        e.move_end();
        e.kill_word_backward();
        assert_eq!(e.text(), "docker run ");
        e.kill_word_backward();
        assert_eq!(e.text(), "docker ");
        e.insert("한글 단어");
        e.word_left();
        assert_eq!(e.after_cursor(), "어");
    }

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
