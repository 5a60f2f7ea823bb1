//! Regular expressions as grep and docker's `--filter name=` use them:
//! unanchored search, an optional case-insensitive mode, and a pattern that
//! does not compile falling back to a plain substring match.

pub struct Pattern {
    re: Option<regex_lite::Regex>,
    literal: String,
    ignore_case: bool,
}

impl Pattern {
    pub fn new(pattern: &str, ignore_case: bool) -> Pattern {
        // grep's basic syntax treats `\|`, `\(`, `\)`, `\+`, `\?` as the
        // operators ERE spells without backslashes.
        let ere = pattern
            .replace("\\|", "|")
            .replace("\\(", "(")
            .replace("\\)", ")")
            .replace("\\+", "+")
            .replace("\\?", "?");
        let re = regex_lite::RegexBuilder::new(&ere)
            .case_insensitive(ignore_case)
            .build()
            .ok();
        Pattern {
            re,
            literal: pattern.to_string(),
            ignore_case,
        }
    }

    pub fn is_match(&self, text: &str) -> bool {
        match &self.re {
            Some(re) => re.is_match(text),
            None if self.ignore_case => text.to_lowercase().contains(&self.literal.to_lowercase()),
            None => text.contains(&self.literal),
        }
    }
}
