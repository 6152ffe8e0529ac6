//! Transactions as CSV: the columns of `GET /api/financial/transactions/export.csv`, written by
//! the export and by `sandbank generate --format csv` alike. RFC 4180 quoting comes from the
//! `csv` crate (a field with a comma, a quote or a line break is quoted, a quote doubled).

use std::io::Write;

use chrono::{DateTime, SecondsFormat, Utc};
use sandbank_domain::transaction::Transaction;

/// The header row: the transaction's API field names, in a fixed order (`location` is split
/// into `city`, `region` and `country`).
pub const COLUMNS: [&str; 19] = [
    "id",
    "date",
    "accountId",
    "connectionId",
    "amount",
    "currency",
    "type",
    "status",
    "authorizedAt",
    "postedAt",
    "merchantName",
    "description",
    "category",
    "paymentChannel",
    "city",
    "region",
    "country",
    "externalId",
    "counterpartTransactionId",
];

/// A CSV writer over `out` (RFC 4180: `\n` line ends are accepted by every reader; we write
/// `\r\n`, as the RFC does).
pub fn writer<W: Write>(out: W) -> csv::Writer<W> {
    csv::WriterBuilder::new().terminator(csv::Terminator::CRLF).from_writer(out)
}

/// Writes the header row.
pub fn write_header<W: Write>(writer: &mut csv::Writer<W>) -> csv::Result<()> {
    writer.write_record(COLUMNS)
}

/// Writes one transaction as a row of [`COLUMNS`]: the amount signed from the holder's side
/// (negative is money out) as the API's decimal string, times in RFC 3339 UTC as the API shows
/// them, an absent value as an empty field.
pub fn write_row<W: Write>(writer: &mut csv::Writer<W>, t: &Transaction) -> csv::Result<()> {
    let r = &t.reported;
    let location = r.location.as_ref();
    writer.write_record([
        t.id.as_uuid().to_string().as_str(),
        &r.date.to_string(),
        &t.account_id.as_uuid().to_string(),
        &t.connection_id.as_uuid().to_string(),
        &r.amount.to_string(),
        &r.amount.currency().to_string(),
        r.transaction_type.as_str(),
        r.status.as_str(),
        &time(r.authorized_at),
        &time(r.posted_at),
        &r.merchant_name,
        &r.description,
        r.category.as_str(),
        r.payment_channel.as_str(),
        location.map_or("", |l| l.city.as_str()),
        location.map_or("", |l| l.region.as_str()),
        location.map_or("", |l| l.country.as_str()),
        &r.external_id,
        &t.counterpart_id.map(|id| id.as_uuid().to_string()).unwrap_or_default(),
    ])
}

/// As JSON shows it (`2026-11-29T14:03:00Z`), or empty.
fn time(at: Option<DateTime<Utc>>) -> String {
    at.map(|at| at.to_rfc3339_opts(SecondsFormat::AutoSi, true)).unwrap_or_default()
}

/// `transactions` as CSV rows, after the header row when `header`: one chunk of a streamed export.
pub fn rows(transactions: &[Transaction], header: bool) -> csv::Result<Vec<u8>> {
    let mut writer = writer(Vec::new());
    if header {
        write_header(&mut writer)?;
    }
    for t in transactions {
        write_row(&mut writer, t)?;
    }
    writer.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
