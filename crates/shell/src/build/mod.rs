//! `docker build`: a Dockerfile's instructions turned into image layers and
//! config, as BuildKit does it, with the output people see.
//!
//! RUN steps run through this crate's shell inside a sandbox container over
//! the image so far; what they write becomes the step's layer. COPY/ADD read
//! the build context from the machine's disk. Every step is cached by its
//! parent image, its text and (for COPY/ADD) the checksum of what it copies,
//! so a rebuild reuses everything before the first change and nothing after.
//!
//! The build is recorded as BuildKit's vertices (a name, a start and end
//! time, detail lines, command output, done / cached / error) and rendered
//! afterwards: the plain form (`#4 [2/4] WORKDIR /app`), the tty form redrawn
//! in place, or the legacy builder's `Step 2/4 :` lines.

pub mod dockerfile;

use crate::exec::{Ctx, Flavor, Shell};
use dockerfile::{exec_form, substitute, Instruction};
use std::collections::BTreeMap;
use tidepool_engine::api::{ContainerConfig, Empty};
use tidepool_engine::fs::{normalize, FileTree, Node, ReadFs, Union};
use tidepool_engine::image::sha256_digest;
use tidepool_engine::{reference, Millis, Timestamp};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Progress {
    /// `#N` lines, as in CI logs and `--progress=plain`.
    Plain,
    /// The redrawn `[+] Building` block of an interactive terminal.
    Tty,
}

#[derive(Clone, Debug)]
pub struct BuildOptions {
    /// The context directory, absolute.
    pub context: String,
    /// The Dockerfile, absolute.
    pub dockerfile: String,
    /// Normalized references to tag the result with.
    pub tags: Vec<String>,
    pub build_args: BTreeMap<String, String>,
    pub target: Option<String>,
    pub no_cache: bool,
    pub pull: bool,
    pub quiet: bool,
    pub labels: BTreeMap<String, String>,
    pub progress: Progress,
    /// `DOCKER_BUILDKIT=0`: the legacy builder's output.
    pub legacy: bool,
    /// `docker build -` : the Dockerfile came on stdin.
    pub stdin_dockerfile: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum VState {
    Done,
    Cached,
    Error(String),
}

/// One of BuildKit's progress vertices.
#[derive(Clone, Debug)]
struct Vertex {
    name: String,
    start: Timestamp,
    end: Timestamp,
    /// Sub-steps: (text, how long it took).
    details: Vec<(String, Millis)>,
    /// What the step's command printed, with when.
    output: Vec<(Timestamp, String)>,
    state: VState,
}

/// A build that stopped: the message, and the instruction it stopped at.
#[derive(Debug)]
struct Failure {
    message: String,
    at: Option<usize>,
    /// The step label (`[2/3]`) for the error frame.
    label: String,
}

impl Failure {
    fn plain(message: impl Into<String>) -> Failure {
        Failure {
            message: message.into(),
            at: None,
            label: String::new(),
        }
    }

    fn at(message: impl Into<String>, at: usize, label: String) -> Failure {
        Failure {
            message: message.into(),
            at: Some(at),
            label,
        }
    }
}

/// What a layer step made: the layer and the command's output lines.
type Produced = (FileTree, Vec<String>);

struct Stage {
    name: String,
    /// Named with `AS`: other stages may use it.
    named: bool,
    image: Option<String>,
    config: ContainerConfig,
    args: BTreeMap<String, String>,
    total: usize,
    done: usize,
    /// CMD was set in this stage (ENTRYPOINT then leaves it alone).
    cmd_set: bool,
    /// The cache key of the filesystem so far: the base image, then each
    /// layer step's key.
    fs_key: String,
}

struct Builder<'c, 'a> {
    ctx: &'c mut Ctx<'a>,
    opts: &'c BuildOptions,
    text: String,
    instructions: Vec<Instruction>,
    vertices: Vec<Vertex>,
    stages: Vec<Stage>,
    multi: bool,
    /// The first cache miss: every later step rebuilds.
    missed: bool,
    context_loaded: bool,
    global_args: BTreeMap<String, String>,
    warnings: Vec<String>,
    started: Timestamp,
    /// The instruction being run, as written, for the legacy builder's
    /// `Step N/M :` lines.
    current: String,
    /// Per instruction: (text, resulting image, cached, output lines).
    steps: Vec<(String, String, bool, Vec<String>)>,
    /// Base images this build had to pull: their FROM is not CACHED.
    pulled: Vec<String>,
}

/// Runs a build; prints what docker prints; returns the exit code.
pub fn build(opts: &BuildOptions, ctx: &mut Ctx) -> i32 {
    let started = ctx.host.now();
    let file_name = opts
        .dockerfile
        .rsplit('/')
        .next()
        .unwrap_or("Dockerfile")
        .to_string();
    let text = match &opts.stdin_dockerfile {
        Some(t) => Some(t.clone()),
        None => crate::vfs::read_text(ctx.host.machine_fs(), &opts.dockerfile).ok(),
    };
    let mut b = Builder {
        ctx,
        opts,
        text: text.clone().unwrap_or_default(),
        instructions: Vec::new(),
        vertices: Vec::new(),
        stages: Vec::new(),
        multi: false,
        missed: opts.no_cache,
        context_loaded: false,
        global_args: BTreeMap::new(),
        warnings: Vec::new(),
        started,
        current: String::new(),
        steps: Vec::new(),
        pulled: Vec::new(),
    };
    let v = b.open(format!("[internal] load build definition from {file_name}"));
    let size = text.as_ref().map(|t| t.len()).unwrap_or(2);
    b.vertices[v]
        .details
        .push((format!("transferring dockerfile: {size}B"), Millis(0)));
    b.close(v, VState::Done);
    let result = match text {
        None => Err(Failure::plain(format!(
            "failed to read dockerfile: open {file_name}: no such file or directory"
        ))),
        Some(t) => match dockerfile::parse(&t) {
            Err(e) if e.line == 0 => Err(Failure::plain(format!("{file_name}: {}", e.message))),
            Err(e) => Err(Failure {
                message: format!("dockerfile parse error on line {}: {}", e.line, e.message),
                at: None,
                label: format!("@{}", e.line),
            }),
            Ok(instructions) => {
                b.instructions = instructions;
                b.lint();
                b.run()
            }
        },
    };
    b.finish(result, &file_name)
}

impl Builder<'_, '_> {
    fn open(&mut self, name: impl Into<String>) -> usize {
        let now = self.ctx.host.now();
        self.vertices.push(Vertex {
            name: name.into(),
            start: now,
            end: now,
            details: Vec::new(),
            output: Vec::new(),
            state: VState::Done,
        });
        self.vertices.len() - 1
    }

    fn close(&mut self, v: usize, state: VState) {
        self.vertices[v].end = self.ctx.host.now();
        self.vertices[v].state = state;
    }

    fn stage(&mut self) -> &mut Stage {
        let i = self.stages.len() - 1;
        &mut self.stages[i]
    }

    fn label(&self) -> String {
        let Some(stage) = self.stages.last() else {
            return String::new();
        };
        let width = stage.total.to_string().len();
        let n = format!("{:>width$}", stage.done);
        if self.multi {
            format!("[{} {n}/{}]", stage.name, stage.total)
        } else {
            format!("[{n}/{}]", stage.total)
        }
    }

    /// Variables an instruction may expand: ENV so far, then ARGs.
    fn lookup(&self, name: &str) -> Option<String> {
        let stage = self.stages.last()?;
        stage
            .config
            .env
            .iter()
            .rev()
            .find_map(|kv| {
                kv.strip_prefix(name)
                    .and_then(|r| r.strip_prefix('='))
                    .map(str::to_string)
            })
            .or_else(|| stage.args.get(name).cloned())
    }

    fn expand(&self, text: &str) -> String {
        substitute(text, &|n: &str| self.lookup(n))
    }

