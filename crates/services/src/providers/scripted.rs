//! A scenario's bank: the accounts and rows it scripts ([`sandbank_fakebank::scripted`]) and its
//! events, which happen once the connection's clock reaches their day: `provider_outage` until a
//! later `recover`, `locked` (the bank refuses the login) until a later `recover`, and
//! `expire_token`, which expires every token issued before its day (a token carries the day it
//! was issued, so one issued after authorizing again works).

use chrono::{DateTime, NaiveDate, Utc};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::scenario::{Scenario, ScenarioEventKind};
use sandbank_fakebank::scripted::ScriptedAccount;

use crate::providers::{AccountData, ProviderError, ProviderLink};

/// The scenario's accounts, as the bank describes them.
pub fn accounts(scenario: &Scenario, link: &ProviderLink<'_>) -> Vec<ReportedAccount> {
    scenario.accounts.iter().map(|a| ScriptedAccount::new(a, link.linked_on).reported()).collect()
}

/// One scripted account's report for the days from `since` (or its whole history), as of `now`.
pub fn fetch(
    scenario: &Scenario,
    link: &ProviderLink<'_>,
    external_id: &str,
    since: Option<NaiveDate>,
    now: DateTime<Utc>,
) -> Result<AccountData, ProviderError> {
    let account = scenario
        .accounts
        .iter()
        .map(|a| ScriptedAccount::new(a, link.linked_on))
        .find(|a| a.external_id() == external_id)
        .ok_or_else(|| ProviderError::UnknownAccount(external_id.to_owned()))?;
    let start = since.map_or(account.history_start(), |s| s.max(account.history_start()));
    let end = now.date_naive().succ_opt().unwrap_or(now.date_naive());
    Ok(account.report_at(start..end, now))
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
