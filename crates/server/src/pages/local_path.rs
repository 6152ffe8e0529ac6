//! `LocalPath`: where a page may send a visitor after signing in — a path on this site, never
//! another host.

use std::fmt;

/// A path on this site. Parsed, so a value of this type is always safe to put in `Location`:
/// it starts with exactly one `/` and holds no backslash, whitespace or control character (a
/// browser reads `/\evil.example` and `/<TAB>/evil.example` as `//evil.example`, another host).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalPath(String);

impl LocalPath {
    /// The longest path accepted.
    pub const MAX_LEN: usize = 2048;

    /// `text` if it is a local path; `None` otherwise.
    pub fn parse(text: &str) -> Option<Self> {
        let rest = text.strip_prefix('/')?;
        let local = text.len() <= Self::MAX_LEN
            && !rest.starts_with('/')
            && text.chars().all(|c| c != '\\' && !c.is_whitespace() && !c.is_control());
        local.then(|| Self(text.to_owned()))
    }

    /// The dashboard, where a visitor goes when no (acceptable) path is given.
    pub fn dashboard() -> Self {
        Self("/dashboard".to_owned())
    }

    /// `text` if it is a local path, the dashboard otherwise.
    pub fn or_dashboard(text: Option<&str>) -> Self {
        text.and_then(Self::parse).unwrap_or_else(Self::dashboard)
    }

    /// The path.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for LocalPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_paths_on_this_site() {
        for path in
            ["/", "/dashboard", "/transactions?sortBy=amount&accountId=x", "/financial/authorize/abc", "/a/%5Cb"]
        {
            assert_eq!(LocalPath::parse(path).map(|p| p.to_string()), Some(path.to_owned()), "{path}");
        }
    }

    #[test]
    fn rejects_anything_a_browser_could_read_as_another_host() {
        let long = format!("/{}", "a".repeat(LocalPath::MAX_LEN));
        for path in [
            "",
            "dashboard",
            "//evil.example",
            "/\\evil.example",
            "\\/evil.example",
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r/evil.example",
            "/ /evil.example",
            " /dashboard",
            "/dash\u{0}board",
            "/dash\u{7f}board",
            "/a\\b",
            "https://evil.example",
            "javascript:alert(1)",
            "///evil.example",
            long.as_str(),
        ] {
            assert_eq!(LocalPath::parse(path), None, "{path:?}");
        }
    }

    #[test]
    fn falls_back_to_the_dashboard() {
        assert_eq!(LocalPath::or_dashboard(None), LocalPath::dashboard());
        assert_eq!(LocalPath::or_dashboard(Some("/\\evil.example")).as_str(), "/dashboard");
        assert_eq!(LocalPath::or_dashboard(Some("/transactions")).as_str(), "/transactions");
    }
}