    /// BuildKit's build checks, printed after the build.
    fn lint(&mut self) {
        for ins in &self.instructions {
            match ins.keyword.as_str() {
                "ENV" | "LABEL" if !ins.args.contains('=') => self.warnings.push(format!(
                    "LegacyKeyValueFormat: \"{0} key=value\" should be used instead of legacy \"{0} key value\" format (line {1})",
                    ins.keyword, ins.line
                )),
                "CMD" | "ENTRYPOINT" if !matches!(exec_form(&ins.args), Ok(Some(_))) => self.warnings.push(format!(
                    "JSONArgsRecommended: JSON arguments recommended for {} to prevent unintended behavior related to OS signals (line {})",
                    ins.keyword, ins.line
                )),
                "FROM" => {
                    let words: Vec<&str> = ins.args.split_whitespace().collect();
                    if words.len() == 3 {
                        let from_upper = raw_is_upper(self.text_line(ins.line));
                        let as_upper = words[1] == words[1].to_uppercase();
                        if from_upper != as_upper {
                            self.warnings.push(format!(
                                "FromAsCasing: '{}' and '{}' keywords' casing do not match (line {})",
                                words[1],
                                raw_from(self.text_line(ins.line)),
                                ins.line
                            ));
                        }
                    }
                }
                _ => {}
            }
        }
    }

    fn text_line(&self, n: usize) -> &str {
        self.text
            .lines()
            .nth(n.saturating_sub(1))
            .unwrap_or_default()
    }

    fn run(&mut self) -> Result<String, Failure> {
        let first_from = self.instructions.iter().position(|i| i.keyword == "FROM");
        for idx in 0..first_from.unwrap_or(self.instructions.len()) {
            let ins = &self.instructions[idx];
            if ins.keyword != "ARG" {
                return Err(Failure {
                    message: format!(
                        "dockerfile parse error on line {}: no build stage in current context",
                        ins.line
                    ),
                    at: None,
                    label: format!("@{}", ins.line),
                });
            }
            for (k, v) in arg_pairs(&ins.args) {
                let value = self
                    .opts
                    .build_args
                    .get(&k)
                    .cloned()
                    .or(v)
                    .unwrap_or_default();
                self.global_args.insert(k, value);
            }
        }
        let Some(first_from) = first_from else {
            return Err(Failure::plain(
                "dockerfile parse error: no build stage in current context",
            ));
        };
        // Validate every FROM and gather the stages, as the frontend does
        // before it runs anything.
        let mut names: Vec<String> = Vec::new();
        let mut bases: Vec<String> = Vec::new();
        let mut totals: Vec<usize> = Vec::new();
        for ins in &self.instructions[first_from..] {
            match ins.keyword.as_str() {
                "FROM" => {
                    let words: Vec<&str> = ins.args.split_whitespace().collect();
                    if !(words.len() == 1
                        || words.len() == 3 && words[1].eq_ignore_ascii_case("as"))
                    {
                        return Err(Failure {
                            message: format!("dockerfile parse error on line {}: FROM requires either one or three arguments", ins.line),
                            at: None,
                            label: format!("@{}", ins.line),
                        });
                    }
                    let base = substitute(words[0], &|n: &str| self.global_args.get(n).cloned());
                    names.push(words.get(2).map(|n| n.to_lowercase()).unwrap_or_default());
                    bases.push(base);
                    totals.push(1);
                }
                "RUN" | "COPY" | "ADD" | "WORKDIR" => {
                    if let Some(t) = totals.last_mut() {
                        *t += 1;
                    }
                }
                _ => {}
            }
        }
        if let Some(t) = &self.opts.target {
            if !names.iter().any(|n| n == t) {
                return Err(Failure::plain(format!(
                    "target stage \"{t}\" could not be found"
                )));
            }
        }
        // Stages the target needs: all up to it (BuildKit would prune the
        // unused ones; the numbering is the same).
        let last_stage = match &self.opts.target {
            Some(t) => names.iter().position(|n| n == t).unwrap_or(names.len() - 1),
            None => names.len() - 1,
        };
        // BuildKit names the stage in step labels unless the Dockerfile has
        // only one, whatever --target picks.
        self.multi = names.len() > 1;
        let mut metadata_done: Vec<String> = Vec::new();
        for (i, base) in bases.iter().enumerate().take(last_stage + 1) {
            if base == "scratch" || names[..i].contains(base) || metadata_done.contains(base) {
                continue;
            }
            metadata_done.push(base.clone());
            self.load_metadata(base)?;
        }
        let v = self.open("[internal] load .dockerignore");
        let ignore_len = crate::vfs::read_text(
            self.ctx.host.machine_fs(),
            &format!("{}/.dockerignore", self.opts.context),
        )
        .map(|t| t.len())
        .unwrap_or(2);
        self.vertices[v]
            .details
            .push((format!("transferring context: {ignore_len}B"), Millis(0)));
        self.close(v, VState::Done);

        let mut stage_index = 0;
        let mut idx = first_from;
        while idx < self.instructions.len() {
            let ins = self.instructions[idx].clone();
            self.current = ins.original.clone();
            if ins.keyword == "FROM" {
                if stage_index > last_stage {
                    break;
                }
                self.from(
                    &ins,
                    idx,
                    &names[stage_index],
                    &bases[stage_index],
                    totals[stage_index],
                    stage_index,
                )?;
                stage_index += 1;
            } else {
                self.instruction(&ins, idx)?;
            }
            idx += 1;
        }
        let stage = self
            .stages
            .last()
            .ok_or_else(|| Failure::plain("no build stage in current context"))?;
        let image = stage
            .image
            .clone()
            .ok_or_else(|| Failure::plain("failed to export image: nothing to export"))?;
        self.export(image)
    }

    fn load_metadata(&mut self, base: &str) -> Result<(), Failure> {
        let r = reference::parse_normalized(base)
            .map_err(|e| Failure::plain(format!("failed to parse stage name \"{base}\": {e}")))?;
        let full = r.clone().with_default_tag().to_string();
        let v = self.open(format!("[internal] load metadata for {full}"));
        self.ctx.host.advance(Millis(400));
        let present = self.ctx.host.resolve_image(base).is_ok();
        if !present || self.opts.pull {
            if let Err(e) = self.ctx.host.image_pull(base) {
                // BuildKit's resolver words the two failures its own way.
                let msg = e.to_string();
                let reason = if msg.contains("pull access denied") {
                    "pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed".to_string()
                } else if msg.contains("not found") || msg.contains("manifest unknown") {
                    format!("{full}: not found")
                } else {
                    msg
                };
                self.close(v, VState::Error(reason.clone()));
                return Err(Failure::plain(format!(
                    "{base}: failed to resolve source metadata for {full}: {reason}"
                )));
            }
            self.ctx.host.advance(Millis(900));
            self.pulled.push(base.to_string());
        }
        self.close(v, VState::Done);
        Ok(())
    }

    /// What BuildKit shows under a FROM whose image it had to fetch: the
    /// resolved reference, then each layer downloaded and extracted.
    fn fetch_details(&mut self, image: &str, shown: &str) -> Vec<(String, Millis)> {
        let mut details = vec![(format!("resolve {shown}"), Millis(0))];
        let layers = self
            .ctx
            .host
            .image_inspect(image)
            .map(|i| i.root_fs.layers)
            .unwrap_or_default();
        let mut sizes: Vec<i64> = self
            .ctx
            .host
            .image_history(image)
            .map(|rows| rows.iter().filter(|r| r.size > 0).map(|r| r.size).collect())
            .unwrap_or_default();
        sizes.reverse();
        for (i, layer) in layers.iter().enumerate().rev() {
            let size =
                crate::docker::table::human_size(sizes.get(i).copied().unwrap_or(0).max(0) as u64);
            let took = Millis(100 + 50 * i as u64);
            self.ctx.host.advance(took);
            details.push((format!("{layer} {size} / {size}"), took));
        }
        for layer in &layers {
            self.ctx.host.advance(Millis(100));
            details.push((format!("extracting {layer}"), Millis(100)));
        }
        details
    }

