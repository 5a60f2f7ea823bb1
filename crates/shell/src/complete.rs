//! Tab completion: what the word under the cursor could become. Commands in
//! first position, docker's commands, subcommands and flags (from its own
//! help texts), container, image, volume and network names where docker
//! takes them, and paths everywhere else.

use crate::docker::{flags::FlagSpec, help};
use tidepool_engine::api::ContainerListOptions;
use tidepool_engine::fs::ReadFs;
use tidepool_engine::Host;

/// Candidates for the word that starts at byte `start` of the line.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Completion {
    pub start: usize,
    pub candidates: Vec<String>,
}

fn commands_of(help_text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut inside = false;
    for line in help_text.lines() {
        if line.ends_with("Commands:") {
            inside = true;
            continue;
        }
        if line.is_empty() {
            inside = false;
            continue;
        }
        if inside {
            if let Some(word) = line.split_whitespace().next() {
                out.push(word.trim_end_matches('*').to_string());
            }
        }
    }
    out
}

/// What kind of operand a docker command takes, by its usage line.
fn operand_kind(usage: &str) -> &'static str {
    if usage.contains("CONTAINER") {
        "container"
    } else if usage.contains("IMAGE")
        || usage.contains("NAME[:TAG")
        || usage.contains("SOURCE_IMAGE")
    {
        "image"
    } else if usage.contains("VOLUME") {
        "volume"
    } else if usage.contains("NETWORK") {
        "network"
    } else {
        "path"
    }
}

fn paths(host: &Host, fs: &dyn ReadFs, cwd: &str, home: &str, word: &str) -> Vec<String> {
    let _ = host;
    let (dir_part, prefix) = match word.rfind('/') {
        Some(i) => (&word[..=i], &word[i + 1..]),
        None => ("", word),
    };
    let dir = if let Some(rest) = dir_part.strip_prefix('~') {
        tidepool_engine::fs::normalize(home, &format!(".{rest}"))
    } else {
        tidepool_engine::fs::normalize(cwd, if dir_part.is_empty() { "." } else { dir_part })
    };
    fs.list(&dir)
        .into_iter()
        .filter(|n| n.starts_with(prefix) && (!n.starts_with('.') || prefix.starts_with('.')))
        .map(|n| {
            let full = if dir == "/" {
                format!("/{n}")
            } else {
                format!("{dir}/{n}")
            };
            let slash = if fs.is_dir(&fs.resolve(&full)) {
                "/"
            } else {
                ""
            };
            format!("{dir_part}{n}{slash}")
        })
        .collect()
}

pub(crate) fn complete(
    host: &Host,
    fs: &dyn ReadFs,
    cwd: &str,
    home: &str,
    commands: &[String],
    line: &str,
    cursor: usize,
) -> Completion {
    let cursor = cursor.min(line.len());
    let before = &line[..cursor];
    let start = before
        .rfind(|c: char| c.is_whitespace() || matches!(c, '|' | ';' | '&' | '(' | '$'))
        .map(|i| i + 1)
        .unwrap_or(0);
    let word = &before[start..];
    // Words of the current command (after the last separator).
    let segment_start = before.rfind(['|', ';', '&']).map(|i| i + 1).unwrap_or(0);
    let words: Vec<&str> = before[segment_start..start].split_whitespace().collect();
    let mut candidates: Vec<String> = if words.is_empty() {
        commands
            .iter()
            .filter(|c| c.starts_with(word))
            .cloned()
            .collect()
    } else if words[0] == "docker" {
        docker_candidates(host, &words[1..], word)
    } else {
        paths(host, fs, cwd, home, word)
    };
    candidates.sort();
    candidates.dedup();
    Completion { start, candidates }
}

