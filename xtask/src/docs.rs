//! `cargo xtask docs-check`: the documentation names every table and column of the migrations
//! (docs/ERD.md) and every route of the OpenAPI document (docs/api.md).

use std::collections::BTreeSet;
use std::path::Path;

/// `(table, column)` pairs.
pub type Columns = BTreeSet<(String, String)>;

/// The columns the SQL of `up.sql` files creates.
pub fn migration_columns(sql: &str) -> Columns {
    let mut columns = Columns::new();
    let mut table: Option<String> = None;
    for line in sql.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("ALTER TABLE ") {
            let words: Vec<&str> = rest.split_whitespace().collect();
            if let [table, "ADD", "COLUMN", column, ..] = words.as_slice() {
                columns.insert(((*table).to_owned(), (*column).to_owned()));
            }
            continue;
        }
        if let Some(rest) = line.strip_prefix("CREATE TABLE ") {
            table = rest.split_whitespace().next().map(str::to_owned);
            continue;
        }
        if line.starts_with(')') {
            table = None;
            continue;
        }
        let Some(table) = &table else { continue };
        let first = line.split_whitespace().next().unwrap_or_default();
        if first.is_empty() || first.chars().all(|c| c.is_ascii_uppercase() || c == '_') {
            continue; // a constraint line: UNIQUE (...), PRIMARY KEY (...)
        }
        columns.insert((table.clone(), first.to_owned()));
    }
    columns
}

/// The columns a Mermaid `erDiagram` declares (`table { TYPE column ... }`).
pub fn erd_columns(markdown: &str) -> Columns {
    let mut columns = Columns::new();
    let mut table: Option<String> = None;
    for line in markdown.lines().map(str::trim) {
        if let Some(name) = line.strip_suffix(" {") {
            table = Some(name.trim().to_owned());
            continue;
        }
        if line == "}" {
            table = None;
            continue;
        }
        if let Some(table) = &table
            && let Some(column) = line.split_whitespace().nth(1)
        {
            columns.insert((table.clone(), column.to_owned()));
        }
    }
    columns
}

/// `METHOD /path` of every operation of an OpenAPI document.
pub fn openapi_routes(spec: &serde_json::Value) -> BTreeSet<String> {
    let mut routes = BTreeSet::new();
    if let Some(paths) = spec["paths"].as_object() {
        for (path, item) in paths {
            for method in item.as_object().map(|o| o.keys().cloned().collect::<Vec<_>>()).unwrap_or_default() {
                routes.insert(format!("{} {path}", method.to_uppercase()));
            }
        }
    }
    routes
}

/// What the documentation misses, one line per problem.
pub fn problems(migrations: &str, erd: &str, spec: &serde_json::Value, api: &str) -> Vec<String> {
    let wanted = migration_columns(migrations);
    let drawn = erd_columns(erd);
    let mut problems: Vec<String> = wanted
        .difference(&drawn)
        .map(|(t, c)| format!("docs/ERD.md lacks column {t}.{c}"))
        .chain(drawn.difference(&wanted).map(|(t, c)| format!("docs/ERD.md has {t}.{c}, which no migration creates")))
        .collect();
    problems.extend(
        openapi_routes(spec)
            .into_iter()
            .filter(|route| !api.contains(route.as_str()))
            .map(|route| format!("docs/api.md does not mention {route}")),
    );
    problems
}

/// Reads the files under `root` and checks them.
pub fn check(root: &Path) -> Result<(), String> {
    let read = |relative: &str| std::fs::read_to_string(root.join(relative)).map_err(|e| format!("{relative}: {e}"));
    let mut migrations = String::new();
    let dir = root.join("migrations/postgres");
    let mut folders: Vec<_> = std::fs::read_dir(&dir)
        .map_err(|e| format!("{}: {e}", dir.display()))?
        .filter_map(Result::ok)
        .map(|entry| entry.path())
        .collect();
    folders.sort();
    for folder in folders {
        migrations.push_str(
            &std::fs::read_to_string(folder.join("up.sql")).map_err(|e| format!("{}: {e}", folder.display()))?,
        );
    }
    let spec: serde_json::Value =
        serde_json::from_str(&read("openapi/openapi.json")?).map_err(|e| format!("openapi/openapi.json: {e}"))?;
    let found = problems(&migrations, &read("docs/ERD.md")?, &spec, &read("docs/api.md")?);
    if found.is_empty() { Ok(()) } else { Err(found.join("\n")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn root() -> std::path::PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
    }

    #[test]
    fn the_checked_in_docs_pass() {
        assert_eq!(check(&root()), Ok(()));
    }

    #[test]
    fn columns_added_later_count_too() {
        let sql = "CREATE TABLE jobs (\n    id UUID PRIMARY KEY\n);\nALTER TABLE jobs ADD COLUMN lease TEXT;\n";
        let wanted: Vec<_> = migration_columns(sql).into_iter().map(|(t, c)| format!("{t}.{c}")).collect();
        assert_eq!(wanted, ["jobs.id", "jobs.lease"]);
    }

    #[test]
    fn a_column_missing_from_the_erd_fails() {
        let sql =
            "CREATE TABLE users (\n    id UUID PRIMARY KEY,\n    email TEXT NOT NULL UNIQUE,\n    UNIQUE (email)\n);\n";
        let erd = "    users {\n        UUID id PK\n    }\n";
        let spec = serde_json::json!({"paths": {"/healthz": {"get": {}}}});
        assert_eq!(problems(sql, erd, &spec, "GET /healthz"), ["docs/ERD.md lacks column users.email"]);
        let with_email = "    users {\n        UUID id PK\n        TEXT email UK\n    }\n";
        assert!(problems(sql, with_email, &spec, "GET /healthz").is_empty());
        assert_eq!(problems(sql, with_email, &spec, ""), ["docs/api.md does not mention GET /healthz"]);
    }

    #[test]
    fn deleting_any_line_of_a_column_from_the_real_erd_fails() {
        let erd = std::fs::read_to_string(root().join("docs/ERD.md")).expect("ERD");
        let without = erd.replacen("        BIGINT amount_minor \"negative is money out\"\n", "", 1);
        assert_ne!(erd, without, "the line is there to delete");
        let columns = erd_columns(&without);
        assert!(!columns.contains(&("financial_transactions".into(), "amount_minor".into())));
    }
}
