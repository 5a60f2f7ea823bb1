//! The host, drawn: images as stacks of layers (a layer several images share
//! is one block across their columns), containers on top of their image
//! with their thin writable layer, a state badge, published ports, mounts
//! and networks; volumes and networks listed below. Clicking an element
//! shows its inspect summary. The same picture is also given as text.
//!
//! Hooks for tests: `#host-diagram`, `.diagram-layer` (`data-shared` =
//! how many images use it), `.diagram-image`, `.diagram-container`
//! (`data-name`), `.diagram-text`, `.diagram-details`.

pub mod model;

use std::rc::Rc;

use yew::prelude::*;

use crate::i18n::Words;
use model::{short, short_volume, HostModel};

const COLUMN: i32 = 132;
const GAP: i32 = 8;
const LAYER: i32 = 14;
const LABEL: i32 = 22;
const BOX: i32 = 50;
const MARGIN: i32 = 10;

#[derive(Properties, PartialEq)]
pub struct HostDiagramProps {
    pub model: Rc<HostModel>,
    pub words: &'static Words,
}

#[derive(Clone, Debug, PartialEq, Eq)]
enum Selected {
    Image(usize),
    Layer(usize),
    Container(usize),
}

#[component]
pub fn HostDiagram(props: &HostDiagramProps) -> Html {
    let selected = use_state(|| None::<Selected>);
    let model = &props.model;
    let words = props.words;
    let columns = model.images.len().max(1) as i32;
    // Each column's height: its layers, its label, its containers.
    let top_depth = |column: usize| {
        model
            .layers
            .iter()
            .filter(|l| (l.first_column..=l.last_column).contains(&column))
            .map(|l| l.depth + 1)
            .max()
            .unwrap_or(0) as i32
    };
    let containers_in = |column: usize| {
        model
            .containers
            .iter()
            .filter(|c| c.column == Some(column))
            .count() as i32
    };
    let orphans: Vec<usize> = (0..model.containers.len())
        .filter(|i| model.containers[*i].column.is_none())
        .collect();
    let tallest = (0..model.images.len())
        .map(|c| top_depth(c) * LAYER + LABEL + containers_in(c) * BOX)
        .max()
        .unwrap_or(0)
        .max(if orphans.is_empty() { 0 } else { BOX });
    let width = MARGIN * 2 + columns * COLUMN + (columns - 1) * GAP;
    let height = MARGIN * 2 + tallest;
    let base = height - MARGIN;
    let x_of = |column: usize| MARGIN + column as i32 * (COLUMN + GAP);

    let select = |s: Selected| {
        let selected = selected.clone();
        Callback::from(move |_: MouseEvent| selected.set(Some(s.clone())))
    };

    let layers = model.layers.iter().enumerate().map(|(i, l)| {
        let x = x_of(l.first_column);
        let w = x_of(l.last_column) + COLUMN - x;
        let y = base - (l.depth as i32 + 1) * LAYER;
        let shared = l.used_by.len();
        let class = if shared > 1 { "diagram-layer shared" } else { "diagram-layer" };
        let label = short(&l.digest)[..8.min(short(&l.digest).len())].to_string();
        html! {
            <g class={class} data-shared={shared.to_string()} onclick={select(Selected::Layer(i))}>
                <title>{ format!("{} — {}", l.digest, l.used_by.join(", ")) }</title>
                <rect x={x.to_string()} y={y.to_string()} width={w.to_string()} height={(LAYER - 2).to_string()} rx="2" />
                <text x={(x + 4).to_string()} y={(y + LAYER - 5).to_string()}>{ label }</text>
            </g>
        }
    });
    let images = model.images.iter().enumerate().map(|(i, image)| {
        let x = x_of(image.column);
        let y = base - top_depth(image.column) * LAYER - LABEL + 4;
        let name = image
            .tags
            .first()
            .cloned()
            .unwrap_or_else(|| "<none>".to_string());
        let more = if image.tags.len() > 1 {
            format!(" +{}", image.tags.len() - 1)
        } else {
            String::new()
        };
        html! {
            <g class="diagram-image" onclick={select(Selected::Image(i))}>
                <title>{ image.tags.join(", ") }</title>
                <rect x={x.to_string()} y={y.to_string()} width={COLUMN.to_string()} height={(LABEL - 6).to_string()} rx="3" />
                <text x={(x + 5).to_string()} y={(y + 12).to_string()}>{ clip(&format!("{name}{more}"), 20) }</text>
            </g>
        }
    });
    let mut stacked = vec![0i32; model.images.len()];
    let containers = model.containers.iter().enumerate().map(|(i, c)| {
        let (x, y) = match c.column {
            Some(column) => {
                let k = stacked.get(column).copied().unwrap_or(0);
                if let Some(s) = stacked.get_mut(column) {
                    *s += 1;
                }
                (x_of(column), base - top_depth(column) * LAYER - LABEL - (k + 1) * BOX + 2)
            }
            None => (MARGIN, MARGIN),
        };
        let badge = match c.state.as_str() {
            "exited" => format!("Exited ({})", c.exit_code),
            other => capitalize(other),
        };
        // `8080→80/tcp`: the host port, then where it leads in the container.
        let port = c
            .ports
            .first()
            .map(|p| format!("⇢ {}", p.trim_start_matches("0.0.0.0:").replace(" → ", "→")))
            .unwrap_or_default();
        let detail = match (c.mounts.first(), c.networks.first()) {
            (Some(m), _) => m.clone(),
            (None, Some(n)) if n != "bridge" => format!("net {n}"),
            _ => String::new(),
        };
        html! {
            <g class={classes!("diagram-container", c.state.clone())} data-name={c.name.clone()} onclick={select(Selected::Container(i))}>
                <title>{ format!("{} ({})", c.name, c.state) }</title>
                <rect class="box" x={x.to_string()} y={y.to_string()} width={COLUMN.to_string()} height={(BOX - 6).to_string()} rx="4" />
                // The thin writable layer every container adds on its image.
                <rect class="writable" x={x.to_string()} y={(y + BOX - 9).to_string()} width={COLUMN.to_string()} height="3" />
                <text class="name" x={(x + 5).to_string()} y={(y + 13).to_string()}>{ clip(&c.name, 14) }</text>
                <text class="badge" x={(x + COLUMN - 5).to_string()} y={(y + 13).to_string()} text-anchor="end">{ clip(&badge, 11) }</text>
                <text class="sub" x={(x + 5).to_string()} y={(y + 26).to_string()}>{ clip(&port, 22) }</text>
                <text class="sub" x={(x + 5).to_string()} y={(y + 37).to_string()}>{ clip(&detail, 22) }</text>
            </g>
        }
    });
    let details = selected.as_ref().and_then(|s| details(model, s));
    let text = model.describe();
    html! {
        <div id="host-diagram" class="host-diagram">
            if model.images.is_empty() && model.containers.is_empty() {
                <p class="muted">{ words.diagram_empty }</p>
            } else {
                <svg class="diagram-svg" role="img" aria-label={words.diagram_label}
                    viewBox={format!("0 0 {width} {height}")} width={width.to_string()} height={height.to_string()}>
                    { for layers }
                    { for images }
                    { for containers }
                </svg>
            }
            if let Some((title, rows)) = details {
                <div class="diagram-details" role="status">
                    <strong>{ title }</strong>
                    <dl>
                        { for rows.into_iter().map(|(k, v)| html! { <><dt>{ k }</dt><dd>{ v }</dd></> }) }
                    </dl>
                </div>
            }
            <div class="diagram-lists">
                if !model.volumes.is_empty() {
                    <div>
                        <strong>{ words.volumes }</strong>
                        <ul>{ for model.volumes.iter().map(|v| html! {
                            <li>{ format!("{} ← {}", short_volume(&v.name), if v.used_by.is_empty() { "—".to_string() } else { v.used_by.join(", ") }) }</li>
                        }) }</ul>
                    </div>
                }
                <div>
                    <strong>{ words.networks }</strong>
                    <ul>{ for model.networks.iter().map(|n| html! {
                        <li>{ format!("{} ({}): {}", n.name, n.driver, if n.containers.is_empty() { "—".to_string() } else { n.containers.join(", ") }) }</li>
                    }) }</ul>
                </div>
            </div>
            <details class="diagram-text">
                <summary>{ words.diagram_text }</summary>
                <ul>{ for text.into_iter().map(|line| html! { <li>{ line }</li> }) }</ul>
            </details>
        </div>
    }
}

