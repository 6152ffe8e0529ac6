//! `sandbank generate`: the same arguments give the same bytes, another seed other data, and its
//! CSV of a connection is the API's `export.csv` of a connection with the same seed and clock.

use std::collections::HashMap;

use chrono::{Timelike, Utc};
use serde_json::Value;

use crate::export::parse_csv;
use crate::helpers::*;

/// Runs `sandbank generate` with `args`; its standard output.
fn generate(args: &[&str]) -> Vec<u8> {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
        .arg("generate")
        .args(args)
        .env("SANDBANK_LOG", "warn")
        .output()
        .expect("sandbank runs");
    assert!(output.status.success(), "generate {args:?}: {}", String::from_utf8_lossy(&output.stderr));
    output.stdout
}

#[test]
fn generate_gives_the_same_bytes_for_the_same_arguments() {
    for format in ["json", "ndjson", "csv"] {
        let args =
            ["--provider", "chase", "--seed", "42", "--as-of", "2026-06-01", "--connections", "3", "--format", format];
        let first = generate(&args);
        assert!(first.len() > 10_000, "{format}: {} bytes", first.len());
        assert_eq!(first, generate(&args), "{format}: the same bytes twice");
        let other = generate(&[
            "--provider",
            "chase",
            "--seed",
            "43",
            "--as-of",
            "2026-06-01",
            "--connections",
            "3",
            "--format",
            format,
        ]);
        assert_ne!(first, other, "{format}: another seed, other data");
    }
}

#[test]
fn generate_writes_each_format_whole() {
    let args = |format| {
        [
            "--provider",
            "amex",
            "--seed",
            "7",
            "--as-of",
            "2026-06-01",
            "--connections",
            "2",
            "--days",
            "30",
            "--format",
            format,
        ]
    };
    let json: Value = serde_json::from_slice(&generate(&args("json"))).expect("one JSON document");
    let connections = json["connections"].as_array().expect("connections");
    assert_eq!(connections.len(), 2);
    assert_eq!(connections[1]["seed"], 8, "seeds seed, seed + 1");
    let rows: usize = connections.iter().map(|c| c["transactions"].as_array().expect("rows").len()).sum();
    let first_row = &connections[0]["transactions"][0];
    assert!(first_row["date"].as_str().is_some_and(|d| d >= "2026-05-03"), "the last 30 days: {first_row}");
    let ndjson = String::from_utf8(generate(&args("ndjson"))).expect("UTF-8");
    let lines: Vec<Value> = ndjson.lines().map(|l| serde_json::from_str(l).expect("a JSON object per line")).collect();
    assert_eq!(lines.iter().filter(|l| l["record"] == "transaction").count(), rows);
    let accounts: usize = connections.iter().map(|c| c["accounts"].as_array().expect("accounts").len()).sum();
    assert_eq!(lines.iter().filter(|l| l["record"] == "account").count(), accounts);
    let (_, records) = parse_csv(&String::from_utf8(generate(&args("csv"))).expect("UTF-8"));
    assert_eq!(records.len(), rows);
}

#[test]
fn generate_refuses_bad_arguments() {
    for args in [
        vec!["--provider", "nope", "--seed", "1", "--as-of", "2026-06-01", "--format", "csv"],
        vec!["--provider", "chase", "--seed", "1", "--as-of", "June", "--format", "csv"],
        vec!["--provider", "chase", "--seed", "1", "--as-of", "2026-06-01", "--format", "xml"],
        vec![
            "--provider",
            "chase",
            "--seed",
            "1",
            "--as-of",
            "2026-06-01",
            "--format",
            "csv",
            "--scenario",
            "/nonexistent.json",
        ],
    ] {
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_sandbank"))
            .arg("generate")
            .args(&args)
            .output()
            .expect("runs");
        assert!(!output.status.success(), "{args:?} refused");
        assert!(output.stdout.is_empty(), "{args:?}: nothing written");
    }
}

/// A row with the server's ids replaced by the generator's, so that rows can be compared.
fn rows_by_external_id(text: &str) -> HashMap<String, Vec<String>> {
    let (header, records) = parse_csv(text);
    let at = |name: &str| header.iter().position(|h| h == name).expect("column");
    records.iter().map(|r| (r[at("externalId")].to_owned(), r.iter().map(str::to_owned).collect())).collect()
}

on_both_backends! {
    async fn generated_csv_is_the_apis_export_of_the_same_connection(app: TestApp) {
        let token = app.register("generate@example.com").await;
        let chase = sandbank_fakebank::catalog::provider("chase").expect("chase");
        let seed = sandbank_fakebank::Household::main_bank_seed(chase, 31);
        // The bank stamps rows on whole minutes: connect within one minute, and ask the
        // generator for that instant.
        if Utc::now().second() > 45 {
            actix_web::rt::time::sleep(std::time::Duration::from_secs(u64::from(61 - Utc::now().second()))).await;
        }
        let at = Utc::now();
        let id = app.connect(&token, "chase", i64::try_from(seed).expect("small")).await;
        assert_eq!(Utc::now().timestamp() / 60, at.timestamp() / 60, "connected within the minute");
        let exported = app.get(&format!("/api/financial/transactions/export.csv?connectionId={id}"), Some(&token)).await;
        assert_eq!(exported.status, 200, "{}", exported.text);
        let as_of = at.to_rfc3339();
        let generated = generate(&["--provider", "chase", "--seed", &seed.to_string(), "--as-of", &as_of, "--format", "csv"]);
        let generated = String::from_utf8(generated).expect("UTF-8");
        let (api, ours) = (rows_by_external_id(&exported.text), rows_by_external_id(&generated));
        assert!(api.len() > 100, "{} rows", api.len());
        assert!(api.values().any(|row| !row[18].is_empty()), "transfers name their other side");
        assert_eq!(api.len(), ours.len(), "as many rows");
        // Ids are the server's own (random) there and derived here: map one onto the other.
        let mut ids = HashMap::new();
        for (external_id, row) in &api {
            let theirs = ours.get(external_id).unwrap_or_else(|| panic!("{external_id} generated"));
            for column in [0, 2, 3] {
                let known = ids.entry(theirs[column].clone()).or_insert_with(|| row[column].clone());
                assert_eq!(known, &row[column], "ids map one to one");
            }
        }
        for (external_id, row) in &api {
            let mut theirs = ours[external_id].clone();
            for column in [0, 2, 3, 18] {
                theirs[column] = ids.get(&theirs[column]).cloned().unwrap_or_default();
            }
            assert_eq!(&theirs, row, "row {external_id}");
        }
        let header_line = |text: &str| text.lines().next().map(str::to_owned);
        assert_eq!(header_line(&generated), header_line(&exported.text), "the same columns");
    }
}
