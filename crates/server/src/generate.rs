//! `sandbank generate`: fixtures from the fake bank with no server and no database. It asks the
//! same provider the server asks ([`FakeBankProvider`], scenarios included) for the accounts and
//! transactions of a connection with a seed and a clock, and writes them as the API shows them:
//! JSON (one document), NDJSON (one object per line) or CSV (the transactions alone, in the
//! columns of `export.csv`, written by [`crate::transactions_csv`]).
//!
//! Ids are derived from the provider, the seed and the bank's own ids (UUIDv8 from a stable
//! hash, the same on every machine), so the same arguments give the same bytes. With
//! `--connections N` the connections (seeds `seed`..`seed+N`) are generated and written one
//! after another: no more than one connection's rows are in memory at once.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::PathBuf;

use chrono::{DateTime, Days, NaiveDate, Utc};
use clap::{Args, ValueEnum};
use sandbank_domain::account::{Account, AccountStatus};
use sandbank_domain::bank_data::{AccountReport, ReportedAccount};
use sandbank_domain::scenario::{RawScenario, Scenario};
use sandbank_domain::transaction::Transaction;
use sandbank_domain::{AccountId, ConnectionId, ProviderId, TransactionId};
use sandbank_fakebank::{ProviderSpec, catalog, end_of_day};
use sandbank_services::providers::fake::FakeBankProvider;
use sandbank_services::providers::{Credentials, Provider, ProviderLink};
use serde::Serialize;
use uuid::Uuid;

use crate::routes::accounts::AccountResponse;
use crate::routes::transactions::TransactionResponse;
use crate::transactions_csv;

/// Options of `generate`.
#[derive(Debug, Args)]
pub struct GenerateArgs {
    /// The bank's slug: amex, chase, bank-of-america, wells-fargo or capital-one.
    #[arg(long)]
    pub provider: String,
    /// The connection's seed (as `seed` when connecting through the API).
    #[arg(long)]
    pub seed: i64,
    /// The sandbox clock: a day (`2026-06-01`, its end) or an RFC 3339 instant
    /// (`2026-06-01T12:00:00Z`). The connection is linked that day; nothing stamped later is shown.
    #[arg(long)]
    pub as_of: String,
    /// Only the last N days of the history (default: the whole history, three to six months).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub days: Option<u32>,
    /// A scenario document (JSON, as in `POST /api/sandbox/scenarios`): its accounts and rows.
    #[arg(long)]
    pub scenario: Option<PathBuf>,
    /// What to write.
    #[arg(long, value_enum)]
    pub format: Format,
    /// Where (default: standard output).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// How many connections, with seeds `seed`, `seed + 1`, … (a progress bar on a terminal).
    #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u64).range(1..=10_000_000))]
    pub connections: u64,
}

/// The output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// One document: `{"connections": [{connectionId, providerId, seed, accounts, transactions}]}`.
    Json,
    /// One object per line: each account (`"record": "account"`), then its connection's
    /// transactions (`"record": "transaction"`).
    Ndjson,
    /// The transactions alone, with the columns of `export.csv`.
    Csv,
}

/// `sandbank generate`: writes the fixtures, with a progress bar on a terminal's stderr.
pub fn run(args: &GenerateArgs) -> Result<(), String> {
    let plan = Plan::from_args(args)?;
    let out: Box<dyn Write> = match &args.out {
        Some(path) => Box::new(std::fs::File::create(path).map_err(|e| format!("{}: {e}", path.display()))?),
        None => Box::new(std::io::stdout().lock()),
    };
    let bar = progress(args.connections)?;
    let mut sink = Sink { format: args.format, out: std::io::BufWriter::new(out), written: 0 };
    sink.begin().map_err(|e| e.to_string())?;
    for n in 0..args.connections {
        let connection = plan.connection(n)?;
        sink.connection(&connection).map_err(|e| e.to_string())?;
        bar.inc(1);
    }
    sink.end().map_err(|e| e.to_string())?;
    bar.finish_and_clear();
    Ok(())
}

/// A bar on stderr when it is a terminal, else none.
fn progress(connections: u64) -> Result<indicatif::ProgressBar, String> {
    if !std::io::stderr().is_terminal() {
        return Ok(indicatif::ProgressBar::hidden());
    }
    let style = indicatif::ProgressStyle::with_template("{bar:40} {pos}/{len} connections ({per_sec}, {eta} left)")
        .map_err(|e| e.to_string())?;
    Ok(indicatif::ProgressBar::new(connections).with_style(style))
}

/// The checked arguments.
#[derive(Debug)]
struct Plan {
    spec: &'static ProviderSpec,
    seed: i64,
    clock: DateTime<Utc>,
    since: Option<NaiveDate>,
    scenario: Option<Scenario>,
}

