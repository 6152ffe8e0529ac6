//! Charts as SVG markup, drawn on the server (the CSP allows no inline styles or scripts):
//! labelled axes with money and dates, grid lines, a `<title>` (hover text) on each mark, and
//! an `aria-label` that says what the chart shows. Drawn on a narrow canvas so their text stays
//! readable on a phone. Numbers, dates and category names only, so nothing needs escaping.

use std::fmt::Write;

use chrono::NaiveDate;
use sandbank_domain::Money;
use sandbank_domain::insights::MonthFlow;
use sandbank_domain::transaction::Category;

use crate::pages::view::money;

/// The canvas: width, height, and the margins left for the axes' labels.
const WIDTH: f64 = 400.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 60.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 24.0;
const BOTTOM: f64 = 28.0;
const INK: &str = "#14213d";
const MUTED: &str = "#4a5568";
const GRID: &str = "#e2e7ef";

/// Whole dollars, rounded half away from zero and grouped: `$4,000`, `−$1,500`.
fn dollars(minor: i64) -> String {
    let rounded = (minor + minor.signum() * 50) / 100 * 100;
    let text = money(Money::from_minor(rounded, sandbank_domain::Currency::USD));
    text.split('.').next().unwrap_or_default().to_owned()
}

/// Axis ticks in minor units covering `lo..=hi` (and zero): 1, 2 or 5 × a power of ten apart.
fn ticks(lo: i64, hi: i64) -> Vec<i64> {
    let (lo, hi) = (lo.min(0), hi.max(0));
    let span = (hi - lo).max(100) as f64;
    let raw = span / 5.0;
    let power = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0].iter().map(|m| m * power).find(|s| *s >= raw).unwrap_or(power * 10.0) as i64;
    // Labels are whole dollars: a step is at least one.
    let step = step.max(100);
    let mut ticks = vec![lo.div_euclid(step) * step];
    while let Some(last) = ticks.last().copied().filter(|last| *last < hi || ticks.len() < 2) {
        ticks.push(last + step);
    }
    ticks
}

/// The value axis: grid lines and money labels at `ticks`, placed by `y`.
fn value_axis(out: &mut String, ticks: &[i64], y: impl Fn(i64) -> f64) {
    for tick in ticks {
        let at = y(*tick);
        let _ = write!(
            out,
            r#"<line x1="{LEFT}" y1="{at:.1}" x2="{x2}" y2="{at:.1}" stroke="{GRID}"/><text x="{lx}" y="{ly:.1}" font-size="13" fill="{MUTED}" text-anchor="end">{label}</text>"#,
            x2 = WIDTH - RIGHT,
            lx = LEFT - 6.0,
            ly = at + 4.0,
            label = dollars(*tick),
        );
    }
}

/// A label under the plot at `x`.
fn date_label(out: &mut String, x: f64, text: &str, anchor: &str) {
    let _ = write!(
        out,
        r#"<text x="{x:.1}" y="{y}" font-size="13" fill="{MUTED}" text-anchor="{anchor}">{text}</text>"#,
        y = HEIGHT - 8.0
    );
}