    fn from(
        &mut self,
        ins: &Instruction,
        idx: usize,
        name: &str,
        base: &str,
        total: usize,
        index: usize,
    ) -> Result<(), Failure> {
        let earlier = self.stages.iter().position(|s| s.named && s.name == *base);
        let (image, config, shown) = if let Some(i) = earlier {
            let s = &self.stages[i];
            (s.image.clone(), s.config.clone(), s.name.clone())
        } else if base == "scratch" {
            (None, ContainerConfig::default(), "scratch".to_string())
        } else {
            let id = self
                .ctx
                .host
                .resolve_image(base)
                .map_err(|e| Failure::at(e.to_string(), idx, String::new()))?;
            let info = self
                .ctx
                .host
                .image_inspect(&id)
                .map_err(|e| Failure::plain(e.to_string()))?;
            let shown = match reference::parse_normalized(base) {
                Ok(r) => {
                    let full = r.clone().with_default_tag().to_string();
                    let digest = info
                        .repo_digests
                        .iter()
                        .filter_map(|d| d.split_once('@'))
                        .find(|(repo, _)| {
                            reference::parse_normalized(repo).is_ok_and(|p| p.name() == r.name())
                        })
                        .map(|(_, d)| d.to_string());
                    match digest {
                        Some(d) if r.digest.is_none() => format!("{full}@{d}"),
                        _ => full,
                    }
                }
                Err(_) => base.to_string(),
            };
            (Some(id), info.config, shown)
        };
        let mut config = config;
        config.image = String::new();
        let fs_key = match earlier {
            Some(i) => self.stages[i].fs_key.clone(),
            None => image.clone().unwrap_or_else(|| "scratch".into()),
        };
        self.stages.push(Stage {
            name: if name.is_empty() {
                format!("stage-{index}")
            } else {
                name.to_string()
            },
            named: !name.is_empty(),
            image,
            config,
            args: BTreeMap::new(),
            total,
            done: 1,
            cmd_set: false,
            fs_key,
        });
        let label = self.label();
        let v = self.open(format!("{label} FROM {shown}"));
        let fetched = earlier.is_none() && self.pulled.iter().any(|p| p == base);
        if let (true, Some(id)) = (fetched, self.stages.last().and_then(|s| s.image.clone())) {
            let details = self.fetch_details(&id, &shown);
            self.vertices[v].details.extend(details);
        }
        self.close(
            v,
            if earlier.is_some() || fetched {
                VState::Done
            } else {
                VState::Cached
            },
        );
        let image = self
            .stages
            .last()
            .and_then(|s| s.image.clone())
            .unwrap_or_default();
        self.steps
            .push((ins.original.clone(), image, false, Vec::new()));
        Ok(())
    }

    /// The cache key of an image: its parent image, its step, its config.
    fn image_key(&self, created_by: &str, extra: &str) -> String {
        let parent = self
            .stages
            .last()
            .and_then(|s| s.image.clone())
            .unwrap_or_else(|| "scratch".into());
        let config = config_fingerprint(&self.stage_config());
        format!(
            "{}image:{}",
            self.cache_namespace(),
            sha256_digest(format!("{parent}\n{created_by}\n{extra}\n{config}").as_bytes())
        )
    }

    /// The legacy builder and BuildKit keep separate caches: neither reuses
    /// the other's steps.
    fn cache_namespace(&self) -> &'static str {
        if self.opts.legacy {
            "legacy:"
        } else {
            ""
        }
    }

    /// A step that only changes the config: one history entry, no layer.
    fn config_step(&mut self, created_by: &str) -> Result<(), Failure> {
        let key = self.image_key(created_by, "");
        if !self.opts.no_cache {
            if let Some(id) = self.ctx.host.build_cache_get(&key) {
                self.record(&id, true, Vec::new());
                self.stage().image = Some(id);
                return Ok(());
            }
        }
        let parent = self.stages.last().and_then(|s| s.image.clone());
        let config = self.stage_config();
        let id = self
            .ctx
            .host
            .image_derive(
                parent.as_deref(),
                self.opts.legacy,
                None,
                config,
                created_by,
                "buildkit.dockerfile.v0",
            )
            .map_err(|e| Failure::plain(e.to_string()))?;
        self.ctx.host.build_cache_put(&key, &id);
        self.record(&id, false, Vec::new());
        self.stage().image = Some(id);
        Ok(())
    }

    fn record(&mut self, image: &str, cached: bool, output: Vec<String>) {
        self.steps
            .push((self.current.clone(), image.to_string(), cached, output));
    }

    fn stage_config(&self) -> ContainerConfig {
        self.stages
            .last()
            .map(|s| s.config.clone())
            .unwrap_or_default()
    }

    fn instruction(&mut self, ins: &Instruction, idx: usize) -> Result<(), Failure> {
        let parse_error = |m: String| Failure {
            message: format!("dockerfile parse error on line {}: {m}", ins.line),
            at: None,
            label: format!("@{}", ins.line),
        };
        match ins.keyword.as_str() {
            "ARG" => {
                let pairs = arg_pairs(&ins.args);
                if pairs.is_empty() {
                    return Err(parse_error("ARG requires at least one argument".into()));
                }
                let mut shown = Vec::new();
                for (k, v) in pairs {
                    let default = v
                        .map(|v| self.expand(&v))
                        .or_else(|| self.global_args.get(&k).cloned());
                    let value = self.opts.build_args.get(&k).cloned().or(default.clone());
                    shown.push(match &value {
                        Some(v) => format!("{k}={v}"),
                        None => k.clone(),
                    });
                    self.stage().args.insert(k, value.unwrap_or_default());
                }
                self.config_step(&format!("ARG {}", shown.join(" ")))
            }
            "ENV" => {
                let pairs = env_pairs(&ins.args);
                if pairs.is_empty() {
                    return Err(parse_error("ENV must have two arguments".into()));
                }
                let mut shown = Vec::new();
                for (k, v) in pairs {
                    let v = self.expand(&v);
                    shown.push(format!("{k}={v}"));
                    let env = &mut self.stage().config.env;
                    env.retain(|e| e.split('=').next() != Some(k.as_str()));
                    env.push(format!("{k}={v}"));
                }
                self.config_step(&format!("ENV {}", shown.join(" ")))
            }
            "LABEL" | "MAINTAINER" => {
                if ins.keyword == "MAINTAINER" {
                    let who = ins.args.trim().to_string();
                    self.stage()
                        .config
                        .labels
                        .insert("maintainer".into(), who.clone());
                    return self.config_step(&format!("MAINTAINER {who}"));
                }
                let pairs = env_pairs(&ins.args);
                let mut shown = Vec::new();
                for (k, v) in pairs {
                    let v = self.expand(&v);
                    shown.push(format!("{k}={v}"));
                    self.stage().config.labels.insert(k, v);
                }
                self.config_step(&format!("LABEL {}", shown.join(" ")))
            }
            "EXPOSE" => {
                let ports: Vec<String> = self
                    .expand(&ins.args)
                    .split_whitespace()
                    .map(|p| {
                        if p.contains('/') {
                            p.to_lowercase()
                        } else {
                            format!("{p}/tcp")
                        }
                    })
                    .collect();
                for p in &ports {
                    self.stage()
                        .config
                        .exposed_ports
                        .insert(p.clone(), Empty {});
                }
                let shown: Vec<String> = ports.iter().map(|p| format!("{p}:{{}}")).collect();
                self.config_step(&format!("EXPOSE map[{}]", shown.join(" ")))
            }
            "CMD" | "ENTRYPOINT" => {
                let argv = match exec_form(&ins.args) {
                    Ok(Some(v)) => v,
                    Ok(None) => vec!["/bin/sh".into(), "-c".into(), ins.args.clone()],
                    Err(m) => return Err(parse_error(m)),
                };
                let shown = format!(
                    "{} [{}]",
                    ins.keyword,
                    argv.iter()
                        .map(|a| format!("\"{a}\""))
                        .collect::<Vec<_>>()
                        .join(" ")
                );
                let stage = self.stage();
                if ins.keyword == "CMD" {
                    stage.config.cmd = Some(argv);
                    stage.cmd_set = true;
                } else {
                    stage.config.entrypoint = Some(argv);
                    if !stage.cmd_set {
                        stage.config.cmd = None;
                    }
                }
                self.config_step(&shown)
            }
            "USER" => {
                let user = self.expand(ins.args.trim());
                if user.is_empty() {
                    return Err(parse_error("USER requires exactly one argument".into()));
                }
                self.stage().config.user = user.clone();
                self.config_step(&format!("USER {user}"))
            }
            "STOPSIGNAL" => {
                let sig = ins.args.trim().to_string();
                self.stage().config.stop_signal = Some(sig.clone());
                self.config_step(&format!("STOPSIGNAL {sig}"))
            }
            "VOLUME" => {
                let vols = exec_form(&ins.args)
                    .ok()
                    .flatten()
                    .unwrap_or_else(|| ins.args.split_whitespace().map(str::to_string).collect());
                let set = self
                    .stage()
                    .config
                    .volumes
                    .get_or_insert_with(BTreeMap::new);
                for v in &vols {
                    set.insert(v.clone(), Empty {});
                }
                self.config_step(&format!("VOLUME [{}]", vols.join(" ")))
            }
            "SHELL" | "HEALTHCHECK" | "ONBUILD" => self.config_step(&ins.original),
            "WORKDIR" => {
                let arg = self.expand(ins.args.trim());
                if arg.is_empty() || arg.split_whitespace().count() > 1 && !arg.starts_with('"') {
                    return Err(parse_error("WORKDIR requires exactly one argument".into()));
                }
                let current = self.stage_config().working_dir;
                let dir = normalize(
                    if current.is_empty() { "/" } else { &current },
                    arg.trim_matches('"'),
                );
                self.stage().config.working_dir = dir.clone();
                self.stage().done += 1;
                let exists = self.image_fs_is_dir(&dir);
                let mut tree = FileTree::new();
                if !exists {
                    tree.insert(&dir, Node::dir());
                }
                let label = self.label();
                self.fs_step(
                    &format!("{label} WORKDIR {dir}"),
                    &format!("WORKDIR {dir}"),
                    tree,
                    "",
                    Millis(0),
                )
            }
            "COPY" | "ADD" => self.copy(ins, idx),
            "RUN" => self.run_step(ins, idx),
            _ => Ok(()),
        }
    }

