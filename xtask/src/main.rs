//! `cargo xtask`: project chores.
//!
//! - `cargo xtask openapi` writes `openapi/openapi.json` and `docs/scenario.schema.json` from
//!   the code.
//! - `cargo xtask openapi --check` fails when a checked-in file differs from the code.
//! - `cargo xtask docs-check` fails when docs/ERD.md misses a column of the migrations or
//!   docs/api.md a route of the OpenAPI document.
//! - `cargo xtask fn-length` lists the functions over 60 lines and fails if one is over 80.

mod docs;
mod fn_length;

use std::path::PathBuf;
use std::process::{Command, ExitCode};

fn workspace_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// What `sandbank <command>` prints: a document the code generates.
fn generated(command: &str) -> Result<String, String> {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .current_dir(workspace_root())
        .args(["run", "--quiet", "--package", "sandbank", "--", command])
        .output()
        .map_err(|e| format!("cannot run cargo: {e}"))?;
    if !output.status.success() {
        return Err(format!("sandbank {command} failed:\n{}", String::from_utf8_lossy(&output.stderr)));
    }
    String::from_utf8(output.stdout).map_err(|e| format!("the document is not UTF-8: {e}"))
}

/// The generated documents and where they are checked in.
const GENERATED: [(&str, &str); 2] =
    [("openapi", "openapi/openapi.json"), ("scenario-schema", "docs/scenario.schema.json")];

fn openapi(check: bool) -> Result<(), String> {
    for (command, file) in GENERATED {
        let path = workspace_root().join(file);
        let generated = generated(command)?;
        if check {
            let checked_in = std::fs::read_to_string(&path).map_err(|e| format!("{}: {e}", path.display()))?;
            if checked_in != generated {
                return Err(format!("{file} differs from the code: run `cargo xtask openapi` and commit it"));
            }
            println!("{file} matches the code");
        } else {
            std::fs::write(&path, generated).map_err(|e| format!("{}: {e}", path.display()))?;
            println!("wrote {}", path.display());
        }
    }
    Ok(())
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        ["openapi"] => openapi(false),
        ["openapi", "--check"] => openapi(true),
        ["docs-check"] => docs::check(&workspace_root()).map(|()| println!("docs name every column and route")),
        ["fn-length"] => fn_length::check(&workspace_root(), 60, 80),
        _ => Err("usage: cargo xtask openapi [--check] | docs-check | fn-length".into()),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}
