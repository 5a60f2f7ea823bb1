//! The part of Go's text/template that `--format` users write: fields
//! (`{{.ID}}`, `{{.State.Status}}`), pipelines, `json`, `join`, `split`,
//! `lower`, `upper`, `title`, `pad`, `truncate`, `println`, `index`, `len`,
//! `printf`, comparison and boolean functions, `{{if}}`/`{{else}}`,
//! `{{range}}` with `$k, $v :=`, `{{with}}`, and `{{- -}}` trimming.
//! Data is JSON; errors read like Go's.

use serde_json::Value;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq)]
enum Node {
    Text(String),
    Action {
        pipe: Vec<Cmd>,
        pos: usize,
    },
    If {
        pipe: Vec<Cmd>,
        then: Vec<Node>,
        otherwise: Vec<Node>,
    },
    Range {
        vars: Vec<String>,
        pipe: Vec<Cmd>,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
    With {
        pipe: Vec<Cmd>,
        body: Vec<Node>,
        otherwise: Vec<Node>,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Arg {
    Field(Vec<String>, usize),
    Var(String, Vec<String>),
    Str(String),
    Num(f64),
    Bool(bool),
    Ident(String),
    Sub(Vec<Cmd>),
}

type Cmd = Vec<Arg>;

#[derive(Clone, Debug)]
pub struct Template {
    nodes: Vec<Node>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TemplateError(pub String);

fn tokenize(src: &str, base: usize) -> Result<Vec<(String, usize)>, String> {
    let mut toks = Vec::new();
    let b = src.as_bytes();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c == b'"' || c == b'`' {
            let start = i;
            i += 1;
            while i < b.len() && b[i] != c {
                if b[i] == b'\\' && c == b'"' {
                    i += 1;
                }
                i += 1;
            }
            if i >= b.len() {
                return Err("unterminated quoted string".into());
            }
            i += 1;
            toks.push((src[start..i].to_string(), base + start));
        } else if c == b'(' || c == b')' || c == b'|' || c == b',' {
            toks.push(((c as char).to_string(), base + i));
            i += 1;
        } else if src[i..].starts_with(":=") {
            toks.push((":=".into(), base + i));
            i += 2;
        } else {
            let start = i;
            while i < b.len()
                && !b[i].is_ascii_whitespace()
                && !matches!(b[i], b'(' | b')' | b'|' | b',')
                && !src[i..].starts_with(":=")
            {
                i += 1;
            }
            toks.push((src[start..i].to_string(), base + start));
        }
    }
    Ok(toks)
}

fn parse_pipe(toks: &[(String, usize)]) -> Result<Vec<Cmd>, String> {
    let mut pipe = Vec::new();
    let mut cmd = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let (t, pos) = &toks[i];
        i += 1;
        match t.as_str() {
            "|" => {
                if cmd.is_empty() {
                    return Err("missing command".into());
                }
                pipe.push(std::mem::take(&mut cmd));
            }
            "(" => {
                let mut depth = 1;
                let start = i;
                while i < toks.len() && depth > 0 {
                    match toks[i].0.as_str() {
                        "(" => depth += 1,
                        ")" => depth -= 1,
                        _ => {}
                    }
                    i += 1;
                }
                if depth != 0 {
                    return Err("unclosed left paren".into());
                }
                cmd.push(Arg::Sub(parse_pipe(&toks[start..i - 1])?));
            }
            ")" => return Err("unexpected right paren".into()),
            _ => cmd.push(parse_arg(t, *pos)?),
        }
    }
    if !cmd.is_empty() {
        pipe.push(cmd);
    }
    if pipe.is_empty() {
        return Err("missing value for command".into());
    }
    Ok(pipe)
}

fn parse_arg(t: &str, pos: usize) -> Result<Arg, String> {
    if t.starts_with('"') {
        return serde_json::from_str::<String>(t)
            .map(Arg::Str)
            .map_err(|_| format!("bad string {t}"));
    }
    if let Some(raw) = t.strip_prefix('`') {
        return Ok(Arg::Str(raw.trim_end_matches('`').to_string()));
    }
    if t == "." {
        return Ok(Arg::Field(Vec::new(), pos));
    }
    if let Some(path) = t.strip_prefix('.') {
        return Ok(Arg::Field(
            path.split('.').map(str::to_string).collect(),
            pos,
        ));
    }
    if let Some(var) = t.strip_prefix('$') {
        let mut parts = var.split('.');
        let name = parts.next().unwrap_or_default().to_string();
        return Ok(Arg::Var(name, parts.map(str::to_string).collect()));
    }
    if t == "true" || t == "false" {
        return Ok(Arg::Bool(t == "true"));
    }
    if let Ok(n) = t.parse::<f64>() {
        return Ok(Arg::Num(n));
    }
    Ok(Arg::Ident(t.to_string()))
}

impl Template {
    pub fn parse(src: &str) -> Result<Template, TemplateError> {
        let mut stack: Vec<(Node, Vec<Node>, bool)> = Vec::new();
        let mut nodes: Vec<Node> = Vec::new();
        let mut rest = src;
        let mut offset = 0;
        let err = |m: String| TemplateError(format!("template: :1: {m}"));
        while let Some(open) = rest.find("{{") {
            let mut text = rest[..open].to_string();
            let mut inner_start = open + 2;
            if rest[inner_start..].starts_with('-')
                && rest[inner_start + 1..].starts_with([' ', '\t', '\n'])
            {
                text = text.trim_end().to_string();
                inner_start += 1;
            }
            if !text.is_empty() {
                nodes.push(Node::Text(text));
            }
            let Some(close) = rest[inner_start..].find("}}") else {
                return Err(err("unclosed action".into()));
            };
            let mut inner = &rest[inner_start..inner_start + close];
            let mut after = inner_start + close + 2;
            let trim_after =
                inner.ends_with(" -") || inner.ends_with("\t-") || inner.ends_with("\n-");
            if trim_after {
                inner = &inner[..inner.len() - 1];
            }
            let base = offset + inner_start;
            let toks = tokenize(inner, base).map_err(err)?;
            let keyword = toks.first().map(|t| t.0.as_str()).unwrap_or("");
            match keyword {
                "" => return Err(err("missing value for command".into())),
                "if" | "range" | "with" => {
                    let mut vars = Vec::new();
                    let mut body = &toks[1..];
                    if keyword == "range" {
                        if let Some(k) = body.iter().position(|t| t.0 == ":=") {
                            vars = body[..k]
                                .iter()
                                .filter(|t| t.0 != ",")
                                .map(|t| t.0.trim_start_matches('$').to_string())
                                .collect();
                            body = &body[k + 1..];
                        }
                    }
                    let pipe = parse_pipe(body).map_err(err)?;
                    let node = match keyword {
                        "if" => Node::If {
                            pipe,
                            then: Vec::new(),
                            otherwise: Vec::new(),
                        },
                        "range" => Node::Range {
                            vars,
                            pipe,
                            body: Vec::new(),
                            otherwise: Vec::new(),
                        },
                        _ => Node::With {
                            pipe,
                            body: Vec::new(),
                            otherwise: Vec::new(),
                        },
                    };
                    stack.push((node, std::mem::take(&mut nodes), false));
                }
                "else" => {
                    let Some(top) = stack.last_mut() else {
                        return Err(err("unexpected {{else}}".into()));
                    };
                    if top.2 {
                        return Err(err("expected end; found {{else}}".into()));
                    }
                    let body = std::mem::take(&mut nodes);
                    match &mut top.0 {
                        Node::If { then, .. } => *then = body,
                        Node::Range { body: b, .. } | Node::With { body: b, .. } => *b = body,
                        _ => {}
                    }
                    top.2 = true;
                    if toks.len() > 1 && toks[1].0 == "if" {
                        // `{{else if ...}}` opens a nested if closed by the same end.
                        let pipe = parse_pipe(&toks[2..]).map_err(err)?;
                        stack.push((
                            Node::If {
                                pipe,
                                then: Vec::new(),
                                otherwise: Vec::new(),
                            },
                            Vec::new(),
                            false,
                        ));
                        if let Some(last) = stack.last_mut() {
                            last.2 = false;
                        }
                        let len = stack.len();
                        stack[len - 2].2 = true;
                        stack[len - 1].1 = vec![Node::Text("\u{0}chained".into())];
                    }
                }
                "end" => loop {
                    let Some((mut node, outer, in_else)) = stack.pop() else {
                        return Err(err("unexpected {{end}}".into()));
                    };
                    let chained = outer.first() == Some(&Node::Text("\u{0}chained".into()));
                    let body = std::mem::take(&mut nodes);
                    match &mut node {
                        Node::If {
                            then, otherwise, ..
                        } => {
                            if in_else {
                                *otherwise = body;
                            } else {
                                *then = body;
                            }
                        }
                        Node::Range {
                            body: b, otherwise, ..
                        }
                        | Node::With {
                            body: b, otherwise, ..
                        } => {
                            if in_else {
                                *otherwise = body;
                            } else {
                                *b = body;
                            }
                        }
                        _ => {}
                    }
                    if chained {
                        nodes = vec![node];
                        continue;
                    }
                    nodes = outer;
                    nodes.push(node);
                    break;
                },
                _ => {
                    let pos = toks.first().map(|t| t.1).unwrap_or(base);
                    let pipe = parse_pipe(&toks).map_err(err)?;
                    nodes.push(Node::Action { pipe, pos });
                }
            }
            rest = &rest[after..];
            offset += after;
            if trim_after {
                let trimmed = rest.trim_start();
                after = rest.len() - trimmed.len();
                rest = trimmed;
                offset += after;
            }
        }
        if !rest.is_empty() {
            nodes.push(Node::Text(rest.to_string()));
        }
        if !stack.is_empty() {
            return Err(err("unexpected EOF".into()));
        }
        Ok(Template { nodes })
    }

    /// Renders against `data`; `type_name` names the top-level type in
    /// "can't evaluate field" errors (e.g. `*formatter.ContainerContext`).
    pub fn render(&self, data: &Value, type_name: &str) -> Result<String, TemplateError> {
        let mut out = String::new();
        let mut vars = BTreeMap::new();
        vars.insert(String::new(), data.clone());
        let mut r = Renderer {
            root_type: type_name,
            vars,
        };
        r.nodes(&self.nodes, data, &mut out)?;
        Ok(out)
    }
}

struct Renderer<'a> {
    root_type: &'a str,
    vars: BTreeMap<String, Value>,
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().unwrap_or(0.0) != 0.0,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// How Go's `fmt` prints a value in a template.
pub fn go_print(v: &Value) -> String {
    match v {
        Value::Null => "<nil>".to_string(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => n.to_string(),
        Value::String(s) => s.clone(),
        Value::Array(a) => format!("[{}]", a.iter().map(go_print).collect::<Vec<_>>().join(" ")),
        Value::Object(o) => {
            let mut keys: Vec<&String> = o.keys().collect();
            keys.sort();
            format!(
                "map[{}]",
                keys.iter()
                    .map(|k| format!("{k}:{}", go_print(&o[*k])))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        }
    }
}

impl Renderer<'_> {
    fn nodes(
        &mut self,
        nodes: &[Node],
        dot: &Value,
        out: &mut String,
    ) -> Result<(), TemplateError> {
        for n in nodes {
            match n {
                Node::Text(t) => out.push_str(t),
                Node::Action { pipe, pos } => {
                    let v = self.pipe(pipe, dot).map_err(|m| self.exec_err(*pos, &m))?;
                    if v != Value::Null
                        || !matches!(pipe.last().and_then(|c| c.first()), Some(Arg::Ident(f)) if f == "println")
                    {
                        out.push_str(&match &v {
                            Value::Null => "<no value>".to_string(),
                            other => go_print(other),
                        });
                    }
                }
                Node::If {
                    pipe,
                    then,
                    otherwise,
                } => {
                    let v = self.pipe(pipe, dot).map_err(|m| self.exec_err(0, &m))?;
                    self.nodes(if truthy(&v) { then } else { otherwise }, dot, out)?;
                }
                Node::With {
                    pipe,
                    body,
                    otherwise,
                } => {
                    let v = self.pipe(pipe, dot).map_err(|m| self.exec_err(0, &m))?;
                    if truthy(&v) {
                        self.nodes(body, &v, out)?;
                    } else {
                        self.nodes(otherwise, dot, out)?;
                    }
                }
                Node::Range {
                    vars,
                    pipe,
                    body,
                    otherwise,
                } => {
                    let v = self.pipe(pipe, dot).map_err(|m| self.exec_err(0, &m))?;
                    let items: Vec<(Value, Value)> = match &v {
                        Value::Array(a) => a
                            .iter()
                            .enumerate()
                            .map(|(i, x)| (Value::from(i), x.clone()))
                            .collect(),
                        Value::Object(o) => {
                            let mut keys: Vec<&String> = o.keys().collect();
                            keys.sort();
                            keys.into_iter()
                                .map(|k| (Value::String(k.clone()), o[k].clone()))
                                .collect()
                        }
                        Value::Null => Vec::new(),
                        other => {
                            return Err(self.exec_err(
                                0,
                                &format!("range can't iterate over {}", go_print(other)),
                            ))
                        }
                    };
                    if items.is_empty() {
                        self.nodes(otherwise, dot, out)?;
                    }
                    for (k, item) in items {
                        match vars.as_slice() {
                            [v] => {
                                self.vars.insert(v.clone(), item.clone());
                            }
                            [kname, vname] => {
                                self.vars.insert(kname.clone(), k);
                                self.vars.insert(vname.clone(), item.clone());
                            }
                            _ => {}
                        }
                        self.nodes(body, &item, out)?;
                    }
                }
            }
        }
        Ok(())
    }

    fn exec_err(&self, pos: usize, msg: &str) -> TemplateError {
        TemplateError(format!("template: :1:{pos}: executing \"\" at {msg}"))
    }

    fn field(&self, base: &Value, path: &[String], pos: usize, top: bool) -> Result<Value, String> {
        let mut cur = base.clone();
        for (i, name) in path.iter().enumerate() {
            cur = match &cur {
                Value::Object(o) => match o.get(name).or_else(|| o.get(json_key(name)?)) {
                    Some(v) => v.clone(),
                    None if top && i == 0 => {
                        return Err(format!(
                            "<.{name}>: can't evaluate field {name} in type {}",
                            self.root_type
                        ));
                    }
                    None => Value::Null,
                },
                Value::Null => Value::Null,
                other => {
                    let _ = pos;
                    return Err(format!(
                        "<.{name}>: can't evaluate field {name} in type {}",
                        go_type(other)
                    ));
                }
            };
        }
        Ok(cur)
    }

    fn arg(&mut self, a: &Arg, dot: &Value) -> Result<Value, String> {
        match a {
            Arg::Field(path, pos) => {
                let top =
                    std::ptr::eq(dot, dot) && self.vars.get("").is_some_and(|root| root == dot);
                self.field(dot, path, *pos, top)
            }
            Arg::Var(name, path) => {
                let base = self
                    .vars
                    .get(name)
                    .cloned()
                    .ok_or_else(|| format!("undefined variable: ${name}"))?;
                self.field(&base, path, 0, false)
            }
            Arg::Str(s) => Ok(Value::String(s.clone())),
            Arg::Num(n) => Ok(serde_json::Number::from_f64(*n)
                .map(Value::Number)
                .unwrap_or(Value::Null)),
            Arg::Bool(b) => Ok(Value::Bool(*b)),
            Arg::Sub(p) => self.pipe(p, dot),
            Arg::Ident(f) => self.call(f, &[], dot),
        }
    }

    fn pipe(&mut self, pipe: &[Cmd], dot: &Value) -> Result<Value, String> {
        let mut prev: Option<Value> = None;
        for cmd in pipe {
            let Some(head) = cmd.first() else { continue };
            let value = match head {
                Arg::Ident(f) => {
                    let mut args = Vec::new();
                    for a in &cmd[1..] {
                        args.push(self.arg(a, dot)?);
                    }
                    if let Some(p) = prev.take() {
                        args.push(p);
                    }
                    self.call(f, &args, dot)?
                }
                // `.Label "key"`: the container formatter's method.
                Arg::Field(path, _) if path.len() == 1 && path[0] == "Label" && cmd.len() == 2 => {
                    let key = self.arg(&cmd[1], dot)?;
                    let labels = dot.get("Labels_").cloned().unwrap_or(Value::Null);
                    labels
                        .get(go_print(&key))
                        .cloned()
                        .unwrap_or(Value::String(String::new()))
                }
                other => {
                    if cmd.len() > 1 || prev.is_some() {
                        return Err("can't give argument to non-function".to_string());
                    }
                    self.arg(other, dot)?
                }
            };
            prev = Some(value);
        }
        Ok(prev.unwrap_or(Value::Null))
    }

    fn call(&mut self, f: &str, args: &[Value], _dot: &Value) -> Result<Value, String> {
        let s = |i: usize| args.get(i).map(go_print).unwrap_or_default();
        let need = |n: usize| -> Result<(), String> {
            if args.len() < n {
                Err(format!(
                    "<{f}>: wrong number of args for {f}: want {n} got {}",
                    args.len()
                ))
            } else {
                Ok(())
            }
        };
        Ok(match f {
            "json" => {
                need(1)?;
                Value::String(serde_json::to_string(&args[0]).unwrap_or_default())
            }
            "join" => {
                need(2)?;
                let items: Vec<String> = match &args[0] {
                    Value::Array(a) => a.iter().map(go_print).collect(),
                    other => vec![go_print(other)],
                };
                Value::String(items.join(&s(1)))
            }
            "split" => {
                need(2)?;
                Value::Array(
                    s(0).split(&s(1))
                        .map(|p| Value::String(p.to_string()))
                        .collect(),
                )
            }
            "lower" => Value::String(s(0).to_lowercase()),
            "upper" => Value::String(s(0).to_uppercase()),
            "title" => Value::String(
                s(0).split(' ')
                    .map(|w| {
                        let mut c = w.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or_default()
                    })
                    .collect::<Vec<_>>()
                    .join(" "),
            ),
            "pad" => {
                need(3)?;
                let n = |v: &Value| v.as_f64().unwrap_or(0.0) as usize;
                Value::String(format!(
                    "{}{}{}",
                    " ".repeat(n(&args[1])),
                    s(0),
                    " ".repeat(n(&args[2]))
                ))
            }
            "truncate" => {
                need(2)?;
                let n = args[1].as_f64().unwrap_or(0.0) as usize;
                Value::String(s(0).chars().take(n).collect())
            }
            "println" => Value::String(format!(
                "{}\n",
                args.iter().map(go_print).collect::<Vec<_>>().join(" ")
            )),
            "print" => Value::String(args.iter().map(go_print).collect::<Vec<_>>().join("")),
            "printf" => {
                need(1)?;
                let mut out = String::new();
                let mut rest = args[1..].iter();
                let fmt = s(0);
                let mut chars = fmt.chars().peekable();
                while let Some(c) = chars.next() {
                    if c == '%' {
                        match chars.next() {
                            Some('%') => out.push('%'),
                            Some('q') => out.push_str(&format!(
                                "{:?}",
                                rest.next().map(go_print).unwrap_or_default()
                            )),
                            Some(_) => out.push_str(&rest.next().map(go_print).unwrap_or_default()),
                            None => out.push('%'),
                        }
                    } else {
                        out.push(c);
                    }
                }
                Value::String(out)
            }
            "len" => {
                need(1)?;
                Value::from(match &args[0] {
                    Value::Array(a) => a.len(),
                    Value::Object(o) => o.len(),
                    Value::String(st) => st.len(),
                    _ => {
                        return Err(format!(
                            "<len>: error calling len: len of type {}",
                            go_type(&args[0])
                        ))
                    }
                })
            }
            "index" => {
                need(2)?;
                match (&args[0], &args[1]) {
                    (Value::Object(o), k) => o.get(&go_print(k)).cloned().unwrap_or(Value::Null),
                    (Value::Array(a), Value::Number(n)) => a
                        .get(n.as_u64().unwrap_or(u64::MAX) as usize)
                        .cloned()
                        .unwrap_or(Value::Null),
                    _ => Value::Null,
                }
            }
            "not" => Value::Bool(!args.first().is_some_and(truthy)),
            "and" => args
                .iter()
                .find(|a| !truthy(a))
                .or(args.last())
                .cloned()
                .unwrap_or(Value::Null),
            "or" => args
                .iter()
                .find(|a| truthy(a))
                .or(args.last())
                .cloned()
                .unwrap_or(Value::Null),
            "eq" => {
                need(2)?;
                Value::Bool(args[1..].iter().any(|a| loose_eq(&args[0], a)))
            }
            "ne" => {
                need(2)?;
                Value::Bool(!loose_eq(&args[0], &args[1]))
            }
            "lt" | "le" | "gt" | "ge" => {
                need(2)?;
                let ord = compare(&args[0], &args[1]);
                Value::Bool(match f {
                    "lt" => ord == std::cmp::Ordering::Less,
                    "le" => ord != std::cmp::Ordering::Greater,
                    "gt" => ord == std::cmp::Ordering::Greater,
                    _ => ord != std::cmp::Ordering::Less,
                })
            }
            other => return Err(format!("<{other}>: function \"{other}\" not defined")),
        })
    }
}

fn loose_eq(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        _ => a == b,
    }
}

fn compare(a: &Value, b: &Value) -> std::cmp::Ordering {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x
            .as_f64()
            .partial_cmp(&y.as_f64())
            .unwrap_or(std::cmp::Ordering::Equal),
        _ => go_print(a).cmp(&go_print(b)),
    }
}

/// The data is the API's JSON, whose keys are the Go fields' json tags;
/// where a tag differs from its Go field's name, a template may name the
/// field as Go does (`{{.ID}}` on inspect, `{{.Client.APIVersion}}`).
fn json_key(go_name: &str) -> Option<&'static str> {
    match go_name {
        "ID" => Some("Id"),
        "APIVersion" => Some("ApiVersion"),
        _ => None,
    }
}