    fn image_fs_is_dir(&self, path: &str) -> bool {
        let Some(id) = self.stages.last().and_then(|s| s.image.clone()) else {
            return false;
        };
        let layers = self.ctx.host.image_layers(&id);
        let u = Union::new(layers.iter().map(|t| t.as_ref()).collect());
        u.is_dir(&u.resolve(path))
    }

    /// A step that writes files (WORKDIR, COPY, ADD): cached, or made into
    /// a layer now.
    fn fs_step(
        &mut self,
        vertex: &str,
        created_by: &str,
        tree: FileTree,
        checksum: &str,
        took: Millis,
    ) -> Result<(), Failure> {
        let v = self.open(vertex);
        let mut tree = Some(tree);
        self.layer_step(v, created_by, checksum, &mut |b: &mut Self| {
            b.ctx.host.advance(took);
            Ok((tree.take().unwrap_or_default(), Vec::new()))
        })
    }

    /// A step that makes a layer, as BuildKit caches it: the layer is keyed
    /// by the filesystem steps before it (config steps like ARG or ENV do not
    /// count) and this step's text and inputs; the image around it by its
    /// parent image. `produce` runs only on a miss and returns the layer and
    /// the command's output.
    fn layer_step(
        &mut self,
        v: usize,
        created_by: &str,
        inputs: &str,
        produce: &mut dyn FnMut(&mut Self) -> Result<Produced, Failure>,
    ) -> Result<(), Failure> {
        let fs_key = self
            .stages
            .last()
            .map(|s| s.fs_key.clone())
            .unwrap_or_default();
        let layer_key = format!(
            "{}layer:{}",
            self.cache_namespace(),
            sha256_digest(format!("{fs_key}\n{created_by}\n{inputs}").as_bytes())
        );
        let image_key = self.image_key(created_by, &layer_key);
        let parent = self.stages.last().and_then(|s| s.image.clone());
        let holder = if self.opts.no_cache {
            None
        } else {
            self.ctx.host.build_cache_get(&layer_key)
        };
        let (id, cached, output) = match holder {
            Some(holder) => {
                let id = match self.ctx.host.build_cache_get(&image_key) {
                    Some(id) => id,
                    None => {
                        let tree = self
                            .ctx
                            .host
                            .image_layers(&holder)
                            .first()
                            .map(|t| t.as_ref().clone())
                            .unwrap_or_default();
                        self.ctx
                            .host
                            .image_derive(
                                parent.as_deref(),
                                self.opts.legacy,
                                Some(tree),
                                self.stage_config(),
                                created_by,
                                "buildkit.dockerfile.v0",
                            )
                            .map_err(|e| Failure::plain(e.to_string()))?
                    }
                };
                (id, true, Vec::new())
            }
            None => {
                let (tree, output) = produce(self)?;
                let id = self
                    .ctx
                    .host
                    .image_derive(
                        parent.as_deref(),
                        self.opts.legacy,
                        Some(tree),
                        self.stage_config(),
                        created_by,
                        "buildkit.dockerfile.v0",
                    )
                    .map_err(|e| Failure::plain(e.to_string()))?;
                self.ctx.host.build_cache_put(&layer_key, &id);
                self.missed = true;
                (id, false, output)
            }
        };
        self.ctx.host.build_cache_put(&image_key, &id);
        self.record(&id, cached, output);
        self.stage().image = Some(id);
        self.stage().fs_key = layer_key;
        self.close(v, if cached { VState::Cached } else { VState::Done });
        Ok(())
    }

    /// Files the build context holds (relative path, node), minus what
    /// `.dockerignore` excludes.
    fn context_files(&self) -> Vec<(String, Node)> {
        let dir = self.opts.context.clone();
        let fs = self.ctx.host.machine_fs();
        let ignore: Vec<(bool, String)> =
            crate::vfs::read_text(fs, &format!("{dir}/.dockerignore"))
                .unwrap_or_default()
                .lines()
                .map(str::trim)
                .filter(|l| !l.is_empty() && !l.starts_with('#'))
                .map(|l| match l.strip_prefix('!') {
                    Some(rest) => (false, clean_pattern(rest)),
                    None => (true, clean_pattern(l)),
                })
                .collect();
        let prefix = if dir == "/" {
            String::from("/")
        } else {
            format!("{dir}/")
        };
        fs.walk(&dir)
            .into_iter()
            .filter_map(|(p, n)| {
                let rel = p.strip_prefix(&prefix)?.to_string();
                let mut ignored = false;
                for (exclude, pat) in &ignore {
                    if ignore_matches(pat, &rel) {
                        ignored = *exclude;
                    }
                }
                (!ignored).then_some((rel, n))
            })
            .collect()
    }

