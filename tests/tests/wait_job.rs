//! `docker wait` at the prompt blocks as the CLI does, without freezing
//! the page: it is a foreground job that virtual time moves on, printing
//! each exit code as its container stops, and Ctrl-C ends it.

use tidepool_shell::Sandbox;

#[test]
fn wait_prints_each_code_as_its_container_stops() {
    let mut sb = Sandbox::new(5);
    for line in [
        "docker run -d --name quick alpine sh -c 'sleep 2; exit 3'",
        "docker run -d --name slow alpine sh -c 'sleep 6; exit 5'",
    ] {
        let out = sb.run_line(line);
        assert_eq!(out.exit_code, 0, "{}", out.output);
    }
    let started = sb.run_line("docker wait quick slow");
    assert_eq!(started.output, "", "nothing has stopped yet");
    assert!(sb.busy(), "the wait holds the prompt");
    assert_eq!(sb.advance(2_500), "3\n");
    assert!(sb.busy(), "slow is still running");
    assert_eq!(sb.advance(4_000), "5\n");
    assert!(!sb.busy());
    assert_eq!(sb.last_status(), 0);
}

#[test]
fn ctrl_c_ends_a_wait_on_a_server() {
    let mut sb = Sandbox::new(5);
    let out = sb.run_line("docker run -d --name web nginx");
    assert_eq!(out.exit_code, 0, "{}", out.output);
    sb.run_line("docker wait web");
    assert!(sb.busy());
    let _ = sb.advance(60_000);
    assert!(sb.busy(), "nginx does not stop by itself");
    let _ = sb.interrupt();
    assert!(!sb.busy());
    assert_eq!(sb.last_status(), 130);
    let state = sb
        .run_line("docker ps --format '{{.Names}} {{.State}}'")
        .output;
    assert_eq!(
        state, "web running\n",
        "Ctrl-C stops the client, not the container"
    );
}

#[test]
fn wait_gives_the_code_of_a_container_that_removed_itself() {
    let mut sb = Sandbox::new(5);
    let out = sb.run_line("docker run -d --rm --name brief alpine sh -c 'sleep 2; exit 7'");
    assert_eq!(out.exit_code, 0, "{}", out.output);
    sb.run_line("docker wait brief");
    assert!(sb.busy());
    assert_eq!(
        sb.advance(3_000),
        "7\n",
        "--rm removed it, the code still arrives"
    );
    let gone = sb.run_line("docker ps -a -q").output;
    assert_eq!(gone, "");
}

#[test]
fn wait_errors_go_to_stderr_after_the_codes() {
    let mut sb = Sandbox::new(5);
    let out = sb.run_line("docker run -d --name done alpine true");
    assert_eq!(out.exit_code, 0, "{}", out.output);
    let quiet = sb.run_line("docker wait nope done 2>/dev/null");
    assert_eq!(quiet.output, "0\n");
    assert_eq!(quiet.exit_code, 1);
    let errors = sb.run_line("docker wait nope done 2>&1 >/dev/null");
    assert_eq!(
        errors.output,
        "Error response from daemon: No such container: nope\n"
    );
}
