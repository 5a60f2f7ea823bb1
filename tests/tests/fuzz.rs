//! Random command lines never panic, and the host keeps its invariants:
//! a host port is bound by at most one running container, every
//! container's image and volumes still exist, layer counts match the
//! images using them (`Host::check_invariants`); and a docker command that
//! only printed an error changed nothing. A short run here;
//! `TIDEPOOL_FUZZ_LINES` makes it longer.

use tidepool_shell::Sandbox;

/// SplitMix64, so runs are reproducible without a dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[(self.next() % items.len() as u64) as usize]
    }
}

const COMMANDS: &[&str] = &[
    "run",
    "run -d",
    "run -d -p 8080:80",
    "run -d -p 8080:80 --name web",
    "run --rm",
    "run -it",
    "run -d --tmpfs /tmp",
    "run -d alpine sh -c 'while true; do echo hi; sleep 1; done'",
    "run --user nobody alpine id",
    "run -d --mount type=tmpfs,dst=/usr/share/nginx/html",
    "create",
    "start",
    "stop",
    "stop -t 1",
    "restart",
    "kill",
    "pause",
    "unpause",
    "rm",
    "rm -f",
    "ps",
    "ps -a",
    "ps -aq",
    "ps -f status=exited",
    "logs",
    "logs --tail 2",
    "exec",
    "exec -it",
    "inspect",
    "port",
    "diff",
    "commit",
    "cp",
    "pull",
    "images",
    "rmi",
    "rmi -f",
    "tag",
    "history",
    "volume create",
    "volume rm",
    "volume ls",
    "network create",
    "network create --subnet 10.5.0.0/24",
    "network create --subnet 10.5.0.0/16 --gateway 10.5.0.254 --ip-range 10.5.1.0/24",
    "network rm",
    "network connect",
    "network connect --ip 10.5.0.9",
    "system df",
    "image prune -f",
    "container prune -f",
    "rename",
    "top",
    "stats --no-stream",
    "stats --no-stream --format '{{.Name}} {{.MemUsage}}'",
    "export -o e.tar",
    "wait",
    "push",
    "save -o x.tar",
    "load -i x.tar",
    "update --restart always",
    "search",
    "login -u a -p b",
    "logout",
];
const ARGS: &[&str] = &[
    "nginx",
    "alpine",
    "busybox",
    "devwikirepo/tencounter",
    "hello-world",
    "web",
    "db",
    "nope",
    "x",
    "nginx:stable",
    "-p",
    "80",
    "--name",
    "--network",
    "leafy",
    "--ip",
    "10.5.0.7",
    "-v",
    "data:/data",
    "/root:/x",
    "sh",
    "-c",
    "'echo hi'",
    "ls",
    "/",
    "web:/etc",
    ".",
    "8080:80",
    "-e",
    "A=1",
    "$(docker ps -q)",
    "--format",
    "'{{.ID}}'",
    "'{{.Bad}}'",
    "-f",
    "''",
    "localhost:5000/x",
    "a/b",
    "Nginx",
    ":tag",
    "--rm",
    "-d",
    "\"",
    "|",
    "&&",
    ";",
    ">",
    "out.txt",
    "<<EOF",
];
const SHELL: &[&str] = &[
    "ls",
    "cat out.txt",
    "echo $?",
    "sleep 3",
    "curl localhost:8080",
    "cd /tmp",
    "mkdir -p d",
    "rm -rf d",
    "true",
    "exit 3",
    "ping -c 2 web",
    "nc -zv web 80",
    "docker exec web ping -c 1 db",
    "tree -L 1 /",
];

#[test]
fn random_lines_never_panic_and_keep_invariants() {
    let lines: usize = std::env::var("TIDEPOOL_FUZZ_LINES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(3000);
    let mut rng = Rng(42);
    let mut sb = Sandbox::new(7);
    for i in 0..lines {
        let mut operands = 0;
        let line = if rng.next().is_multiple_of(5) {
            rng.pick(SHELL).to_string()
        } else {
            let mut l = format!("docker {}", rng.pick(COMMANDS));
            operands = rng.next() % 4;
            for _ in 0..operands {
                l.push(' ');
                l.push_str(rng.pick(ARGS));
            }
            l
        };
        if !sb.is_complete(&line) {
            continue;
        }
        let before = sb.host().fingerprint();
        let outcome = sb.run_line(&line);
        // One docker command on at most one object that failed outright
        // leaves every object as it was. (`docker run` is left out: a start
        // that fails leaves the container it created, as Docker's does;
        // several objects may fail one by one.)
        let single = line.starts_with("docker ")
            && operands <= 1
            && !line.starts_with("docker run")
            && !line.contains(['|', ';', '&', '$', '>', '<']);
        if single && outcome.exit_code != 0 && !sb.busy() && failed_outright(&outcome.output) {
            assert_eq!(
                sb.host().fingerprint(),
                before,
                "line {i} failed but changed the host: {line}\n{}",
                outcome.output
            );
        }
        // A foreground job (attached run, logs -f) is interrupted, as a
        // person would, so the next line reaches the prompt.
        let mut guard = 0;
        while sb.busy() && guard < 50 {
            let _ = sb.advance(1000);
            let _ = sb.interrupt();
            guard += 1;
        }
        while sb.in_container() {
            let _ = sb.end_of_input();
        }
        if let Err(broken) = sb.host().check_invariants() {
            panic!("after line {i} ({line}): {broken}");
        }
        if i.is_multiple_of(50) {
            let out = sb.run_line("docker ps --format '{{.Ports}}'").output;
            let mut bound: Vec<&str> = out
                .split([',', '\n'])
                .filter_map(|p| p.trim().split("->").next())
                .filter(|p| p.contains(':'))
                .collect();
            let total = bound.len();
            bound.sort();
            bound.dedup();
            assert_eq!(
                bound.len(),
                total,
                "a host port bound twice after line {i}: {line}\n{out}"
            );
            let images = sb.run_line("docker ps -a --format '{{.Image}}'").output;
            for img in images.lines().filter(|l| !l.is_empty()) {
                let found = sb.run_line(&format!("docker image inspect -f '{{{{.Id}}}}' {img}"));
                assert_eq!(
                    found.exit_code, 0,
                    "container image {img} missing after line {i}: {line}"
                );
            }
        }
    }
}

/// The output is errors only: every line is part of an error message
/// (`Error response from daemon`, a usage error, `docker: ...`).
fn failed_outright(output: &str) -> bool {
    let first = output.lines().next().unwrap_or_default();
    first.starts_with("Error response from daemon:")
        || first.starts_with("docker: ")
        || first.starts_with("Error: No such")
        || first.starts_with("\"docker ")
        || first.starts_with("unknown ")
        || first.starts_with("invalid ")
}
