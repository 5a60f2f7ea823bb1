//! docker's own `--help` texts, captured from the docker 28.2 CLI. They are
//! the source of truth for usage lines, aliases and every command's flags
//! (see `flags::FlagSpec::from_help`), so `--help` and flag parsing agree
//! with the real client by construction.

/// (key, text): the key is the command path joined by `_`, e.g. `container_run`.
pub const HELP: &[(&str, &str)] = &[
    ("build", include_str!("../../help/build.txt")),
    ("builder", include_str!("../../help/builder.txt")),
    (
        "builder_build",
        include_str!("../../help/builder_build.txt"),
    ),
    (
        "builder_prune",
        include_str!("../../help/builder_prune.txt"),
    ),
    ("container", include_str!("../../help/container.txt")),
    (
        "container_attach",
        include_str!("../../help/container_attach.txt"),
    ),
    (
        "container_commit",
        include_str!("../../help/container_commit.txt"),
    ),
    ("container_cp", include_str!("../../help/container_cp.txt")),
    (
        "container_create",
        include_str!("../../help/container_create.txt"),
    ),
    (
        "container_diff",
        include_str!("../../help/container_diff.txt"),
    ),
    (
        "container_exec",
        include_str!("../../help/container_exec.txt"),
    ),
    (
        "container_export",
        include_str!("../../help/container_export.txt"),
    ),
    (
        "container_inspect",
        include_str!("../../help/container_inspect.txt"),
    ),
    (
        "container_kill",
        include_str!("../../help/container_kill.txt"),
    ),
    (
        "container_logs",
        include_str!("../../help/container_logs.txt"),
    ),
    ("container_ls", include_str!("../../help/container_ls.txt")),
    (
        "container_pause",
        include_str!("../../help/container_pause.txt"),
    ),
    (
        "container_port",
        include_str!("../../help/container_port.txt"),
    ),
    (
        "container_prune",
        include_str!("../../help/container_prune.txt"),
    ),
    (
        "container_rename",
        include_str!("../../help/container_rename.txt"),
    ),
    (
        "container_restart",
        include_str!("../../help/container_restart.txt"),
    ),
    ("container_rm", include_str!("../../help/container_rm.txt")),
    (
        "container_run",
        include_str!("../../help/container_run.txt"),
    ),
    (
        "container_start",
        include_str!("../../help/container_start.txt"),
    ),
    (
        "container_stats",
        include_str!("../../help/container_stats.txt"),
    ),
    (
        "container_stop",
        include_str!("../../help/container_stop.txt"),
    ),
    (
        "container_top",
        include_str!("../../help/container_top.txt"),
    ),
    (
        "container_unpause",
        include_str!("../../help/container_unpause.txt"),
    ),
    (
        "container_update",
        include_str!("../../help/container_update.txt"),
    ),
    (
        "container_wait",
        include_str!("../../help/container_wait.txt"),
    ),
    ("docker", include_str!("../../help/docker.txt")),
    ("image", include_str!("../../help/image.txt")),
    ("image_build", include_str!("../../help/image_build.txt")),
    (
        "image_history",
        include_str!("../../help/image_history.txt"),
    ),
    ("image_import", include_str!("../../help/image_import.txt")),
    (
        "image_inspect",
        include_str!("../../help/image_inspect.txt"),
    ),
    ("image_load", include_str!("../../help/image_load.txt")),
    ("image_ls", include_str!("../../help/image_ls.txt")),
    ("image_prune", include_str!("../../help/image_prune.txt")),
    ("image_pull", include_str!("../../help/image_pull.txt")),
    ("image_push", include_str!("../../help/image_push.txt")),
    ("image_rm", include_str!("../../help/image_rm.txt")),
    ("image_save", include_str!("../../help/image_save.txt")),
    ("image_tag", include_str!("../../help/image_tag.txt")),
    ("inspect", include_str!("../../help/inspect.txt")),
    ("login", include_str!("../../help/login.txt")),
    ("logout", include_str!("../../help/logout.txt")),
    ("network", include_str!("../../help/network.txt")),
    (
        "network_connect",
        include_str!("../../help/network_connect.txt"),
    ),
    (
        "network_create",
        include_str!("../../help/network_create.txt"),
    ),
    (
        "network_disconnect",
        include_str!("../../help/network_disconnect.txt"),
    ),
    (
        "network_inspect",
        include_str!("../../help/network_inspect.txt"),
    ),
    ("network_ls", include_str!("../../help/network_ls.txt")),
    (
        "network_prune",
        include_str!("../../help/network_prune.txt"),
    ),
    ("network_rm", include_str!("../../help/network_rm.txt")),
    ("search", include_str!("../../help/search.txt")),
    ("system", include_str!("../../help/system.txt")),
    ("system_df", include_str!("../../help/system_df.txt")),
    (
        "system_events",
        include_str!("../../help/system_events.txt"),
    ),
    ("system_info", include_str!("../../help/system_info.txt")),
    ("system_prune", include_str!("../../help/system_prune.txt")),
    ("version", include_str!("../../help/version.txt")),
    ("volume", include_str!("../../help/volume.txt")),
    (
        "volume_create",
        include_str!("../../help/volume_create.txt"),
    ),
    (
        "volume_inspect",
        include_str!("../../help/volume_inspect.txt"),
    ),
    ("volume_ls", include_str!("../../help/volume_ls.txt")),
    ("volume_prune", include_str!("../../help/volume_prune.txt")),
    ("volume_rm", include_str!("../../help/volume_rm.txt")),
    (
        "volume_update",
        include_str!("../../help/volume_update.txt"),
    ),
];

pub fn text(key: &str) -> Option<&'static str> {
    HELP.iter().find(|(k, _)| *k == key).map(|(_, t)| *t)
}