impl Plan {
    fn from_args(args: &GenerateArgs) -> Result<Self, String> {
        let spec = catalog::provider(&args.provider).ok_or_else(|| {
            let known: Vec<&str> = catalog::CATALOG.iter().map(|p| p.slug.as_str()).collect();
            format!("--provider: unknown provider {:?} (one of {})", args.provider, known.join(", "))
        })?;
        let clock = parse_as_of(&args.as_of)?;
        let since = args.days.map(|days| clock.date_naive() - Days::new(u64::from(days) - 1));
        let scenario = args.scenario.as_deref().map(read_scenario).transpose()?;
        if args.seed.checked_add_unsigned(args.connections - 1).is_none() {
            return Err("--seed: seed + connections - 1 must fit in 64 bits".into());
        }
        Ok(Self { spec, seed: args.seed, clock, since, scenario })
    }

    /// The `n`th connection (seed `seed + n`): its accounts and transactions as the API would
    /// store them on a connection linked on the clock's day and fetched at the clock.
    fn connection(&self, n: u64) -> Result<Fixture, String> {
        let seed = self.seed.checked_add_unsigned(n).ok_or("seed overflow")?;
        let link = ProviderLink {
            provider_slug: &self.spec.slug,
            seed,
            linked_on: self.clock.date_naive(),
            fault: None,
            scenario: self.scenario.as_ref(),
            clock: self.clock,
        };
        let bank = FakeBankProvider;
        let token = bank.authorize(&link, &Credentials::default()).map_err(|e| e.to_string())?;
        let id = ConnectionId::from_uuid(stable_id(&[self.spec.slug.as_bytes(), &seed.to_be_bytes()]));
        let mut fixture = Fixture { id, seed, accounts: Vec::new(), transactions: Vec::new() };
        for reported in bank.accounts(&link, &token).map_err(|e| e.to_string())? {
            let data =
                bank.fetch(&link, &token, &reported.external_id, self.since, self.clock).map_err(|e| e.to_string())?;
            fixture.add(self.spec, reported, data, self.clock)?;
        }
        fixture.resolve_counterparts();
        Ok(fixture)
    }
}

/// `--as-of`: a day (its end) or an RFC 3339 instant.
fn parse_as_of(text: &str) -> Result<DateTime<Utc>, String> {
    if let Ok(day) = NaiveDate::parse_from_str(text, "%Y-%m-%d") {
        return Ok(end_of_day(day));
    }
    DateTime::parse_from_rfc3339(text)
        .map(|at| at.with_timezone(&Utc))
        .map_err(|_| format!("--as-of: {text:?} is neither YYYY-MM-DD nor an RFC 3339 instant"))
}

/// A scenario document from a file, validated as the API validates one.
fn read_scenario(path: &std::path::Path) -> Result<Scenario, String> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("--scenario {}: {e}", path.display()))?;
    let document: RawScenario =
        serde_json::from_str(&text).map_err(|e| format!("--scenario {}: {e}", path.display()))?;
    document.validate().map_err(|errors| format!("--scenario {}: {errors}", path.display()))
}

/// A UUIDv8 from a stable hash of `parts` (two FNV-1a 64 passes with different offsets): the
/// same on every machine and in every run.
fn stable_id(parts: &[&[u8]]) -> Uuid {
    let fnv = |mut hash: u64| {
        for part in parts {
            for byte in part.iter().chain(&[0xff]) {
                hash ^= u64::from(*byte);
                hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
            }
        }
        hash
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&fnv(0xcbf2_9ce4_8422_2325).to_be_bytes());
    bytes[8..].copy_from_slice(&fnv(0x6c62_272e_07bb_0142).to_be_bytes());
    uuid::Builder::from_custom_bytes(bytes).into_uuid()
}

/// One generated connection.
#[derive(Debug)]
struct Fixture {
    id: ConnectionId,
    seed: i64,
    accounts: Vec<Account>,
    transactions: Vec<Transaction>,
}

