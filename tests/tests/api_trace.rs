//! "Show API calls": each docker command's Engine API requests, as the
//! real CLI sends them to dockerd (the version ping first).

use tidepool_shell::Sandbox;

fn calls(sandbox: &mut Sandbox, line: &str) -> Vec<String> {
    sandbox.run_line(line).api_calls
}

#[test]
fn each_command_lists_the_requests_it_made() {
    let mut s = Sandbox::new(1);
    let run = calls(&mut s, "docker run -d --name web -p 8080:80 nginx");
    let id = s.run_line("docker inspect -f '{{.Id}}' web").output;
    assert_eq!(
        run,
        [
            "HEAD /v1.50/_ping".to_string(),
            "POST /v1.50/containers/create?name=web".into(),
            "POST /v1.50/images/create?fromImage=nginx&tag=latest".into(),
            "POST /v1.50/containers/create?name=web".into(),
            // The client starts what create answered: the full id.
            format!("POST /v1.50/containers/{}/start", id.trim()),
        ]
    );
    assert_eq!(
        calls(&mut s, "docker ps -a"),
        ["HEAD /v1.50/_ping", "GET /v1.50/containers/json?all=1"]
    );
    assert_eq!(
        calls(&mut s, "docker info"),
        ["HEAD /v1.50/_ping", "GET /v1.50/info"]
    );
    assert_eq!(
        calls(&mut s, "docker tag nginx me/web:1.0"),
        [
            "HEAD /v1.50/_ping",
            "POST /v1.50/images/nginx/tag?repo=me/web&tag=1.0"
        ]
    );
    // Client-side work asks the daemon nothing.
    assert!(calls(&mut s, "docker --help").is_empty());
    assert!(calls(&mut s, "docker ps --nope").is_empty());
    assert!(calls(&mut s, "ls /").is_empty());
    // Two commands on one line: both, in order.
    assert_eq!(
        calls(&mut s, "docker stop web && docker rm web"),
        [
            "HEAD /v1.50/_ping",
            "POST /v1.50/containers/web/stop",
            "HEAD /v1.50/_ping",
            "DELETE /v1.50/containers/web",
        ]
    );
}