    fn copy(&mut self, ins: &Instruction, idx: usize) -> Result<(), Failure> {
        let from = ins
            .flags
            .iter()
            .find(|(k, _)| k == "from")
            .map(|(_, v)| v.clone());
        let chown = ins
            .flags
            .iter()
            .find(|(k, _)| k == "chown")
            .map(|(_, v)| v.clone());
        let chmod = ins
            .flags
            .iter()
            .find(|(k, _)| k == "chmod")
            .and_then(|(_, v)| u32::from_str_radix(v, 8).ok());
        let mut words = match exec_form(&ins.args) {
            Ok(Some(w)) => w.iter().map(|w| self.expand(w)).collect(),
            _ => split_words(&self.expand(&ins.args)),
        };
        let heredoc_files: Vec<(String, String)> = ins.heredocs.clone();
        if !heredoc_files.is_empty() {
            words.retain(|w| !w.starts_with("<<"));
        }
        if words.len() + heredoc_files.len() < 2 {
            return Err(Failure {
                message: format!(
                    "dockerfile parse error on line {}: {} requires at least two arguments, but only one was provided. Destination could not be determined",
                    ins.line, ins.keyword
                ),
                at: None,
                label: format!("@{}", ins.line),
            });
        }
        self.stage().done += 1;
        let label = self.label();
        let Some((dest, srcs)) = words.split_last().map(|(d, s)| (d.clone(), s.to_vec())) else {
            return Ok(());
        };
        let workdir = match self.stage_config().working_dir.as_str() {
            "" => "/".to_string(),
            w => w.to_string(),
        };
        // Where the files come from: the context, or a stage / image.
        let source: Vec<(String, Node)> = match &from {
            None => {
                let files = self.context_files();
                if !self.context_loaded && !srcs.is_empty() {
                    let bytes: u64 = files.iter().map(|(_, n)| n.size()).sum();
                    let v = self.open("[internal] load build context");
                    self.vertices[v].details.push((
                        format!("transferring context: {}", human_bytes(bytes.max(2))),
                        Millis(0),
                    ));
                    self.close(v, VState::Done);
                    self.context_loaded = true;
                }
                files
            }
            Some(f) => {
                let image = match self
                    .stages
                    .iter()
                    .find(|s| s.named && s.name == f.to_lowercase())
                {
                    Some(s) => s.image.clone(),
                    None => match f.parse::<usize>() {
                        Ok(n) if n < self.stages.len() - 1 => self.stages[n].image.clone(),
                        _ => {
                            if self.ctx.host.resolve_image(f).is_err() {
                                let _ = self.ctx.host.image_pull(f);
                            }
                            match self.ctx.host.resolve_image(f) {
                                Ok(id) => Some(id),
                                Err(_) => {
                                    let full = reference::parse_normalized(f)
                                        .map(|r| r.with_default_tag().to_string())
                                        .unwrap_or(f.clone());
                                    return Err(Failure::at(
                                        format!("{full}: failed to resolve source metadata for {full}: pull access denied, repository does not exist or may require authorization: server message: insufficient_scope: authorization failed"),
                                        idx,
                                        label.clone(),
                                    ));
                                }
                            }
                        }
                    },
                };
                match image {
                    Some(id) => {
                        let layers = self.ctx.host.image_layers(&id);
                        let u = Union::new(layers.iter().map(|t| t.as_ref()).collect());
                        u.walk("/")
                            .into_iter()
                            .map(|(p, n)| (p.trim_start_matches('/').to_string(), n))
                            .collect()
                    }
                    None => Vec::new(),
                }
            }
        };
        let many = srcs.len() + heredoc_files.len() > 1 || dest.ends_with('/');
        let dest_abs = normalize(&workdir, &dest);
        let dest_is_dir = many || self.image_fs_is_dir(&dest_abs);
        let mut tree = FileTree::new();
        let mut checksum = String::new();
        let owner = chown.as_deref().map(|o| self.owner_ids(o));
        let place = |tree: &mut FileTree, target: &str, node: &Node| {
            let mut node = node.clone();
            match &mut node {
                Node::File { meta, .. } | Node::Dir { meta, .. } => {
                    if let Some((uid, gid)) = owner {
                        meta.uid = uid;
                        meta.gid = gid;
                    }
                    if let (Some(mode), false) = (chmod, matches!(node, Node::Dir { .. })) {
                        if let Node::File { meta, .. } = &mut node {
                            meta.mode = mode;
                        }
                    }
                }
                _ => {}
            }
            tree.insert(target, node);
        };
        for (name, body) in &heredoc_files {
            let target = if dest_is_dir {
                format!("{}/{name}", dest_abs.trim_end_matches('/'))
            } else {
                dest_abs.clone()
            };
            checksum.push_str(&format!("{target}\0{body}\n"));
            place(&mut tree, &target, &Node::file(body.as_bytes().to_vec()));
        }
        for src in &srcs {
            let rel = normalize("/", src).trim_start_matches('/').to_string();
            let pattern = rel.contains(['*', '?', '[']);
            let hits: Vec<&(String, Node)> = source
                .iter()
                .filter(|(p, _)| {
                    rel.is_empty()
                        || *p == rel
                        || p.starts_with(&format!("{rel}/"))
                        || pattern && (crate::vfs::wildcard(&rel, p) || parent_matches(&rel, p))
                })
                .collect();
            if hits.is_empty() {
                let what = format!("\"/{rel}\": not found");
                let r = &sha256_digest(format!("{}{rel}", self.opts.context).as_bytes())[7..32];
                return Err(Failure::at(
                    format!("failed to compute cache key: failed to calculate checksum of ref {r}::{}: {what}", &r[..20]),
                    idx,
                    label.clone(),
                ));
            }
            for (p, n) in hits {
                // A directory source copies its contents, not itself.
                let inner = if rel.is_empty() {
                    Some(p.as_str())
                } else if let Some(rest) = p.strip_prefix(&format!("{rel}/")) {
                    Some(rest)
                } else if pattern && !crate::vfs::wildcard(&rel, p) {
                    // Below a directory the pattern matched.
                    let top = p
                        .split('/')
                        .take(rel.split('/').count())
                        .collect::<Vec<_>>()
                        .join("/");
                    let base = top.rsplit('/').next().unwrap_or(&top).to_string();
                    let rest = &p[top.len()..];
                    let target = format!("{}/{base}{rest}", dest_abs.trim_end_matches('/'));
                    checksum.push_str(&format!("{target}\0{}\n", node_fingerprint(n)));
                    place(&mut tree, &target, n);
                    continue;
                } else {
                    None
                };
                let target = match inner {
                    Some(inner) => format!("{}/{inner}", dest_abs.trim_end_matches('/')),
                    None if n.is_dir() => format!(
                        "{}/{}",
                        dest_abs.trim_end_matches('/'),
                        p.rsplit('/').next().unwrap_or(p)
                    ),
                    None if dest_is_dir => format!(
                        "{}/{}",
                        dest_abs.trim_end_matches('/'),
                        p.rsplit('/').next().unwrap_or(p)
                    ),
                    None => dest_abs.clone(),
                };
                let target = normalize("/", &target);
                checksum.push_str(&format!("{target}\0{}\n", node_fingerprint(n)));
                place(&mut tree, &target, n);
            }
        }
        if tree.is_empty() {
            tree.insert(&dest_abs, Node::dir());
        }
        let shown_args = shown_args(ins);
        let vertex = format!("{label} {} {}", ins.keyword, shown_args);
        let created_by = format!("{} {} # buildkit", ins.keyword, shown_args);
        self.fs_step(&vertex, &created_by, tree, &checksum, Millis(80))
    }

    /// `--chown=user:group` as numbers, looking names up in the image.
    fn owner_ids(&self, spec: &str) -> (u32, u32) {
        let (u, g) = spec.split_once(':').unwrap_or((spec, spec));
        let passwd = self.image_text("/etc/passwd");
        let group = self.image_text("/etc/group");
        let find = |table: &str, name: &str| -> u32 {
            name.parse().ok().unwrap_or_else(|| {
                table
                    .lines()
                    .find_map(|l| {
                        let f: Vec<&str> = l.split(':').collect();
                        (f.first() == Some(&name))
                            .then(|| f.get(2).and_then(|x| x.parse().ok()).unwrap_or(0))
                    })
                    .unwrap_or(0)
            })
        };
        (
            find(&passwd, u),
            find(&group, g).max(if g == u { find(&passwd, u) } else { 0 }),
        )
    }

