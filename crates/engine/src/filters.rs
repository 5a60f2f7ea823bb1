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
        // moby's matchLabels: every `label` must match, and the object is
        // spared only when every `label!` matches; `until` keeps what was
        // created after it.
        self.until.is_none_or(|until| created <= until)
            && self.labels.iter().all(has)
            && (self.not_labels.is_empty() || !self.not_labels.iter().all(has))
    }
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

    #[test]
    fn prune_filters_read_as_moby_does() {
        use std::collections::BTreeMap;
        let labels = |pairs: &[(&str, &str)]| -> BTreeMap<String, String> {
            pairs
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string()))
                .collect()
        };
        let a = labels(&[("team", "a")]);
        let until = super::Prune {
            until: Some(crate::Timestamp(1_000)),
            ..Default::default()
        };
        assert!(
            until.selects(crate::Timestamp(1_000), &a),
            "created at until: pruned"
        );
        assert!(!until.selects(crate::Timestamp(1_001), &a), "newer: kept");
        let by_label = super::Prune {
            labels: vec!["team=a".into(), "team".into()],
            ..Default::default()
        };
        assert!(by_label.selects(crate::Timestamp(0), &a));
        assert!(!by_label.selects(crate::Timestamp(0), &labels(&[("team", "b")])));
        // label! spares an object only when every one of them matches.
        let not = super::Prune {
            not_labels: vec!["team=a".into(), "keep".into()],
            ..Default::default()
        };
        assert!(not.selects(crate::Timestamp(0), &a));
        assert!(!not.selects(crate::Timestamp(0), &labels(&[("team", "a"), ("keep", "")])));
    }
}