impl Fixture {
    /// Adds an account and its rows, as the API stores them.
    fn add(
        &mut self,
        spec: &ProviderSpec,
        reported: ReportedAccount,
        data: AccountReport,
        clock: DateTime<Utc>,
    ) -> Result<(), String> {
        let connection = self.id.as_uuid();
        let account_id = AccountId::from_uuid(stable_id(&[connection.as_bytes(), reported.external_id.as_bytes()]));
        self.transactions.extend(data.transactions.into_iter().map(|t| Transaction {
            id: TransactionId::from_uuid(stable_id(&[connection.as_bytes(), t.external_id.as_bytes()])),
            account_id,
            connection_id: self.id,
            reported: t,
            counterpart_id: None,
        }));
        let statement = data.statement;
        self.accounts.push(Account {
            id: account_id,
            connection_id: self.id,
            provider_id: spec.id.parse::<ProviderId>().map_err(|e| e.to_string())?,
            external_id: reported.external_id,
            name: reported.name,
            official_name: reported.official_name,
            account_type: reported.account_type,
            subtype: reported.subtype,
            mask: reported.mask,
            current_balance: data.balances.current,
            available_balance: data.balances.available,
            credit_limit: reported.credit_limit,
            statement_balance: statement.map(|s| s.statement_balance),
            minimum_payment: statement.map(|s| s.minimum_payment),
            statement_date: statement.map(|s| s.statement_date),
            payment_due_date: statement.map(|s| s.payment_due_date),
            status: AccountStatus::Active,
            reconciliation: None,
            updated_at: clock,
        });
        Ok(())
    }

    /// Names the other side of each transfer whose other side is in this connection and names
    /// it back (the API's rule, within one connection).
    fn resolve_counterparts(&mut self) {
        let by_external_id: HashMap<&str, (TransactionId, Option<&str>)> = self
            .transactions
            .iter()
            .map(|t| (t.reported.external_id.as_str(), (t.id, t.reported.counterpart_external_id.as_deref())))
            .collect();
        let found: Vec<Option<TransactionId>> = self
            .transactions
            .iter()
            .map(|t| {
                let (id, names) = by_external_id.get(t.reported.counterpart_external_id.as_deref()?)?;
                (*id != t.id && *names == Some(t.reported.external_id.as_str())).then_some(*id)
            })
            .collect();
        for (t, counterpart) in self.transactions.iter_mut().zip(found) {
            t.counterpart_id = counterpart;
        }
    }
}

/// A line of NDJSON: what it is, then its fields.
#[derive(Serialize)]
struct Line<T> {
    record: &'static str,
    #[serde(flatten)]
    item: T,
}

/// Where the fixtures go, in one format.
struct Sink<W: Write> {
    format: Format,
    out: W,
    written: u64,
}

impl<W: Write> Sink<W> {
    fn begin(&mut self) -> std::io::Result<()> {
        match self.format {
            Format::Json => self.out.write_all(b"{\"connections\":["),
            Format::Ndjson => Ok(()),
            Format::Csv => {
                let mut writer = transactions_csv::writer(&mut self.out);
                transactions_csv::write_header(&mut writer).map_err(std::io::Error::other)?;
                writer.flush()
            }
        }
    }

    fn connection(&mut self, fixture: &Fixture) -> std::io::Result<()> {
        let first = self.written == 0;
        self.written += 1;
        match self.format {
            Format::Json => self.json(fixture, first),
            Format::Ndjson => self.ndjson(fixture),
            Format::Csv => {
                let mut writer = transactions_csv::writer(&mut self.out);
                for t in &fixture.transactions {
                    transactions_csv::write_row(&mut writer, t).map_err(std::io::Error::other)?;
                }
                writer.flush()
            }
        }
    }

    fn json(&mut self, fixture: &Fixture, first: bool) -> std::io::Result<()> {
        let accounts: Vec<AccountResponse> = fixture.accounts.iter().cloned().map(Into::into).collect();
        if !first {
            self.out.write_all(b",")?;
        }
        write!(self.out, "{{\"connectionId\":\"{}\",\"seed\":{},\"accounts\":", fixture.id, fixture.seed)?;
        serde_json::to_writer(&mut self.out, &accounts)?;
        self.out.write_all(b",\"transactions\":[")?;
        for (n, t) in fixture.transactions.iter().enumerate() {
            if n > 0 {
                self.out.write_all(b",")?;
            }
            serde_json::to_writer(&mut self.out, &TransactionResponse::from(t.clone()))?;
        }
        self.out.write_all(b"]}")
    }

    fn ndjson(&mut self, fixture: &Fixture) -> std::io::Result<()> {
        for account in &fixture.accounts {
            serde_json::to_writer(
                &mut self.out,
                &Line { record: "account", item: AccountResponse::from(account.clone()) },
            )?;
            self.out.write_all(b"\n")?;
        }
        for t in &fixture.transactions {
            serde_json::to_writer(
                &mut self.out,
                &Line { record: "transaction", item: TransactionResponse::from(t.clone()) },
            )?;
            self.out.write_all(b"\n")?;
        }
        Ok(())
    }

    fn end(&mut self) -> std::io::Result<()> {
        if self.format == Format::Json {
            self.out.write_all(b"]}\n")?;
        }
        self.out.flush()
    }
}