    fn image_text(&self, path: &str) -> String {
        let Some(id) = self.stages.last().and_then(|s| s.image.clone()) else {
            return String::new();
        };
        let layers = self.ctx.host.image_layers(&id);
        let u = Union::new(layers.iter().map(|t| t.as_ref()).collect());
        crate::vfs::read_text(&u, path).unwrap_or_default()
    }

    fn run_step(&mut self, ins: &Instruction, idx: usize) -> Result<(), Failure> {
        self.stage().done += 1;
        let label = self.label();
        let mut argv = match exec_form(&ins.args) {
            Ok(Some(v)) => v,
            _ => vec!["/bin/sh".to_string(), "-c".to_string(), ins.args.clone()],
        };
        if let Some((_, body)) = ins.heredocs.first() {
            argv = vec!["/bin/sh".to_string(), "-c".to_string(), body.clone()];
        }
        let stage_args: Vec<(String, String)> = self
            .stages
            .last()
            .map(|s| s.args.iter().map(|(k, v)| (k.clone(), v.clone())).collect())
            .unwrap_or_default();
        let arg_prefix = if stage_args.is_empty() {
            String::new()
        } else {
            format!(
                "|{} {} ",
                stage_args.len(),
                stage_args
                    .iter()
                    .map(|(k, v)| format!("{k}={v}"))
                    .collect::<Vec<_>>()
                    .join(" ")
            )
        };
        let created_by = format!("RUN {arg_prefix}{} # buildkit", argv.join(" "));
        let shown_args = shown_args(ins);
        let vertex = format!("{label} RUN {shown_args}");
        let v = self.open(vertex);
        // The sandbox: the image so far, its env plus the build args.
        let mut config = self.stage_config();
        for (k, val) in &stage_args {
            if !config
                .env
                .iter()
                .any(|e| e.split('=').next() == Some(k.as_str()))
            {
                config.env.push(format!("{k}={val}"));
            }
        }
        let inputs = format!("{:?}\n{}\n{}", config.env, config.user, config.working_dir);
        self.layer_step(v, &created_by, &inputs, &mut |b: &mut Self| {
            b.execute(v, &argv, &config, idx, &label)
        })
    }

    /// Runs a RUN command in a sandbox over the image so far; returns what
    /// it wrote and printed, or the failure a non-zero exit is.
    fn execute(
        &mut self,
        v: usize,
        argv: &[String],
        config: &ContainerConfig,
        idx: usize,
        label: &str,
    ) -> Result<(FileTree, Vec<String>), Failure> {
        let workdir = if config.working_dir.is_empty() {
            "/".to_string()
        } else {
            config.working_dir.clone()
        };
        let parent = self.stages.last().and_then(|s| s.image.clone());
        let sandbox = self
            .ctx
            .host
            .build_sandbox(parent.as_deref(), config.clone())
            .map_err(|e| Failure::plain(e.to_string()))?;
        let busybox = self
            .ctx
            .host
            .container_fs_mut(&sandbox)
            .map(|fs| fs.exists("/bin/busybox"))
            .unwrap_or(false);
        let flavor = if busybox { Flavor::Ash } else { Flavor::Dash };
        let mut shell = Shell::for_container(flavor, &config.env, &workdir, "buildkitsandbox");
        let passwd = crate::docker::passwd_of(&sandbox, self.ctx);
        shell.as_user(&config.user, &passwd);
        self.ctx.host.advance(Millis(120));
        let start = self.ctx.host.now();
        let (status, chunks) =
            crate::docker::run_inside(&sandbox, argv, &mut shell, String::new(), false, self.ctx);
        let upper = self.ctx.host.build_sandbox_finish(&sandbox);
        let end = self.ctx.host.now().max(start);
        // Spread the output over the step's time, line by line.
        let text: String = chunks.into_iter().map(|(_, t)| t).collect();
        let lines: Vec<String> = text.lines().map(str::to_string).collect();
        let span = (end - start).0.max(lines.len() as u64 * 3);
        for (i, l) in lines.iter().enumerate() {
            let at = start + Millis(span * (i as u64 + 1) / (lines.len() as u64 + 1));
            self.vertices[v].output.push((at, l.clone()));
        }
        if status != 0 {
            self.record("", false, lines);
            let message = format!(
                "process \"{}\" did not complete successfully: exit code: {status}",
                argv.join(" ")
            );
            self.close(v, VState::Error(message.clone()));
            return Err(Failure::at(message, idx, label.to_string()));
        }
        Ok((upper, lines))
    }

    fn export(&mut self, mut image: String) -> Result<String, Failure> {
        if !self.opts.labels.is_empty() {
            let mut cfg = self.stage_config();
            cfg.labels.extend(self.opts.labels.clone());
            image = self
                .ctx
                .host
                .image_derive(
                    Some(&image),
                    self.opts.legacy,
                    None,
                    cfg,
                    "LABEL",
                    "buildkit.dockerfile.v0",
                )
                .map_err(|e| Failure::plain(e.to_string()))?;
        }
        self.ctx.host.build_export(&image);
        let v = self.open("exporting to image");
        let took = if self.missed { Millis(100) } else { Millis(0) };
        self.ctx.host.advance(took);
        self.vertices[v]
            .details
            .push(("exporting layers".into(), took));
        self.vertices[v]
            .details
            .push((format!("writing image {image}"), Millis(0)));
        for t in self.opts.tags.clone() {
            if let Err(e) = self.ctx.host.image_tag(&image, &t) {
                return Err(Failure::plain(e.to_string()));
            }
            self.vertices[v]
                .details
                .push((format!("naming to {t}"), Millis(0)));
        }
        self.close(v, VState::Done);
        Ok(image)
    }

    /// Prints the build as the chosen progress form shows it.
    fn finish(self, result: Result<String, Failure>, file_name: &str) -> i32 {
        if self.opts.legacy {
            return self.finish_legacy(result);
        }
        let mut tail = String::new();
        if let Err(f) = &result {
            tail = self.error_frame(f, file_name);
        } else if !self.warnings.is_empty() {
            let n = self.warnings.len();
            tail.push_str(&format!(
                " {n} warning{} found (use docker --debug to expand):\n",
                if n == 1 { "" } else { "s" }
            ));
            for w in &self.warnings {
                tail.push_str(&format!(" - {w}\n"));
            }
        }
        if self.opts.quiet {
            if result.is_err() {
                self.ctx.err(&tail);
            }
        } else {
            match self.opts.progress {
                Progress::Plain => {
                    let text = render_plain(&self.vertices);
                    self.ctx.err(text);
                    self.ctx.err(&tail);
                }
                Progress::Tty if self.ctx.foreground_ok => {
                    let mut frames = tty_frames(&self.vertices, self.started, self.ctx.host.now());
                    let end = frames
                        .last()
                        .map(|(t, _)| *t)
                        .unwrap_or(self.ctx.host.now());
                    frames.push((end, tail.clone()));
                    let code = if result.is_ok() { 0 } else { 1 };
                    let status = crate::job::attach(
                        crate::job::JobKind::Frames { frames, next: 0 },
                        self.ctx,
                    );
                    return if code == 0 { status } else { code };
                }
                Progress::Tty => {
                    let frame = tty_frame(
                        &self.vertices,
                        self.started,
                        self.ctx.host.now(),
                        self.ctx.host.now(),
                        true,
                    );
                    self.ctx.err(frame);
                    self.ctx.err(&tail);
                }
            }
        }
        match result {
            Ok(id) => {
                if self.opts.quiet {
                    self.ctx.outln(id);
                }
                0
            }
            Err(_) => 1,
        }
    }

