//! Dockerfile parsing as BuildKit's frontend does it: directives, comments,
//! line continuations, JSON (exec) versus shell form, ARG before FROM,
//! `${VAR}` / `${VAR:-default}` substitution, with its error texts.

/// One instruction, as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Instruction {
    /// Upper-cased keyword: `FROM`, `RUN`...
    pub keyword: String,
    /// Everything after the keyword, continuations joined.
    pub args: String,
    /// `--from=builder`, `--chown=...` flags before the arguments.
    pub flags: Vec<(String, String)>,
    /// The instruction text as BuildKit names the step: `RUN npm install`.
    pub original: String,
    pub line: usize,
    /// The last line the instruction spans (continuations, heredocs).
    pub end_line: usize,
    /// `<<EOF` bodies, in order: (delimiter, text with its final newline).
    pub heredocs: Vec<(String, String)>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub line: usize,
    pub message: String,
}

const KEYWORDS: [&str; 18] = [
    "ADD",
    "ARG",
    "CMD",
    "COPY",
    "ENTRYPOINT",
    "ENV",
    "EXPOSE",
    "FROM",
    "HEALTHCHECK",
    "LABEL",
    "MAINTAINER",
    "ONBUILD",
    "RUN",
    "SHELL",
    "STOPSIGNAL",
    "USER",
    "VOLUME",
    "WORKDIR",
];

pub fn parse(text: &str) -> Result<Vec<Instruction>, ParseError> {
    let mut escape = '\\';
    let mut out = Vec::new();
    let lines: Vec<&str> = text.lines().collect();
    let mut i = 0;
    let mut directives_open = true;
    while i < lines.len() {
        let raw = lines[i];
        let trimmed = raw.trim();
        if trimmed.is_empty() {
            i += 1;
            continue;
        }
        if let Some(comment) = trimmed.strip_prefix('#') {
            if directives_open {
                if let Some((k, v)) = comment.trim().split_once('=') {
                    if k.trim().eq_ignore_ascii_case("escape") {
                        escape = match v.trim() {
                            "\\" => '\\',
                            "`" => '`',
                            other => {
                                return Err(ParseError {
                                    line: i + 1,
                                    message: format!(
                                        "invalid escape token '{other}' does not match ` or \\"
                                    ),
                                });
                            }
                        };
                    }
                } else {
                    directives_open = false;
                }
            }
            i += 1;
            continue;
        }
        directives_open = false;
        let start = i;
        let mut joined = String::new();
        loop {
            let line = lines[i];
            let t = line.trim_end();
            if let Some(body) = t.strip_suffix(escape) {
                joined.push_str(body);
                i += 1;
                // Comment lines inside a continuation are skipped.
                while i < lines.len() && lines[i].trim_start().starts_with('#') {
                    i += 1;
                }
                if i >= lines.len() {
                    break;
                }
            } else {
                joined.push_str(t);
                i += 1;
                break;
            }
        }
        let joined = joined.trim().to_string();
        let (word, rest) = joined
            .split_once(char::is_whitespace)
            .unwrap_or((&joined, ""));
        let keyword = word.to_ascii_uppercase();
        if !KEYWORDS.contains(&keyword.as_str()) {
            return Err(ParseError {
                line: start + 1,
                message: format!("unknown instruction: {word}"),
            });
        }
        let mut rest = rest.trim().to_string();
        let mut flags = Vec::new();
        while let Some(f) = rest.strip_prefix("--") {
            let (flag, tail) = f.split_once(char::is_whitespace).unwrap_or((f, ""));
            let (k, v) = flag.split_once('=').unwrap_or((flag, ""));
            flags.push((k.to_string(), v.to_string()));
            rest = tail.trim_start().to_string();
        }
        let original = if joined.len() > word.len() {
            format!("{keyword}{}", &joined[word.len()..])
        } else {
            keyword.clone()
        };
        // Heredocs: `RUN <<EOF` takes the lines up to `EOF` as its body.
        let mut heredocs = Vec::new();
        if matches!(keyword.as_str(), "RUN" | "COPY" | "ADD") {
            for word in rest.split_whitespace() {
                let Some(tag) = word.strip_prefix("<<") else {
                    continue;
                };
                let strip_tabs = tag.starts_with('-');
                let tag = tag
                    .trim_start_matches('-')
                    .trim_matches(|c| c == '"' || c == '\'');
                if tag.is_empty() || !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
                    continue;
                }
                let mut body = String::new();
                let mut closed = false;
                while i < lines.len() {
                    let l = lines[i];
                    i += 1;
                    let l = if strip_tabs {
                        l.trim_start_matches('\t')
                    } else {
                        l
                    };
                    if l.trim_end() == tag {
                        closed = true;
                        break;
                    }
                    body.push_str(l);
                    body.push('\n');
                }
                if !closed {
                    return Err(ParseError {
                        line: start + 1,
                        message: format!("unterminated heredoc {tag}"),
                    });
                }
                heredocs.push((tag.to_string(), body));
            }
        }
        out.push(Instruction {
            keyword,
            args: rest,
            flags,
            original,
            line: start + 1,
            end_line: i,
            heredocs,
        });
    }
    if out.is_empty() {
        return Err(ParseError {
            line: 0,
            message: "file with no instructions".into(),
        });
    }
    Ok(out)
}

