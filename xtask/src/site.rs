//! The release site: `index.html` + the web crate, built by Trunk into `dist/`.
//!
//! Trunk runs offline (Trunk.toml), so it neither downloads tools nor lets
//! cargo touch the network: xtask installs the pinned tools and fetches the
//! crates first, then hands over. Release builds run wasm-opt (index.html
//! asks for `-Oz`), so what `dist/` holds is what would be deployed.

use std::fs;
use std::time::Instant;

use crate::install;
use crate::workspace::{elapsed, run, Workspace};

pub fn build(ws: &Workspace) -> Result<(), String> {
    install::wasm_target(ws)?;
    install::wasm_bindgen(ws)?;
    install::npm_packages(ws)?;
    install::trunk(ws)?;
    check_trunk_pin(ws)?;

    let start = Instant::now();
    run(ws.cargo().arg("fetch"))?;
    run(ws
        .command("trunk")
        .args(["build", "--release", "--skip-version-check"]))?;

    let wasm = wasm_files(ws)?;
    let [wasm] = wasm.as_slice() else {
        return Err(format!(
            "expected one .wasm file in {}, found {wasm:?}",
            ws.dist().display()
        ));
    };
    let size = fs::metadata(wasm).map(|m| m.len()).unwrap_or(0);
    println!(
        "==> built {} in {} ({} is {} KiB)",
        ws.dist().display(),
        elapsed(start.elapsed()),
        wasm.file_name().unwrap_or_default().to_string_lossy(),
        size / 1024
    );
    Ok(())
}

fn wasm_files(ws: &Workspace) -> Result<Vec<std::path::PathBuf>, String> {
    let dist = ws.dist();
    if !dist.join("index.html").is_file() {
        return Err(format!("trunk left no index.html in {}", dist.display()));
    }
    let entries =
        fs::read_dir(&dist).map_err(|e| format!("cannot read {}: {e}", dist.display()))?;
    Ok(entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|path| path.extension().is_some_and(|ext| ext == "wasm"))
        .collect())
}

/// Trunk.toml names the wasm-bindgen version for people who run trunk by
/// hand; it must agree with the crate the web app links, or trunk refuses.
fn check_trunk_pin(ws: &Workspace) -> Result<(), String> {
    let wanted = install::wasm_bindgen_version(ws)?;
    let config = fs::read_to_string(ws.root.join("Trunk.toml"))
        .map_err(|e| format!("cannot read Trunk.toml: {e}"))?;
    let pinned = config.lines().find_map(|line| {
        let value = line.trim().strip_prefix("wasm_bindgen")?.trim_start();
        Some(value.strip_prefix('=')?.trim().trim_matches('"').to_owned())
    });
    match pinned {
        Some(pinned) if pinned == wanted => Ok(()),
        Some(pinned) => Err(format!(
            "Trunk.toml pins wasm_bindgen = \"{pinned}\" but the web crate links wasm-bindgen {wanted}; \
             set `wasm_bindgen = \"{wanted}\"` under [tools] in Trunk.toml"
        )),
        None => Err(format!(
            "Trunk.toml has no `wasm_bindgen = \"{wanted}\"` under [tools]"
        )),
    }
}
