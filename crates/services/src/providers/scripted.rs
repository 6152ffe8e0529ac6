//! A scenario's bank: the accounts and rows it scripts ([`sandbank_fakebank::scripted`]), laid
//! over a generated account of the connection's bank and seed where `generated: true`, and its
//! events, which happen once the connection's clock reaches their day: `provider_outage` until a
//! later `recover`, `locked` (the bank refuses the login) until a later `recover`, and
//! `expire_token`, which expires every token issued before its day (a token carries the day it
//! was issued, so one issued after authorizing again works).

use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::scenario::{Scenario, ScenarioEventKind};
use sandbank_fakebank::scripted::ScriptedAccount;
use sandbank_fakebank::{FakeAccount, FakeBank, catalog};

use crate::providers::{AccountData, ProviderError, ProviderLink};

/// The scenario's accounts, as the bank describes them (one kept over a generated account has
/// that account's limit).
pub fn accounts(scenario: &Scenario, link: &ProviderLink<'_>) -> Vec<ReportedAccount> {
    let bases = bases(scenario, link);
    scenario
        .accounts
        .iter()
        .zip(&bases)
        .map(|(account, base)| {
            let mut reported = ScriptedAccount::new(account, link.linked_on).reported();
            if let Some(base) = base {
                reported.credit_limit = base.reported().credit_limit;
            }
            reported
        })
        .collect()
}

/// For each scenario account with `generated: true`, the generator's account it keeps: the
/// connection's bank and seed, the first not yet taken of the same type (none when the bank
/// has no more of that type: the account is then scripted only).
fn bases(scenario: &Scenario, link: &ProviderLink<'_>) -> Vec<Option<FakeAccount>> {
    let generated = catalog::provider(link.provider_slug)
        .filter(|_| scenario.accounts.iter().any(|a| a.generated))
        .map(|spec| FakeBank::new(spec, link.seed as u64, link.linked_on).accounts())
        .unwrap_or_default();
    let mut taken = vec![false; generated.len()];
    scenario
        .accounts
        .iter()
        .map(|account| {
            let free = generated
                .iter()
                .enumerate()
                .find(|(i, g)| account.generated && !taken[*i] && g.reported().account_type == account.kind.0);
            free.map(|(i, g)| {
                taken[i] = true;
                g.clone()
            })
        })
        .collect()
}

/// One scripted account's report for the days from `since` (or its whole history), as of `now`.
pub fn fetch(
    scenario: &Scenario,
    link: &ProviderLink<'_>,
    external_id: &str,
    since: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<AccountData, ProviderError> {
    let bases = bases(scenario, link);
    let (account, base) = scenario
        .accounts
        .iter()
        .zip(bases)
        .map(|(a, base)| (ScriptedAccount::new(a, link.linked_on), base))
        .find(|(a, _)| a.external_id() == external_id)
        .ok_or_else(|| ProviderError::UnknownAccount(external_id.to_owned()))?;
    let first = base.as_ref().map_or(account.history_start(), |b| b.history_start().min(account.history_start()));
    let start = since.map_or(first, |s| s.max(first));
    let end = now.date_naive().succ_opt().unwrap_or(now.date_naive());
    Ok(match base {
        Some(base) => account.report_over(&base, start..end, now),
        None => account.report_at(start..end, now),
    })
}

/// What the scenario's events say at the connection's clock, for a token issued on `issued`
/// (none while authorizing): down, locked, or the token expired.
pub fn check_events(
    scenario: &Scenario,
    link: &ProviderLink<'_>,
    issued: Option<NaiveDate>,
    bank_name: &str,
) -> Result<(), ProviderError> {
    let today = link.clock.date_naive();
    let mut events: Vec<_> = scenario.events.iter().map(|e| (e.day.on(link.linked_on), e.kind)).collect();
    events.sort_by_key(|(day, _)| *day);
    let (mut down, mut locked, mut expired_on) = (false, false, None);
    for (day, kind) in events.into_iter().take_while(|(day, _)| *day <= today) {
        match kind {
            ScenarioEventKind::ProviderOutage => down = true,
            ScenarioEventKind::Locked => locked = true,
            ScenarioEventKind::Recover => (down, locked) = (false, false),
            ScenarioEventKind::ExpireToken => expired_on = Some(day),
        }
    }
    if down {
        return Err(ProviderError::Unavailable(bank_name.to_owned()));
    }
    if locked {
        return Err(ProviderError::AccountLocked);
    }
    match (expired_on, issued) {
        (Some(expired), Some(issued)) if issued < expired => Err(ProviderError::TokenExpired),
        _ => Ok(()),
    }
}
