//! What every page shares: the navigation, flash messages, and formatting of money, times and
//! charts (server-rendered SVG: the CSP allows no inline styles or scripts).

use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::Money;
use sandbank_domain::bank_data::ReportedBalances;
use sandbank_services::Caller;

use crate::state::AppState;

/// The signed-in user as the navigation shows them.
#[derive(Debug, Clone)]
pub struct NavUser {
    /// Their e-mail.
    pub email: String,
    /// The CSRF token of their forms.
    pub csrf: String,
}

/// A one-line message about what just happened.
#[derive(Debug, Clone)]
pub struct Flash {
    /// `success` or `error`.
    pub kind: &'static str,
    /// The message.
    pub text: String,
}

/// The navigation and flash of a page.
#[derive(Debug, Clone, Default)]
pub struct Nav {
    /// Who is signed in.
    pub user: Option<NavUser>,
    /// What just happened.
    pub flash: Option<Flash>,
}

impl Nav {
    /// The signed-in user's form token (every form of a page carries it); empty when anonymous.
    pub fn csrf(&self) -> &str {
        self.user.as_ref().map_or("", |user| user.csrf.as_str())
    }
}

/// The purpose every signed-in form's CSRF token is issued for.
pub const FORM_PURPOSE: &str = "form";

impl Nav {
    /// The navigation of `caller`, with the flash named by `flash` (and `n`, a count).
    pub fn signed_in(state: &AppState, caller: &Caller, flash: Option<&str>, n: Option<&str>) -> Self {
        Self {
            user: Some(NavUser {
                email: caller.user.email.clone(),
                csrf: state.csrf.issue(caller.session_id, FORM_PURPOSE),
            }),
            flash: flash.and_then(|code| flash_message(code, n)),
        }
    }
}

/// The words for a flash code.
fn flash_message(code: &str, n: Option<&str>) -> Option<Flash> {
    let ok = |text: String| Some(Flash { kind: "success", text });
    let n = n.unwrap_or("0");
    match code {
        "connected" => ok("Connected. Your accounts and their history are below.".into()),
        "synced" => ok(format!("Synced: {n} new transactions.")),
        "disconnected" => ok("Disconnected. The accounts stay here, read-only.".into()),
        "cancelled" => ok("Connection cancelled; nothing was shared.".into()),
        "welcome" => ok("Welcome to Sandbank. Connect a bank to get started.".into()),
        "sync_failed" => Some(Flash { kind: "error", text: "The bank did not answer; try again in a moment.".into() }),
        "expired" => {
            Some(Flash { kind: "error", text: "The connection expired: reconnect it to keep syncing.".into() })
        }
        _ => None,
    }
}

/// `$1,234.56` or `−$42.17`.
pub fn money(amount: Money) -> String {
    let minor = amount.minor_units();
    let digits = (minor.unsigned_abs() / 100).to_string();
    let mut grouped = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    let sign = if minor < 0 { "−" } else { "" };
    format!("{sign}${grouped}.{:02}", minor.unsigned_abs() % 100)
}

/// "just now", "5 minutes ago", "3 hours ago", "2 days ago".
pub fn ago(then: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let seconds = (now - then).num_seconds().max(0);
    let (n, unit) = match seconds {
        0..60 => return "just now".into(),
        60..3_600 => (seconds / 60, "minute"),
        3_600..86_400 => (seconds / 3_600, "hour"),
        _ => (seconds / 86_400, "day"),
    };
    format!("{n} {unit}{} ago", if n == 1 { "" } else { "s" })
}

/// A line chart of current balances, as SVG markup (numbers only: nothing to escape).
pub fn balance_chart(snapshots: &[ReportedBalances]) -> String {
    let (width, height, pad) = (720.0, 220.0, 40.0);
    let values: Vec<f64> = snapshots.iter().map(|s| s.current.minor_units() as f64 / 100.0).collect();
    if values.len() < 2 {
        return String::new();
    }
    let (lo, hi) = values.iter().fold((f64::MAX, f64::MIN), |(lo, hi), v| (lo.min(*v), hi.max(*v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let x = |i: usize| pad + (width - 2.0 * pad) * i as f64 / (values.len() - 1) as f64;
    let y = |v: f64| height - pad - (height - 2.0 * pad) * (v - lo) / span;
    let points: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
    let first = snapshots.first().map(|s| s.date).unwrap_or(NaiveDate::MIN);
    let last = snapshots.last().map(|s| s.date).unwrap_or(NaiveDate::MIN);
    format!(
        concat!(
            r#"<svg class="chart" viewBox="0 0 {w} {h}" role="img" aria-label="Balance from {first} to {last}, between {lo:.2} and {hi:.2}">"#,
            r##"<line x1="{p}" y1="{base}" x2="{right}" y2="{base}" stroke="#8a94a6"/>"##,
            r##"<text x="{p}" y="{label}" font-size="12" fill="#4a5568">{first}</text>"##,
            r##"<text x="{right}" y="{label}" font-size="12" fill="#4a5568" text-anchor="end">{last}</text>"##,
            r##"<text x="4" y="{top}" font-size="12" fill="#4a5568">{hi:.0}</text>"##,
            r##"<text x="4" y="{base}" font-size="12" fill="#4a5568">{lo:.0}</text>"##,
            r##"<polyline fill="none" stroke="#0b5fff" stroke-width="2" points="{points}"/></svg>"##
        ),
        w = width,
        h = height,
        p = pad,
        right = width - pad,
        base = height - pad,
        top = pad,
        label = height - pad + 18.0,
        first = first,
        last = last,
        lo = lo,
        hi = hi,
        points = points.join(" ")
    )
}

/// Horizontal bars of spend by category, as SVG markup.
pub fn spend_chart(rows: &[(String, Money)]) -> String {
    let most = rows.iter().map(|(_, m)| m.minor_units()).max().unwrap_or(1).max(1) as f64;
    let row_height = 28.0;
    let height = row_height * rows.len() as f64 + 8.0;
    let bars: String = rows
        .iter()
        .enumerate()
        .map(|(i, (label, amount))| {
            let y = 4.0 + row_height * i as f64;
            let width = 360.0 * amount.minor_units() as f64 / most;
            format!(
                concat!(
                    r##"<text x="0" y="{ty:.1}" font-size="13" fill="#14213d">{label}</text>"##,
                    r##"<rect x="150" y="{y:.1}" width="{width:.1}" height="18" rx="3" fill="#0b5fff"/>"##,
                    r##"<text x="{tx:.1}" y="{ty:.1}" font-size="13" fill="#14213d">{amount}</text>"##
                ),
                ty = y + 14.0,
                y = y,
                width = width,
                tx = 156.0 + width,
                label = label.replace('_', " "),
                amount = money(*amount),
            )
        })
        .collect();
    format!(
        r#"<svg class="chart" viewBox="0 0 640 {height:.0}" role="img" aria-label="Spend by category this month">{bars}</svg>"#
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbank_domain::Currency;

    #[test]
    fn formats_money_and_times() {
        assert_eq!(money(Money::from_minor(123_456_78, Currency::USD)), "$123,456.78");
        assert_eq!(money(Money::from_minor(-4217, Currency::USD)), "−$42.17");
        assert_eq!(money(Money::from_minor(5, Currency::USD)), "$0.05");
        let now = Utc::now();
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now - chrono::TimeDelta::minutes(5), now), "5 minutes ago");
        assert_eq!(ago(now - chrono::TimeDelta::hours(1), now), "1 hour ago");
        assert_eq!(ago(now - chrono::TimeDelta::days(3), now), "3 days ago");
    }
}