    /// The legacy builder: `Step N/M :` lines on stdout.
    fn finish_legacy(self, result: Result<String, Failure>) -> i32 {
        self.ctx.errln("DEPRECATED: The legacy builder is deprecated and will be removed in a future release.\n            BuildKit is currently disabled; enable it by removing the DOCKER_BUILDKIT=0\n            environment-variable.\n");
        let bytes: u64 = self.context_files().iter().map(|(_, n)| n.size()).sum();
        let mut out = String::new();
        if !self.opts.quiet {
            out.push_str(&format!(
                "Sending build context to Docker daemon  {}\n",
                crate::docker::table::human_size4(bytes.max(2))
            ));
        }
        let total = self.instructions.len();
        let short = |id: &str| {
            id.trim_start_matches("sha256:")
                .chars()
                .take(12)
                .collect::<String>()
        };
        let mut n = self
            .instructions
            .iter()
            .take_while(|i| i.keyword != "FROM")
            .count();
        for (text, image, cached, output) in &self.steps {
            if self.opts.quiet {
                continue;
            }
            n += 1;
            out.push_str(&format!("Step {n}/{total} : {text}\n"));
            let keyword = text
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_uppercase();
            if keyword == "FROM" {
                out.push_str(&format!(" ---> {}\n", short(image)));
                continue;
            }
            if *cached {
                out.push_str(&format!(" ---> Using cache\n ---> {}\n", short(image)));
                continue;
            }
            if !matches!(keyword.as_str(), "COPY" | "ADD") {
                let container = short(&sha256_digest(format!("{image}{text}{n}").as_bytes()));
                out.push_str(&format!(" ---> Running in {container}\n"));
                for l in output {
                    out.push_str(l);
                    out.push('\n');
                }
                if image.is_empty() {
                    break;
                }
                out.push_str(&format!(
                    " ---> Removed intermediate container {container}\n"
                ));
            }
            out.push_str(&format!(" ---> {}\n", short(image)));
        }
        match result {
            Ok(id) => {
                if self.opts.quiet {
                    out.push_str(&format!("{id}\n"));
                } else {
                    out.push_str(&format!("Successfully built {}\n", short(&id)));
                    for t in &self.opts.tags {
                        let shown = t
                            .strip_prefix("docker.io/library/")
                            .or_else(|| t.strip_prefix("docker.io/"))
                            .unwrap_or(t);
                        out.push_str(&format!("Successfully tagged {shown}\n"));
                    }
                }
                self.ctx.out(out);
                0
            }
            Err(f) => {
                self.ctx.out(out);
                if let Some(code) = f
                    .message
                    .strip_prefix("process \"")
                    .and_then(|m| m.rsplit_once("exit code: "))
                    .and_then(|(_, c)| c.parse::<i32>().ok())
                {
                    let cmd = f
                        .message
                        .trim_start_matches("process \"")
                        .split("\" did not complete")
                        .next()
                        .unwrap_or_default()
                        .to_string();
                    self.ctx.errln(format!(
                        "The command '{cmd}' returned a non-zero code: {code}"
                    ));
                    return code;
                }
                self.ctx.errln(f.message);
                1
            }
        }
    }

    fn error_frame(&self, f: &Failure, file_name: &str) -> String {
        let mut out = String::new();
        let span = match (f.at, f.label.strip_prefix('@')) {
            (Some(i), _) => self.instructions.get(i).map(|ins| (ins.line, ins.end_line)),
            (None, Some(n)) => n.parse::<usize>().ok().map(|n| (n, n)),
            _ => None,
        };
        if let Some(i) = f.at {
            if let Some(ins) = self.instructions.get(i) {
                let shown_args = shown_args(ins);
                out.push_str(&format!(
                    "------\n > {} {} {}:\n",
                    f.label, ins.keyword, shown_args
                ));
                if let Some(v) = self
                    .vertices
                    .iter()
                    .rev()
                    .find(|v| matches!(v.state, VState::Error(_)))
                {
                    let n = v.output.len();
                    for (t, line) in &v.output[n.saturating_sub(10)..] {
                        out.push_str(&format!("{} {line}\n", seconds3(*t - v.start)));
                    }
                }
                out.push_str("------\n");
            }
        }
        if let Some((first, last)) = span {
            let lines: Vec<&str> = self.text.lines().collect();
            out.push_str(&format!(
                "{file_name}:{}\n--------------------\n",
                if first == last {
                    first.to_string()
                } else {
                    format!("{first}-{last}")
                }
            ));
            let from = first.saturating_sub(2).max(1);
            let to = (last + 2).min(lines.len().max(last));
            for n in from..=to {
                let text = lines.get(n - 1).copied().unwrap_or("");
                let marker = if (first..=last).contains(&n) {
                    ">>>"
                } else {
                    "   "
                };
                out.push_str(&format!("{n:>4} | {marker} {text}\n"));
            }
            out.push_str("--------------------\n");
        }
        out.push_str(&format!(
            "ERROR: failed to build: failed to solve: {}\n",
            f.message
        ));
        out
    }
}

/// An instruction's arguments as written, for vertex names and history.
fn shown_args(ins: &Instruction) -> &str {
    ins.original
        .split_once(char::is_whitespace)
        .map(|(_, a)| a.trim())
        .unwrap_or("")
}

fn raw_is_upper(line: &str) -> bool {
    let w = raw_from(line);
    w == w.to_uppercase()
}

fn raw_from(line: &str) -> &str {
    line.split_whitespace().next().unwrap_or("FROM")
}

fn human_bytes(n: u64) -> String {
    crate::docker::table::human_size(n)
}

/// `1.234` seconds, as BuildKit stamps command output.
fn seconds3(d: Millis) -> String {
    format!("{}.{:03}", d.0 / 1000, d.0 % 1000)
}

fn seconds1(d: Millis) -> String {
    format!("{:.1}s", d.0 as f64 / 1000.0)
}

/// The plain progress form.
fn render_plain(vertices: &[Vertex]) -> String {
    let mut out = String::from("#0 building with \"default\" instance using docker driver\n\n");
    for (i, v) in vertices.iter().enumerate() {
        let n = i + 1;
        out.push_str(&format!("#{n} {}\n", v.name));
        for (text, took) in &v.details {
            if took.0 > 0 {
                out.push_str(&format!("#{n} {text} {} done\n", seconds1(*took)));
            } else {
                out.push_str(&format!("#{n} {text} done\n"));
            }
        }
        for (t, line) in &v.output {
            out.push_str(&format!("#{n} {} {line}\n", seconds3(*t - v.start)));
        }
        match &v.state {
            VState::Done => out.push_str(&format!("#{n} DONE {}\n", seconds1(v.end - v.start))),
            VState::Cached => out.push_str(&format!("#{n} CACHED\n")),
            VState::Error(m) => out.push_str(&format!("#{n} ERROR: {m}\n")),
        }
        out.push('\n');
    }
    out
}

/// The terminal's width for the tty form.
const WIDTH: usize = 80;

/// One redraw of the tty form at virtual time `at` of a build recorded
/// from `start`. Vertices not started by then are not shown.
fn tty_frame(
    vertices: &[Vertex],
    start: Timestamp,
    end: Timestamp,
    at: Timestamp,
    finished: bool,
) -> String {
    let shown: Vec<&Vertex> = vertices.iter().filter(|v| v.start <= at).collect();
    let done = shown.iter().filter(|v| v.end <= at).count();
    let elapsed = seconds1(at.min(end) - start);
    let head = if finished {
        format!(
            "[+] Building {elapsed} ({done}/{}) FINISHED",
            vertices.len()
        )
    } else {
        format!("[+] Building {elapsed} ({done}/{})", vertices.len())
    };
    let right = "docker:default";
    let mut out = format!(
        "{head}{}{right}\n",
        " ".repeat(
            WIDTH
                .saturating_sub(head.chars().count() + right.len())
                .max(1)
        )
    );
    let line = |out: &mut String, left: String, time: String| {
        let room = WIDTH.saturating_sub(time.len() + 1);
        let left: String = if left.chars().count() > room {
            left.chars().take(room).collect()
        } else {
            left
        };
        let pad = WIDTH.saturating_sub(left.chars().count() + time.len());
        out.push_str(&format!("{left}{}{time}\n", " ".repeat(pad.max(1))));
    };
    for v in shown {
        let running = v.end > at;
        let took = if running {
            at - v.start
        } else {
            v.end - v.start
        };
        let prefix = match (&v.state, running) {
            (_, true) => " => ",
            (VState::Cached, _) => " => CACHED ",
            (VState::Error(_), _) => " => ERROR ",
            (VState::Done, _) => " => ",
        };
        line(&mut out, format!("{prefix}{}", v.name), seconds1(took));
        for (text, d) in &v.details {
            if !running {
                line(&mut out, format!(" => => {text}"), seconds1(*d));
            }
        }
        if running || matches!(v.state, VState::Error(_)) {
            let visible: Vec<&(Timestamp, String)> =
                v.output.iter().filter(|(t, _)| *t <= at).collect();
            for (_, l) in &visible[visible.len().saturating_sub(6)..] {
                line(&mut out, format!(" => => # {l}"), String::new());
            }
        }
    }
    out
}

