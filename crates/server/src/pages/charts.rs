//! Charts as SVG markup, drawn on the server (the CSP allows no inline styles or scripts);
//! numbers and category names only, so nothing needs escaping.

use chrono::NaiveDate;
use sandbank_domain::Money;
use sandbank_domain::bank_data::ReportedBalances;

use crate::pages::view::money;

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
