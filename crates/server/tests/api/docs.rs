//! docs/api.md is run as written: its shell blocks, in order, against a fresh server.

use crate::helpers::*;

/// The ```sh blocks of a Markdown file, joined.
fn shell_blocks(markdown: &str) -> String {
    let mut script = String::new();
    let mut inside = false;
    for line in markdown.lines() {
        match (inside, line.trim_end()) {
            (false, "```sh") => inside = true,
            (true, "```") => inside = false,
            (true, code) => {
                script.push_str(code);
                script.push('\n');
            }
            _ => {}
        }
    }
    script
}

on_both_backends! {
    async fn the_api_walkthrough_runs_as_written(app: TestApp) {
        let markdown = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/api.md")).expect("docs/api.md");
        let script = shell_blocks(&markdown);
        assert!(script.lines().count() > 20, "the walkthrough has its commands");
        let address = app.address.clone();
        let output = actix_web::rt::task::spawn_blocking(move || {
            std::process::Command::new("bash")
                .args(["-euo", "pipefail", "-c", &script])
                .env("BASE", address)
                .output()
                .expect("bash runs")
        })
        .await
        .expect("joined");
        assert!(
            output.status.success(),
            "docs/api.md failed ({}):\n{}\n{}",
            output.status,
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(String::from_utf8_lossy(&output.stdout).trim_end().ends_with("204"), "logout is the last step");
    }
}
