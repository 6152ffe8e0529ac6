//! The fake bank as a [`Provider`], with the sandbox's credentials and faults.

use chrono::{DateTime, Days, NaiveDate, Utc};
use ring::rand::{SecureRandom, SystemRandom};
use sandbank_domain::bank_data::ReportedAccount;
use sandbank_domain::connection::SandboxFault;
use sandbank_fakebank::{FakeBank, catalog};

use crate::providers::{AccountData, Credentials, Provider, ProviderError, ProviderLink, scripted};

/// The sandbox users and their password.
pub mod sandbox_credentials {
    /// Signs in.
    pub const GOOD_USER: &str = "user_good";
    /// Signs in with the one-time code [`MFA_CODE`].
    pub const MFA_USER: &str = "user_mfa";
    /// Ends in `error` with `account_locked`.
    pub const LOCKED_USER: &str = "user_locked";
    /// The password of every sandbox user.
    pub const PASSWORD: &str = "pass_good";
    /// The one-time code of [`MFA_USER`].
    pub const MFA_CODE: &str = "1234";
}

/// Access tokens the fake bank issues start with this.
const TOKEN_PREFIX: &str = "access-sandbox-";

/// The simulated banks of the catalog.
#[derive(Debug, Default)]
pub struct FakeBankProvider;

impl FakeBankProvider {
    fn bank(link: &ProviderLink<'_>) -> Result<FakeBank, ProviderError> {
        let spec = catalog::provider(link.provider_slug)
            .ok_or_else(|| ProviderError::Unavailable(format!("provider {}", link.provider_slug)))?;
        // The seed's bits, as the generators take them.
        Ok(FakeBank::new(spec, link.seed as u64, link.linked_on))
    }

    fn check_faults(link: &ProviderLink<'_>, token: Option<&str>) -> Result<(), ProviderError> {
        match link.fault {
            Some(SandboxFault::ProviderOutage) => {
                let name = catalog::provider(link.provider_slug).map_or(link.provider_slug, |p| p.name.as_str());
                return Err(ProviderError::Unavailable(name.to_owned()));
            }
            Some(SandboxFault::TokenExpired) if token.is_some() => return Err(ProviderError::TokenExpired),
            _ => {}
        }
        if token.is_some_and(|t| !t.starts_with(TOKEN_PREFIX)) {
            return Err(ProviderError::TokenExpired);
        }
        let Some(scenario) = link.scenario else { return Ok(()) };
        let name = catalog::provider(link.provider_slug).map_or(link.provider_slug, |p| p.name.as_str());
        scripted::check_events(scenario, link, token.and_then(issued_on), name)
    }
}

/// The day a token was issued (the connection's clock then), from `access-sandbox-YYYYMMDD-…`;
/// `None` for a token made before tokens carried it.
fn issued_on(token: &str) -> Option<NaiveDate> {
    let day = token.strip_prefix(TOKEN_PREFIX)?.get(..8)?;
    NaiveDate::parse_from_str(day, "%Y%m%d").ok()
}

impl Provider for FakeBankProvider {
    fn authorize(&self, link: &ProviderLink<'_>, credentials: &Credentials) -> Result<String, ProviderError> {
        use sandbox_credentials::*;
        Self::check_faults(link, None)?;
        match (credentials.username.as_deref(), credentials.password.as_deref()) {
            (None, None) => {}
            (Some(_), Some(password)) if password != PASSWORD => return Err(ProviderError::InvalidCredentials),
            (Some(GOOD_USER), Some(_)) => {}
            (Some(MFA_USER), Some(_)) => match credentials.mfa_code.as_deref() {
                None => return Err(ProviderError::MfaRequired),
                Some(MFA_CODE) => {}
                Some(_) => return Err(ProviderError::InvalidMfaCode),
            },
            (Some(LOCKED_USER), Some(_)) => return Err(ProviderError::AccountLocked),
            _ => return Err(ProviderError::InvalidCredentials),
        }
        let mut bytes = [0u8; 24];
        SystemRandom::new().fill(&mut bytes).map_err(|_| ProviderError::Unavailable("randomness".into()))?;
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Ok(format!("{TOKEN_PREFIX}{}-{hex}", link.clock.format("%Y%m%d")))
    }

