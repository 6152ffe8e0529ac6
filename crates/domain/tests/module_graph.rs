//! Issue #20 item 6: the domain crate's modules form no circle (`bank_data` ↔ `transaction` was
//! one); each pair of modules has one that owns what they share.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Module name → the sibling modules it names through `crate::`.
type Graph = BTreeMap<String, BTreeSet<String>>;

/// Each `.rs` file of `src`, by module name, without its comment lines.
fn sources(src: &Path) -> BTreeMap<String, String> {
    let mut files = BTreeMap::new();
    for entry in std::fs::read_dir(src).expect("src folder") {
        let path = entry.expect("entry").path();
        if path.extension().is_some_and(|e| e == "rs") {
            let module = path.file_stem().expect("stem").to_string_lossy().into_owned();
            let text = std::fs::read_to_string(&path).expect("source");
            let code: Vec<&str> = text.lines().filter(|l| !l.trim_start().starts_with("//")).collect();
            files.insert(module, code.join("\n"));
        }
    }
    files
}

/// The names `lib.rs` re-exports (`pub use module::{A, B};`), each with its module.
fn reexports(lib: &str) -> BTreeMap<String, String> {
    let mut names = BTreeMap::new();
    for line in lib.lines() {
        let Some((module, items)) = line.strip_prefix("pub use ").and_then(|rest| rest.split_once("::")) else {
            continue;
        };
        for name in items.trim_matches(|c| "{};".contains(c)).split(',') {
            names.insert(name.trim().to_owned(), module.to_owned());
        }
    }
    names
}

/// The modules `text` names: `crate::module::…`, or `crate::Name` re-exported from one.
fn named(text: &str, modules: &BTreeSet<String>, reexports: &BTreeMap<String, String>) -> BTreeSet<String> {
    text.split("crate::")
        .skip(1)
        .filter_map(|rest| {
            let name: String = rest.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
            if modules.contains(&name) { Some(name) } else { reexports.get(&name).cloned() }
        })
        .collect()
}

fn graph(src: &Path) -> Graph {
    let mut files = sources(src);
    let lib = files.remove("lib").expect("lib.rs");
    let reexports = reexports(&lib);
    let modules: BTreeSet<String> = files.keys().cloned().collect();
    files
        .iter()
        .map(|(module, text)| {
            let mut uses = named(text, &modules, &reexports);
            uses.remove(module);
            (module.clone(), uses)
        })
        .collect()
}

/// A circle of modules, if the graph has one.
fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(graph: &Graph, module: &str, path: &mut Vec<String>, done: &mut BTreeSet<String>) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            return Some(path[start..].to_vec());
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(found) = visit(graph, next, path, done) {
                return Some(found);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph.keys().find_map(|module| visit(graph, module, &mut Vec::new(), &mut done))
}

#[test]
fn issue_20_item_6_domain_modules_form_no_circle() {
    let graph = graph(&Path::new(env!("CARGO_MANIFEST_DIR")).join("src"));
    assert!(graph["bank_data"].contains("transaction"), "the graph sees `crate::` paths: {graph:?}");
    assert!(graph["account"].contains("money"), "and `crate::Money` is `money`'s: {graph:?}");
    assert_eq!(circle(&graph), None);
}

#[test]
fn a_circle_is_found() {
    let edge = |from: &str, to: &[&str]| (from.to_owned(), to.iter().map(|m| (*m).to_owned()).collect());
    let graph: Graph = [edge("a", &["b"]), edge("b", &["c"]), edge("c", &["b"])].into_iter().collect();
    assert_eq!(circle(&graph), Some(vec!["b".to_owned(), "c".to_owned()]));
    let graph: Graph = [edge("a", &["b"]), edge("b", &[]), edge("c", &["a", "b"])].into_iter().collect();
    assert_eq!(circle(&graph), None);
}