fn go_type(v: &Value) -> &'static str {
    match v {
        Value::String(_) => "string",
        Value::Number(_) => "int",
        Value::Bool(_) => "bool",
        Value::Array(_) => "[]interface {}",
        Value::Object(_) => "map[string]interface {}",
        Value::Null => "interface {}",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn render(t: &str, data: Value) -> String {
        Template::parse(t)
            .unwrap()
            .render(&data, "*formatter.ContainerContext")
            .unwrap()
    }

    #[test]
    fn fields_functions_and_control() {
        let d = json!({"ID": "abc", "Names": "web", "State": {"Status": "running"}, "Tags": ["a", "b"], "Labels_": {"app": "x"}});
        assert_eq!(render("{{.ID}}\t{{.Names}}", d.clone()), "abc\tweb");
        assert_eq!(render("{{.State.Status}}", d.clone()), "running");
        assert_eq!(
            render("{{json .State}}", d.clone()),
            "{\"Status\":\"running\"}"
        );
        assert_eq!(render("{{join .Tags \",\"}}", d.clone()), "a,b");
        assert_eq!(render("{{.ID | upper}}", d.clone()), "ABC");
        assert_eq!(render("{{range .Tags}}[{{.}}]{{end}}", d.clone()), "[a][b]");
        assert_eq!(
            render("{{range $i, $t := .Tags}}{{$i}}={{$t}} {{end}}", d.clone()),
            "0=a 1=b "
        );
        assert_eq!(
            render("{{if eq .ID \"abc\"}}yes{{else}}no{{end}}", d.clone()),
            "yes"
        );
        assert_eq!(render("{{.Label \"app\"}}", d.clone()), "x");
        assert_eq!(render("{{- .ID -}}  \n", d.clone()), "abc");
        assert_eq!(render("{{truncate .ID 2}}", d), "ab");
    }

    #[test]
    fn unknown_fields_read_like_go() {
        let e = Template::parse("{{.Foo}}")
            .unwrap()
            .render(&json!({"ID": "x"}), "*formatter.ContainerContext")
            .unwrap_err();
        assert_eq!(e.0, "template: :1:2: executing \"\" at <.Foo>: can't evaluate field Foo in type *formatter.ContainerContext");
    }
}