/// The tty form over time: a redraw every 100 ms of the build's virtual
/// duration, each moving the cursor back over the last one.
fn tty_frames(vertices: &[Vertex], start: Timestamp, end: Timestamp) -> Vec<(Timestamp, String)> {
    let mut frames = Vec::new();
    let mut t = start;
    let mut last_lines = 0usize;
    // Show the recorded build from now on, at its own pace.
    let now = end;
    loop {
        let finished = t >= end;
        let frame = tty_frame(vertices, start, end, t.min(end), finished);
        let up = if last_lines > 0 {
            format!("\x1b[{last_lines}A")
        } else {
            String::new()
        };
        last_lines = frame.lines().count();
        frames.push((now + (t.min(end) - start), format!("{up}{frame}")));
        if finished {
            break;
        }
        t = t + Millis(100);
    }
    frames
}

/// Something stable that says what a config is, for cache keys.
fn config_fingerprint(c: &ContainerConfig) -> String {
    serde_json::to_string(c).unwrap_or_default()
}

fn node_fingerprint(n: &Node) -> String {
    match n {
        Node::File {
            meta,
            content,
            program,
        } => {
            let body = match content {
                tidepool_engine::fs::Content::Bytes(b) => sha256_digest(b),
                tidepool_engine::fs::Content::Placeholder { size, label } => {
                    format!("{label}:{size}")
                }
            };
            format!(
                "f{:o}:{}:{}:{body}:{}",
                meta.mode,
                meta.uid,
                meta.gid,
                program.clone().unwrap_or_default()
            )
        }
        Node::Dir { meta, .. } => format!("d{:o}:{}:{}", meta.mode, meta.uid, meta.gid),
        Node::Symlink { target } => format!("l{target}"),
        Node::Whiteout => "w".into(),
    }
}

fn clean_pattern(p: &str) -> String {
    let p = p.trim();
    let p = p.strip_prefix("./").unwrap_or(p);
    let p = p.trim_start_matches('/');
    p.trim_end_matches('/').to_string()
}

/// `.dockerignore` rules: a pattern matches a path or any directory above it.
fn ignore_matches(pat: &str, rel: &str) -> bool {
    if let Some(rest) = pat.strip_prefix("**/") {
        return rel.split('/').enumerate().any(|(i, _)| {
            let tail: Vec<&str> = rel.split('/').skip(i).collect();
            ignore_matches(rest, &tail.join("/"))
        });
    }
    let parts: Vec<&str> = rel.split('/').collect();
    (1..=parts.len()).any(|n| {
        let prefix = parts[..n].join("/");
        crate::vfs::wildcard(pat, &prefix)
    })
}

/// A wildcard source matched a directory above `path`.
fn parent_matches(pat: &str, path: &str) -> bool {
    let depth = pat.split('/').count();
    let parts: Vec<&str> = path.split('/').collect();
    parts.len() > depth && crate::vfs::wildcard(pat, &parts[..depth].join("/"))
}

/// `ARG a=1 b` → [(a, Some(1)), (b, None)].
fn arg_pairs(args: &str) -> Vec<(String, Option<String>)> {
    split_words(args)
        .into_iter()
        .map(|w| match w.split_once('=') {
            Some((k, v)) => (k.to_string(), Some(v.to_string())),
            None => (w, None),
        })
        .collect()
}

/// `ENV a=1 b="x y"` or the legacy `ENV a 1 2`.
fn env_pairs(args: &str) -> Vec<(String, String)> {
    let words = split_words(args);
    let first_has_eq = words.first().is_some_and(|w| w.contains('='));
    if first_has_eq {
        words
            .into_iter()
            .filter_map(|kv| {
                kv.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect()
    } else {
        match args.trim().split_once(char::is_whitespace) {
            Some((k, v)) => vec![(k.to_string(), v.trim().trim_matches('"').to_string())],
            None => Vec::new(),
        }
    }
}

/// Splits on whitespace, keeping quoted words together and dropping quotes.
fn split_words(s: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quote: Option<char> = None;
    let mut any = false;
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match (quote, c) {
            (None, '"' | '\'') => {
                quote = Some(c);
                any = true;
            }
            (Some(q), c) if c == q => quote = None,
            (_, '\\') if chars.peek().is_some() && quote != Some('\'') => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            (None, c) if c.is_whitespace() => {
                if !cur.is_empty() || any {
                    out.push(std::mem::take(&mut cur));
                    any = false;
                }
            }
            (_, c) => cur.push(c),
        }
    }
    if !cur.is_empty() || any {
        out.push(cur);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_and_pairs() {
        assert_eq!(split_words("a \"b c\" d='e f'"), vec!["a", "b c", "d=e f"]);
        assert_eq!(
            env_pairs("my_ver $my_ver"),
            vec![("my_ver".to_string(), "$my_ver".to_string())]
        );
        assert_eq!(
            env_pairs("A=1 B=\"x y\""),
            vec![
                ("A".to_string(), "1".to_string()),
                ("B".to_string(), "x y".to_string())
            ]
        );
        assert_eq!(
            arg_pairs("COLOR=green N"),
            vec![
                ("COLOR".to_string(), Some("green".to_string())),
                ("N".to_string(), None)
            ]
        );
    }

    #[test]
    fn tty_frames_redraw_over_the_last_block() {
        let t0 = tidepool_engine::Timestamp(1_000_000);
        let vertex = |name: &str, start: u64, end: u64, state: VState| Vertex {
            name: name.into(),
            start: t0 + Millis(start),
            end: t0 + Millis(end),
            details: Vec::new(),
            output: Vec::new(),
            state,
        };
        let vs = vec![
            vertex(
                "[internal] load build definition from Dockerfile",
                0,
                0,
                VState::Done,
            ),
            vertex("[2/2] RUN make", 0, 250, VState::Done),
        ];
        let frames = tty_frames(&vs, t0, t0 + Millis(250));
        assert_eq!(frames.len(), 4);
        assert!(!frames[0].1.starts_with('\x1b'));
        assert!(frames[1].1.starts_with("\x1b[3A[+] Building 0.1s (1/2)"));
        let last = frames[3].1.trim_start_matches("\x1b[3A");
        assert!(last.contains("[+] Building 0.2s (2/2) FINISHED"), "{last}");
        assert!(last.lines().all(|l| l.chars().count() == WIDTH), "{last}");
        assert!(last.contains(" => [2/2] RUN make"));
        assert!(last.trim_end().ends_with("0.2s"));
    }

    #[test]
    fn dockerignore_patterns() {
        assert!(ignore_matches("node_modules", "node_modules/x/index.js"));
        assert!(ignore_matches("*.log", "debug.log"));
        assert!(!ignore_matches("*.log", "logs/a.txt"));
        assert!(ignore_matches("**/*.md", "docs/a/readme.md"));
    }
}
