//! `rencontres serve` processes on a test's database, as an operator runs several of them
//! behind a load balancer, to stop, kill and restart.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A server process; killed when dropped.
pub struct Server {
    child: Child,
    pub base: String,
}

impl Server {
    /// Sends SIGTERM and waits for the process to end (a graceful stop).
    pub fn terminate(mut self) {
        let pid = self.child.id().to_string();
        let sent = Command::new("kill").args(["-TERM", &pid]).status();
        assert!(sent.is_ok_and(|s| s.success()), "SIGTERM to {pid}");
        let deadline = Instant::now() + Duration::from_secs(60);
        loop {
            match self.child.try_wait() {
                Ok(Some(status)) => {
                    assert!(status.success(), "the server stopped with {status}");
                    return;
                }
                _ if Instant::now() > deadline => panic!("the server ignored SIGTERM"),
                _ => std::thread::sleep(Duration::from_millis(20)),
            }
        }
    }

    /// Kills the process outright (SIGKILL), as a power cut or the OOM killer would.
    pub fn kill(mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts a server on the database, with the outbox worker on (sending to `smtp_url`) and
/// `env` added to its environment; returns once it listens.
pub fn serve(
    database_url: &str,
    data_dir: &std::path::Path,
    smtp_url: &str,
    env: &[(&str, &str)],
) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_rencontres"));
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .env("DATABASE_URL", database_url)
        .env("RENCONTRES_DATA_DIR", data_dir)
        .env("RENCONTRES__LOG__FORMAT", "json")
        .env("RENCONTRES__LOG__FILTER", "info")
        .env("RENCONTRES__SERVER__WORKERS", "2")
        .env("RENCONTRES__SERVER__SHUTDOWN_SECONDS", "20")
        .env("RENCONTRES__DATABASE__POOL_SIZE", "6")
        .env("RENCONTRES__SECURITY__PUBLIC_FORMS_PER_MINUTE", "100000")
        .env("RENCONTRES__MAIL__SMTP_URL", smtp_url)
        .env("RENCONTRES__MAIL__POLL_MS", "50")
        .env("RENCONTRES__MAIL__RETRY_SECONDS", "0")
        .env("RENCONTRES__DEMO__SEED_WHEN_EMPTY", "false")
        .current_dir(data_dir)
        .stderr(Stdio::piped());
    for (key, value) in env {
        command.env(key, value);
    }
    let mut child = command.spawn().expect("the server binary starts");
    let stderr = child.stderr.take().expect("stderr");
    let (port_tx, port_rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            match serde_json::from_str::<Value>(&line) {
                Ok(v) if v["fields"]["message"] == "listening" => {
                    let _ = port_tx.send(v["fields"]["port"].as_u64().expect("a port"));
                }
                Ok(v) if v["level"] == "ERROR" => eprintln!("server: {line}"),
                _ => {}
            }
        }
    });
    let port = port_rx
        .recv_timeout(Duration::from_secs(60))
        .expect("the server says where it listens");
    Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    }
}
