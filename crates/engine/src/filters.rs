//! What moby's `filters.Args.Match` does for `name=` filters: a value
//! matches when it equals the text or, read as a Go regexp, matches
//! anywhere in it (so `web` finds `web-data`, `^web-data$` only that). A
//! value that is not a valid regexp matches only exactly.

/// `filters.Match(field, source)` for one value.
pub fn matches(pattern: &str, text: &str) -> bool {
    pattern == text
        || regex_lite::Regex::new(pattern)
            .map(|re| re.is_match(text))
            .unwrap_or(false)
}

#[cfg(test)]
mod tests {
    use super::matches;

    #[test]
    fn substrings_anchors_and_bad_patterns() {
        assert!(matches("web", "web-data"));
        assert!(matches("^web-data$", "web-data"));
        assert!(!matches("^web$", "web-data"));
        assert!(matches("w.b", "web"));
        assert!(!matches("[", "web"));
        assert!(matches("[", "["));
    }
}