/// A line chart of `points` (a day and an amount each), titled `label` (e.g. "Balance"), as SVG
/// markup; empty when there are fewer than two points.
pub fn line_chart(label: &'static str, points: &[(NaiveDate, Money)]) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else { return String::new() };
    if points.len() < 2 {
        return String::new();
    }
    let values: Vec<i64> = points.iter().map(|(_, m)| m.minor_units()).collect();
    let (lo, hi) = (values.iter().copied().min().unwrap_or(0), values.iter().copied().max().unwrap_or(0));
    let ticks = ticks(lo, hi);
    let (bottom, top) = (ticks[0], *ticks.last().unwrap_or(&0));
    let y = |v: i64| HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * (v - bottom) as f64 / (top - bottom).max(1) as f64;
    let x = |i: usize| LEFT + (WIDTH - LEFT - RIGHT) * i as f64 / (points.len() - 1) as f64;
    let mut out = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{label} from {} to {}: lowest {}, highest {}, latest {}">"#,
        first.0,
        last.0,
        money(Money::from_minor(lo, last.1.currency())),
        money(Money::from_minor(hi, last.1.currency())),
        money(last.1),
    );
    value_axis(&mut out, &ticks, y);
    date_label(&mut out, LEFT, &first.0.format("%b %-d").to_string(), "start");
    date_label(&mut out, WIDTH - RIGHT, &last.0.format("%b %-d").to_string(), "end");
    let line: Vec<String> = values.iter().enumerate().map(|(i, v)| format!("{:.1},{:.1}", x(i), y(*v))).collect();
    let _ = write!(out, r##"<polyline fill="none" stroke="#0b5fff" stroke-width="2" points="{}"/>"##, line.join(" "));
    // Hover text on a mark every week or so, and on the last day.
    let every = (points.len() / 26).max(1);
    for (i, (day, amount)) in points.iter().enumerate().filter(|(i, _)| i % every == 0 || *i == points.len() - 1) {
        let _ = write!(
            out,
            r##"<circle cx="{:.1}" cy="{:.1}" r="3" fill="#0b5fff"><title>{day}: {}</title></circle>"##,
            x(i),
            y(amount.minor_units()),
            money(*amount)
        );
    }
    out.push_str("</svg>");
    out
}

/// Bars of income and spending per month, net written above each pair, as SVG markup.
pub fn cash_flow_chart(months: &[MonthFlow]) -> String {
    let (Some(first), Some(last)) = (months.first(), months.last()) else { return String::new() };
    let most = months.iter().map(|m| m.income.minor_units().max(m.spending.minor_units())).max().unwrap_or(0);
    let ticks = ticks(0, most);
    let top = *ticks.last().unwrap_or(&1);
    let y = |v: i64| HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * v as f64 / top.max(1) as f64;
    let slot = (WIDTH - LEFT - RIGHT) / months.len() as f64;
    let bar = slot * 0.32;
    let mut out = format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="Cash flow by month, {} to {}: income (green) and spending (red)">"#,
        first.month.format("%B %Y"),
        last.month.format("%B %Y"),
    );
    value_axis(&mut out, &ticks, y);
    for (i, m) in months.iter().enumerate() {
        let x = LEFT + slot * i as f64 + slot * 0.16;
        let month = m.month.format("%b %Y");
        for (offset, amount, fill, what) in
            [(0.0, m.income, "#067647", "income"), (bar, m.spending, "#b42318", "spending")]
        {
            let top_of = y(amount.minor_units());
            let _ = write!(
                out,
                r#"<rect x="{:.1}" y="{top_of:.1}" width="{bar:.1}" height="{:.1}" fill="{fill}"><title>{month} {what}: {}</title></rect>"#,
                x + offset,
                y(0) - top_of,
                money(amount)
            );
        }
        let _ = write!(
            out,
            r#"<text x="{:.1}" y="{:.1}" font-size="13" fill="{INK}" text-anchor="middle"><title>{month} net: {}</title>{}</text>"#,
            x + bar,
            y(m.income.minor_units().max(m.spending.minor_units())) - 4.0,
            money(m.net()),
            dollars(m.net().minor_units()),
        );
        date_label(&mut out, x + bar, &m.month.format("%b").to_string(), "middle");
    }
    out.push_str("</svg>");
    out
}

