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

/// The `--filter`s of the prune commands: `until` (created before a
/// moment) and `label` / `label!` (moby's `label=key`, `label=key=value`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Prune {
    pub until: Option<crate::Timestamp>,
    /// Every one must match.
    pub labels: Vec<String>,
    /// None may match.
    pub not_labels: Vec<String>,
}

impl Prune {
    /// Whether an object created at `created` with `labels` is one to prune.
    pub fn selects(
        &self,
        created: crate::Timestamp,
        labels: &std::collections::BTreeMap<String, String>,
    ) -> bool {
        let has = |test: &String| match test.split_once('=') {
            Some((key, value)) => labels.get(key).is_some_and(|v| v == value),
            None => labels.contains_key(test.as_str()),
        };
        self.until.is_none_or(|until| created < until)
            && self.labels.iter().all(has)
            && !self.not_labels.iter().any(has)
    }
}
