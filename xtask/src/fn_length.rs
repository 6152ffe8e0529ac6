//! Functions that do not fit on a screen: the length of every `fn` of a crate's sources, from
//! its `fn` line to its closing brace, test modules left out.

use std::path::{Path, PathBuf};

/// A function and how many lines it spans.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Function {
    pub file: PathBuf,
    pub line: usize,
    pub name: String,
    pub lines: usize,
}

/// `text` with string, char and comment contents blanked (line breaks kept), so that braces
/// count only where they are code.
fn code_only(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        let skip_to = match chars[i] {
            '/' if chars.get(i + 1) == Some(&'/') => (i..chars.len()).find(|&j| chars[j] == '\n'),
            '"' => closing_quote(&chars, i),
            '\'' => char_literal_end(&chars, i),
            _ => None,
        };
        match skip_to {
            Some(end) if end > i => {
                out.extend(chars[i..end].iter().map(|c| if *c == '\n' { '\n' } else { ' ' }));
                i = end;
            }
            _ => {
                out.push(chars[i]);
                i += 1;
            }
        }
    }
    out
}

/// Just past the quote that closes the string opened at `start`.
fn closing_quote(chars: &[char], start: usize) -> Option<usize> {
    let mut j = start + 1;
    while j < chars.len() {
        match chars[j] {
            '\\' => j += 2,
            '"' => return Some(j + 1),
            _ => j += 1,
        }
    }
    Some(chars.len())
}

/// Just past a char literal opened at `start` (`'x'`, `'\n'`, `'\u{7f}'`); none for a lifetime.
fn char_literal_end(chars: &[char], start: usize) -> Option<usize> {
    match chars.get(start + 1) {
        Some('\\') => (start + 2..chars.len()).find(|&j| chars[j] == '\'').map(|j| j + 1),
        Some(_) if chars.get(start + 2) == Some(&'\'') => Some(start + 3),
        _ => None,
    }
}

/// The line index of the brace that closes the block opened on or after line `from`.
fn block_end(lines: &[&str], from: usize) -> Option<usize> {
    let mut depth = 0i64;
    let mut opened = false;
    for (index, line) in lines.iter().enumerate().skip(from) {
        for c in line.chars() {
            match c {
                '{' => (depth, opened) = (depth + 1, true),
                '}' => depth -= 1,
                ';' if !opened && depth == 0 => return None,
                _ => {}
            }
        }
        if opened && depth == 0 {
            return Some(index);
        }
    }
    None
}

/// The name of the function a line declares, if it declares one.
fn declared(line: &str) -> Option<&str> {
    let words: Vec<&str> = line.split_whitespace().collect();
    let position = words.iter().position(|w| *w == "fn")?;
    let qualifiers = ["pub", "const", "async", "unsafe", "extern"];
    let before_ok = words[..position].iter().all(|w| qualifiers.contains(w) || w.starts_with("pub("));
    let name = words.get(position + 1)?;
    let end = name.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(name.len());
    (before_ok && end > 0).then(|| &name[..end])
}

/// Every function in `text` outside `#[cfg(test)]` modules.
pub fn functions(file: &Path, text: &str) -> Vec<Function> {
    let code = code_only(text);
    let lines: Vec<&str> = code.lines().collect();
    let mut found = Vec::new();
    let mut index = 0;
    while index < lines.len() {
        let line = lines[index].trim();
        let next = lines.get(index + 1).map_or("", |l| l.trim());
        if line == "#[cfg(test)]" && (next.starts_with("mod ") || next.starts_with("pub mod ")) {
            index = block_end(&lines, index + 1).map_or(lines.len(), |end| end + 1);
            continue;
        }
        if let Some(name) = declared(line)
            && let Some(end) = block_end(&lines, index)
        {
            let function =
                Function { file: file.to_owned(), line: index + 1, name: name.to_owned(), lines: end - index + 1 };
            found.push(function);
        }
        index += 1;
    }
    found
}

/// The `.rs` files under `folder`, tests' own files (`tests.rs`) left out.
fn sources(folder: &Path) -> Vec<PathBuf> {
    let Ok(entries) = std::fs::read_dir(folder) else { return Vec::new() };
    let mut files = Vec::new();
    for path in entries.filter_map(|e| e.ok()).map(|e| e.path()) {
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") && path.file_name().is_some_and(|n| n != "tests.rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// Lists the functions of every crate's sources (`src`, not its tests or benches) longer than
/// `warn` lines; fails if one is longer than `fail`.
pub fn check(root: &Path, warn: usize, fail: usize) -> Result<(), String> {
    let crates = std::fs::read_dir(root.join("crates")).map_err(|e| format!("crates: {e}"))?;
    let mut folders: Vec<PathBuf> = crates.filter_map(|e| e.ok()).map(|e| e.path().join("src")).collect();
    folders.push(root.join("xtask/src"));
    let mut functions: Vec<Function> = folders.iter().flat_map(|folder| longer_than(folder, warn)).collect();
    functions.sort_by_key(|f| std::cmp::Reverse(f.lines));
    for f in &functions {
        let file = f.file.strip_prefix(root).unwrap_or(&f.file);
        println!("{:>4} lines  {}:{} {}", f.lines, file.display(), f.line, f.name);
    }
    match functions.iter().filter(|f| f.lines > fail).count() {
        0 => Ok(()),
        over => Err(format!("{over} function(s) over {fail} lines")),
    }
}

/// The functions under `folder` longer than `limit` lines.
pub fn longer_than(folder: &Path, limit: usize) -> Vec<Function> {
    sources(folder)
        .iter()
        .flat_map(|file| functions(file, &std::fs::read_to_string(file).unwrap_or_default()))
        .filter(|f| f.lines > limit)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issue_20_item_5_no_function_of_the_inner_crates_is_over_60_lines() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        for krate in ["domain", "store", "services", "fakebank"] {
            let src = root.join("crates").join(krate).join("src");
            assert!(!longer_than(&src, 0).is_empty(), "{krate}: its functions are found");
            assert_eq!(longer_than(&src, 60), [], "{krate}: split these where that makes them clearer");
        }
    }

    #[test]
    fn lengths_count_from_fn_to_its_closing_brace() {
        let text = "pub(crate) fn a(x: &'a str) -> char {\n    let s = \"}\"; // }\n    '{'\n}\n\
                    fn declared_only();\n\
                    #[cfg(test)]\nmod tests {\n    fn hidden() {\n    }\n}\n\
                    const fn b<'a>() {}\n";
        let found: Vec<(String, usize, usize)> =
            functions(Path::new("x.rs"), text).into_iter().map(|f| (f.name, f.line, f.lines)).collect();
        assert_eq!(found, [("a".to_owned(), 1, 4), ("b".to_owned(), 11, 1)]);
    }
}