/// The inspect summary of what was clicked.
fn details(model: &HostModel, selected: &Selected) -> Option<(String, Vec<(String, String)>)> {
    Some(match selected {
        Selected::Image(i) => {
            let image = model.images.get(*i)?;
            (
                format!(
                    "docker image inspect {}",
                    image
                        .tags
                        .first()
                        .cloned()
                        .unwrap_or_else(|| short(&image.id))
                ),
                vec![
                    ("Id".into(), image.id.clone()),
                    ("RepoTags".into(), image.tags.join(", ")),
                    ("RootFS.Layers".into(), image.layers.to_string()),
                    ("Size".into(), image.size.to_string()),
                ],
            )
        }
        Selected::Layer(i) => {
            let layer = model.layers.get(*i)?;
            (
                "layer".into(),
                vec![
                    ("Digest".into(), layer.digest.clone()),
                    ("Used by".into(), layer.used_by.join(", ")),
                ],
            )
        }
        Selected::Container(i) => {
            let c = model.containers.get(*i)?;
            (
                format!("docker inspect {}", c.name),
                vec![
                    ("Id".into(), c.id.clone()),
                    ("Image".into(), c.image.clone()),
                    ("State.Status".into(), c.state.clone()),
                    ("State.ExitCode".into(), c.exit_code.to_string()),
                    ("Ports".into(), c.ports.join(", ")),
                    ("Mounts".into(), c.mounts.join(", ")),
                    ("Networks".into(), c.networks.join(", ")),
                ],
            )
        }
    })
}

fn clip(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut s: String = text.chars().take(chars - 1).collect();
        s.push('…');
        s
    }
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(first) => first.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}
