//! Regular expressions as grep and sed use them: POSIX basic or extended
//! syntax rewritten for regex-lite, unanchored search, an optional
//! case-insensitive mode, and a pattern that does not compile falling back
//! to a plain substring match.

pub struct Pattern {
    re: Option<regex_lite::Regex>,
    literal: String,
    ignore_case: bool,
}

impl Pattern {
    /// A pattern already in regex-lite's syntax (see `posix_to_regex`);
    /// `literal` is searched for when it does not compile.
    pub fn from_regex(re: &str, literal: &str, ignore_case: bool) -> Pattern {
        Pattern {
            re: regex_lite::RegexBuilder::new(re)
                .case_insensitive(ignore_case)
                .build()
                .ok(),
            literal: literal.to_string(),
            ignore_case,
        }
    }

    /// The non-empty matches in `text`, left to right, as `grep -o` prints
    /// them.
    pub fn find_iter<'t>(&self, text: &'t str) -> Vec<&'t str> {
        match &self.re {
            Some(re) => re
                .find_iter(text)
                .map(|m| m.as_str())
                .filter(|m| !m.is_empty())
                .collect(),
            None if self.literal.is_empty() => Vec::new(),
            None if self.ignore_case => {
                let lower = text.to_lowercase();
                let needle = self.literal.to_lowercase();
                lower
                    .match_indices(&needle)
                    .filter_map(|(i, m)| text.get(i..i + m.len()))
                    .collect()
            }
            None => text.matches(self.literal.as_str()).collect(),
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

/// Rewrites a POSIX regular expression (basic, or extended with `-E`) in
/// the syntax regex-lite reads. In a basic RE `\(`, `\)`, `\{`, `\}`, `\+`,
/// `\?` and `\|` are the operators and their bare forms are literal; in
/// both, a bracket expression is literal except for ranges and classes, and
/// GNU's word boundaries `\<` and `\>` become `\b`.
pub fn posix_to_regex(pattern: &str, extended: bool) -> String {
    let mut out = String::new();
    let chars: Vec<char> = pattern.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        match c {
            '[' => {
                i = bracket(&chars, i, &mut out);
                continue;
            }
            '\\' => {
                let Some(&n) = chars.get(i + 1) else {
                    out.push_str("\\\\");
                    break;
                };
                i += 2;
                match n {
                    '(' | ')' | '{' | '}' | '+' | '?' | '|' if !extended => out.push(n),
                    '<' | '>' => out.push_str("\\b"),
                    'n' | 't' | 'w' | 'W' | 's' | 'S' | 'b' | 'B' => {
                        out.push('\\');
                        out.push(n);
                    }
                    d if d.is_ascii_digit() => {
                        // Back-references have no regex-lite form; match the
                        // digit rather than fail.
                        out.push(d);
                    }
                    other => out.push_str(&regex_lite::escape(&other.to_string())),
                }
                continue;
            }
            '(' | ')' | '{' | '}' | '+' | '?' | '|' if !extended => {
                out.push('\\');
                out.push(c);
            }
            // A leading `*` (or one after a group opens) is a literal star.
            '*' if out.is_empty() || out.ends_with('(') || out.ends_with('|') => {
                out.push_str("\\*")
            }
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

/// Copies a bracket expression starting at `chars[start]` (`[`), escaping
/// what regex-lite would read as syntax; returns the index after it.
fn bracket(chars: &[char], start: usize, out: &mut String) -> usize {
    let mut i = start + 1;
    let mut body = String::from("[");
    if chars.get(i) == Some(&'^') {
        body.push('^');
        i += 1;
    }
    if chars.get(i) == Some(&']') {
        body.push_str("\\]");
        i += 1;
    }
    while let Some(&c) = chars.get(i) {
        match c {
            ']' => {
                body.push(']');
                out.push_str(&body);
                return i + 1;
            }
            '[' if matches!(chars.get(i + 1), Some(':' | '.' | '=')) => {
                let close = chars[i + 2..]
                    .windows(2)
                    .position(|w| w[1] == ']' && matches!(w[0], ':' | '.' | '='));
                match close {
                    Some(p) => {
                        let end = i + 2 + p + 2;
                        body.extend(&chars[i..end]);
                        i = end;
                        continue;
                    }
                    None => body.push_str("\\["),
                }
            }
            '[' | '\\' | '&' | '~' => {
                body.push('\\');
                body.push(c);
            }
            '-' if i > start + 1 && chars.get(i + 1) != Some(&']') => body.push('-'),
            '-' => body.push_str("\\-"),
            _ => body.push(c),
        }
        i += 1;
    }
    // No closing bracket: a literal `[`, as regcomp would refuse it anyway.
    out.push_str("\\[");
    start + 1
}