/// Horizontal bars of spending by category, as SVG markup.
pub fn spend_chart(rows: &[(Category, Money)]) -> String {
    let most = rows.iter().map(|(_, m)| m.minor_units()).max().unwrap_or(1).max(1) as f64;
    let total: i64 = rows.iter().map(|(_, m)| m.minor_units()).sum();
    let row_height = 28.0;
    let height = row_height * rows.len() as f64 + 8.0;
    let bars: String = rows
        .iter()
        .enumerate()
        .map(|(i, (label, amount))| {
            let y = 4.0 + row_height * i as f64;
            let width = 170.0 * amount.minor_units() as f64 / most;
            let label = label.as_str().replace('_', " ");
            format!(
                concat!(
                    r##"<text x="0" y="{ty:.1}" font-size="13" fill="#14213d">{label}</text>"##,
                    r##"<rect x="124" y="{y:.1}" width="{width:.1}" height="18" rx="3" fill="#0b5fff"><title>{label}: {amount}</title></rect>"##,
                    r##"<text x="{tx:.1}" y="{ty:.1}" font-size="13" fill="#14213d">{amount}</text>"##
                ),
                ty = y + 14.0,
                y = y,
                width = width,
                tx = 130.0 + width,
                label = label,
                amount = money(*amount),
            )
        })
        .collect();
    format!(
        r#"<svg class="chart" viewBox="0 0 {WIDTH} {height:.0}" role="img" aria-label="Spending by category this month: {} in all">{bars}</svg>"#,
        money(Money::from_minor(total, sandbank_domain::Currency::USD))
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbank_domain::Currency;

    fn usd(minor: i64) -> Money {
        Money::from_minor(minor, Currency::USD)
    }

    #[test]
    fn ticks_are_round_and_cover_the_range_and_zero() {
        assert_eq!(ticks(125_000, 404_800), [0, 100_000, 200_000, 300_000, 400_000, 500_000]);
        assert_eq!(ticks(-150_000, 20_000), [-150_000, -100_000, -50_000, 0, 50_000]);
        assert_eq!(ticks(0, 0), [0, 100]);
        assert_eq!(dollars(-50), "−$1");
        assert_eq!(dollars(149), "$1");
        assert_eq!(dollars(404_800), "$4,048");
        assert_eq!(dollars(-150_000), "−$1,500");
    }

    #[test]
    fn a_line_chart_has_money_on_its_axis_and_a_title_per_mark() {
        let day = |d: u32| NaiveDate::from_ymd_opt(2026, 11, d).expect("day");
        let svg = line_chart("Balance", &[(day(1), usd(125_000)), (day(2), usd(404_800)), (day(3), usd(300_000))]);
        assert!(svg.starts_with(r#"<svg class="chart""#) && svg.ends_with("</svg>"));
        assert!(svg.contains(r#"aria-label="Balance from 2026-11-01 to 2026-11-03: lowest $1,250.00, highest $4,048.00, latest $3,000.00""#), "{svg}");
        assert!(svg.contains(">$4,000</text>") && svg.contains(">$0</text>"), "formatted ticks: {svg}");
        assert!(svg.contains("<title>2026-11-02: $4,048.00</title>"));
        assert!(svg.contains(">Nov 1</text>") && svg.contains(">Nov 3</text>"));
        assert_eq!(line_chart("Balance", &[(day(1), usd(1))]), "", "one point is no line");
    }

    #[test]
    fn the_cash_flow_chart_shows_each_month_in_and_out() {
        let month = |m: u32| NaiveDate::from_ymd_opt(2026, m, 1).expect("month");
        let months = [
            MonthFlow { month: month(10), income: usd(500_000), spending: usd(320_050) },
            MonthFlow { month: month(11), income: usd(0), spending: usd(10_000) },
        ];
        let svg = cash_flow_chart(&months);
        assert!(svg.contains(r#"aria-label="Cash flow by month, October 2026 to November 2026"#), "{svg}");
        assert!(svg.contains("<title>Oct 2026 income: $5,000.00</title>"));
        assert!(svg.contains("<title>Oct 2026 spending: $3,200.50</title>"));
        assert!(svg.contains("<title>Nov 2026 net: −$100.00</title>"));
        assert!(svg.contains(">Oct</text>") && svg.contains(">$5,000</text>"), "{svg}");
    }

    #[test]
    fn the_spend_chart_is_labelled_as_spending() {
        let svg = spend_chart(&[(Category::FoodAndDrink, usd(4_217)), (Category::Travel, usd(100))]);
        assert!(svg.contains(r#"aria-label="Spending by category this month: $43.17 in all""#), "{svg}");
        assert!(svg.contains("<title>food and drink: $42.17</title>"));
    }
}