/// `["a", "b"]` as exec form, or `None` for shell form (including JSON that
/// does not parse, which Docker quietly treats as shell form).
pub fn exec_form(args: &str) -> Result<Option<Vec<String>>, String> {
    let t = args.trim();
    if !t.starts_with('[') {
        return Ok(None);
    }
    match serde_json::from_str::<serde_json::Value>(t) {
        Ok(serde_json::Value::Array(items)) => {
            let mut out = Vec::new();
            for item in items {
                match item {
                    serde_json::Value::String(s) => out.push(s),
                    _ => return Err(
                        "when using JSON array syntax, arrays must be comprised of strings only"
                            .into(),
                    ),
                }
            }
            Ok(Some(out))
        }
        _ => Ok(None),
    }
}

/// `$VAR`, `${VAR}`, `${VAR:-default}`, `${VAR:+alt}` against `vars`.
pub fn substitute(text: &str, vars: &dyn Fn(&str) -> Option<String>) -> String {
    let mut out = String::new();
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\\' && chars.get(i + 1) == Some(&'$') {
            out.push('$');
            i += 2;
            continue;
        }
        if c != '$' {
            out.push(c);
            i += 1;
            continue;
        }
        if chars.get(i + 1) == Some(&'{') {
            if let Some(end) = chars[i + 2..].iter().position(|&c| c == '}') {
                let inner: String = chars[i + 2..i + 2 + end].iter().collect();
                let value = if let Some((name, default)) = inner.split_once(":-") {
                    vars(name)
                        .filter(|v| !v.is_empty())
                        .unwrap_or_else(|| default.to_string())
                } else if let Some((name, alt)) = inner.split_once(":+") {
                    if vars(name).is_some_and(|v| !v.is_empty()) {
                        alt.to_string()
                    } else {
                        String::new()
                    }
                } else {
                    vars(&inner).unwrap_or_default()
                };
                out.push_str(&value);
                i += end + 3;
                continue;
            }
        }
        let name: String = chars[i + 1..]
            .iter()
            .take_while(|c| c.is_ascii_alphanumeric() || **c == '_')
            .collect();
        if name.is_empty() {
            out.push('$');
            i += 1;
        } else {
            out.push_str(&vars(&name).unwrap_or_default());
            i += 1 + name.chars().count();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn instructions_continuations_and_flags() {
        let df = "# syntax=docker/dockerfile:1\nFROM node:20 AS build\nWORKDIR /app\nRUN apt-get update && \\\n    # a comment\n    apt-get install -y curl\ncopy --chown=1000 package.json .\n";
        let ins = parse(df).unwrap();
        assert_eq!(ins.len(), 4);
        assert_eq!(ins[0].args, "node:20 AS build");
        assert_eq!(ins[2].args, "apt-get update &&     apt-get install -y curl");
        assert_eq!(ins[2].line, 4);
        assert_eq!(ins[3].keyword, "COPY");
        assert_eq!(
            ins[3].flags,
            vec![("chown".to_string(), "1000".to_string())]
        );
        assert_eq!((ins[2].line, ins[2].end_line), (4, 6));
    }

    #[test]
    fn heredocs_and_escape() {
        let ins = parse("FROM alpine\nRUN <<EOF\necho one\necho two\nEOF\nCMD [\"sh\"]\n").unwrap();
        assert_eq!(
            ins[1].heredocs,
            vec![("EOF".to_string(), "echo one\necho two\n".to_string())]
        );
        assert_eq!(ins[2].line, 6);
        let ins = parse("# escape=`\nFROM alpine\nRUN echo a `\n  b\n").unwrap();
        assert_eq!(ins[1].args, "echo a   b");
        assert_eq!(
            parse("# escape=x\nFROM a\n").unwrap_err().message,
            "invalid escape token 'x' does not match ` or \\"
        );
    }

    #[test]
    fn errors() {
        assert_eq!(
            parse("FROM x\nFOO bar\n").unwrap_err(),
            ParseError {
                line: 2,
                message: "unknown instruction: FOO".into()
            }
        );
        assert_eq!(
            parse("# just a comment\n").unwrap_err().message,
            "file with no instructions"
        );
        assert_eq!(
            exec_form("[\"a\", 1]").unwrap_err(),
            "when using JSON array syntax, arrays must be comprised of strings only"
        );
        assert_eq!(exec_form("[not json").unwrap(), None);
    }

    #[test]
    fn substitution() {
        let vars = |n: &str| (n == "COLOR").then(|| "red".to_string());
        assert_eq!(
            substitute("a-${COLOR}-$COLOR-${NOPE:-blue}-${COLOR:+x}", &vars),
            "a-red-red-blue-x"
        );
    }
}