    fn accounts(&self, link: &ProviderLink<'_>, token: &str) -> Result<Vec<ReportedAccount>, ProviderError> {
        Self::check_faults(link, Some(token))?;
        if let Some(scenario) = link.scenario {
            return Ok(scripted::accounts(scenario, link));
        }
        Ok(Self::bank(link)?.accounts().iter().map(|a| a.reported().clone()).collect())
    }

    fn fetch(
        &self,
        link: &ProviderLink<'_>,
        token: &str,
        account_external_id: &str,
        since: Option<NaiveDate>,
        now: DateTime<Utc>,
    ) -> Result<AccountData, ProviderError> {
        Self::check_faults(link, Some(token))?;
        if let Some(scenario) = link.scenario {
            return scripted::fetch(scenario, link, account_external_id, since, now);
        }
        let bank = Self::bank(link)?;
        let account = bank
            .accounts()
            .into_iter()
            .find(|a| a.reported().external_id == account_external_id)
            .ok_or_else(|| ProviderError::UnknownAccount(account_external_id.to_owned()))?;
        let start = since.map_or(account.history_start(), |s| s.max(account.history_start()));
        Ok(account.report_at(start..now.date_naive() + Days::new(1), now))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sandbox_credentials::*;

    fn link(fault: Option<SandboxFault>) -> ProviderLink<'static> {
        let linked_on = NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        ProviderLink {
            provider_slug: "amex",
            seed: 1,
            linked_on,
            fault,
            scenario: None,
            clock: linked_on.and_hms_opt(12, 0, 0).expect("noon").and_utc(),
        }
    }

    fn creds(user: Option<&str>, password: Option<&str>, mfa: Option<&str>) -> Credentials {
        Credentials {
            username: user.map(str::to_owned),
            password: password.map(str::to_owned),
            mfa_code: mfa.map(str::to_owned),
        }
    }

    #[test]
    fn sandbox_credentials_behave_as_documented() {
        let bank = FakeBankProvider;
        let ok = |c: Credentials| bank.authorize(&link(None), &c);
        assert!(ok(creds(None, None, None)).is_ok_and(|t| t.starts_with(TOKEN_PREFIX)));
        assert!(ok(creds(Some(GOOD_USER), Some(PASSWORD), None)).is_ok());
        assert_eq!(ok(creds(Some(GOOD_USER), Some("nope"), None)), Err(ProviderError::InvalidCredentials));
        assert_eq!(ok(creds(Some(MFA_USER), Some(PASSWORD), None)), Err(ProviderError::MfaRequired));
        assert_eq!(ok(creds(Some(MFA_USER), Some(PASSWORD), Some("0000"))), Err(ProviderError::InvalidMfaCode));
        assert!(ok(creds(Some(MFA_USER), Some(PASSWORD), Some(MFA_CODE))).is_ok());
        assert_eq!(ok(creds(Some(LOCKED_USER), Some(PASSWORD), None)), Err(ProviderError::AccountLocked));
        assert_eq!(ok(creds(Some("someone"), Some(PASSWORD), None)), Err(ProviderError::InvalidCredentials));
        let outage = bank.authorize(&link(Some(SandboxFault::ProviderOutage)), &creds(None, None, None));
        assert_eq!(outage, Err(ProviderError::Unavailable("American Express".into())));
    }

    #[test]
    fn faults_and_bad_tokens_refuse_fetches() {
        let bank = FakeBankProvider;
        let token = bank.authorize(&link(None), &Credentials::default()).expect("token");
        assert!(bank.accounts(&link(None), &token).is_ok_and(|a| !a.is_empty()));
        assert_eq!(bank.accounts(&link(None), "stolen"), Err(ProviderError::TokenExpired));
        assert_eq!(bank.accounts(&link(Some(SandboxFault::TokenExpired)), &token), Err(ProviderError::TokenExpired));
    }
}