fn docker_candidates(host: &Host, words: &[&str], word: &str) -> Vec<String> {
    let plain: Vec<&str> = words
        .iter()
        .copied()
        .filter(|w| !w.starts_with('-'))
        .collect();
    let top = help::text("docker").unwrap_or_default();
    let (key, used) = match plain.as_slice() {
        [] => ("docker".to_string(), 0),
        [a, ..]
            if help::text(&format!("{a}_{}", plain.get(1).copied().unwrap_or(""))).is_some() =>
        {
            (format!("{a}_{}", plain[1]), 2)
        }
        [a, ..] => (canonical(a), 1),
    };
    let text = help::text(&key).unwrap_or(top);
    if word.starts_with('-') {
        let section = if key == "docker" {
            "Global Options:"
        } else {
            "Options:"
        };
        return FlagSpec::from_help(text, section)
            .into_iter()
            .flat_map(|s| {
                let mut v = vec![format!("--{}", s.long)];
                if let Some(c) = s.short {
                    v.push(format!("-{c}"));
                }
                v
            })
            .filter(|f| f.starts_with(word))
            .collect();
    }
    if plain.len() < used || text.lines().any(|l| l == "Commands:") && plain.len() == used {
        return commands_of(text)
            .into_iter()
            .filter(|c| c.starts_with(word))
            .collect();
    }
    if key == "docker" {
        return commands_of(top)
            .into_iter()
            .filter(|c| c.starts_with(word))
            .collect();
    }
    let usage = text
        .lines()
        .find(|l| l.starts_with("Usage:"))
        .unwrap_or_default();
    let names: Vec<String> = match operand_kind(usage) {
        "container" => host
            .container_list(&ContainerListOptions {
                all: true,
                ..Default::default()
            })
            .unwrap_or_default()
            .into_iter()
            .flat_map(|c| {
                c.names
                    .into_iter()
                    .map(|n| n.trim_start_matches('/').to_string())
            })
            .collect(),
        "image" => {
            let mut v: Vec<String> = host
                .image_list()
                .into_iter()
                .flat_map(|i| i.repo_tags)
                .collect();
            if let Some(reg) = Some(tidepool_engine::registry::Registry::docker_hub()) {
                v.extend(
                    reg.repositories
                        .keys()
                        .map(|k| k.trim_start_matches("library/").to_string()),
                );
            }
            v
        }
        "volume" => host.volume_list().into_iter().map(|v| v.name).collect(),
        "network" => host.network_list().into_iter().map(|n| n.name).collect(),
        _ => Vec::new(),
    };
    names.into_iter().filter(|n| n.starts_with(word)).collect()
}

/// `ps` → `container_ls`: the help key a legacy top-level command uses.
fn canonical(word: &str) -> String {
    for (key, text) in help::HELP {
        if *key == word {
            return key.to_string();
        }
        let alias = format!("docker {word}");
        let mut lines = text.lines();
        while let Some(l) = lines.next() {
            if l == "Aliases:" {
                if lines
                    .next()
                    .is_some_and(|a| a.split(", ").any(|x| x.trim() == alias))
                {
                    return key.to_string();
                }
                break;
            }
        }
    }
    word.to_string()
}

#[cfg(test)]
mod tests {
    use crate::Sandbox;

    fn names(sb: &Sandbox, line: &str) -> Vec<String> {
        sb.complete(line, line.len()).candidates
    }

    #[test]
    fn completes_commands_docker_words_flags_names_and_paths() {
        let mut sb = Sandbox::new(1);
        sb.run_line("docker run -d --name web nginx");
        sb.run_line("mkdir -p html && touch html/index.html");
        assert!(names(&sb, "dock").contains(&"docker".to_string()));
        assert_eq!(names(&sb, "docker ru"), vec!["run"]);
        assert!(names(&sb, "docker container l").contains(&"ls".to_string()));
        assert!(names(&sb, "docker ps --fo").contains(&"--format".to_string()));
        assert_eq!(names(&sb, "docker stop w"), vec!["web"]);
        assert!(names(&sb, "docker run ngi").contains(&"nginx:latest".to_string()));
        assert_eq!(names(&sb, "cat ht"), vec!["html/"]);
        assert_eq!(names(&sb, "cat html/in"), vec!["html/index.html"]);
        let c = sb.complete("echo hi; docker st", 18);
        assert_eq!(c.start, 16);
        assert!(c.candidates.contains(&"stop".to_string()));
    }
}
