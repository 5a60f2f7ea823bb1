//! The browser's skip button (`Sandbox::skip_to_next_event`) jumps to the
//! next thing that happens by itself; a main script's next step is one,
//! though the client runs it.

use tidepool_shell::Sandbox;

fn logs(sb: &mut Sandbox, name: &str) -> String {
    sb.run_line(&format!("docker logs {name}")).output
}

#[test]
fn skip_reaches_a_main_scripts_next_step() {
    let mut sb = Sandbox::new(3);
    let run =
        sb.run_line("docker run -d --name late alpine sh -c 'echo early; sleep 5; echo late'");
    assert_eq!(run.exit_code, 0, "{}", run.output);
    assert_eq!(logs(&mut sb, "late"), "early\n");
    let before = sb.host().now();
    sb.skip_to_next_event();
    assert_eq!(
        sb.host().now().0 - before.0,
        5_000,
        "one jump of five seconds"
    );
    assert_eq!(logs(&mut sb, "late"), "early\nlate\n");
    let status = sb.run_line("docker ps -a --format '{{.Status}}'").output;
    assert!(status.starts_with("Exited (0)"), "{status}");
}
