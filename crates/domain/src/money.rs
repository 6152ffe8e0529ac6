//! Exact money: integer minor units with an ISO 4217 currency, shown as a decimal string.

use std::fmt;
use std::str::FromStr;

/// Problems turning text into [`Money`] or a [`Currency`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Not a decimal number with at most two places.
    #[error("must be a decimal amount with at most two decimal places, such as \"-42.17\"")]
    Malformed,
    /// Too large to hold.
    #[error("is too large")]
    Overflow,
    /// Not three upper-case letters.
    #[error("must be an ISO 4217 code such as \"USD\"")]
    Currency,
}

/// An ISO 4217 currency code (three upper-case ASCII letters).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency([u8; 3]);

impl Currency {
    /// United States dollar, the currency of every simulated bank.
    pub const USD: Currency = Currency(*b"USD");

    /// The code as text.
    pub fn as_str(&self) -> &str {
        // Only ASCII upper-case letters are ever stored.
        std::str::from_utf8(&self.0).unwrap_or("XXX")
    }
}

impl FromStr for Currency {
    type Err = MoneyError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.as_bytes() {
            [a, b, c] if [a, b, c].iter().all(|x| x.is_ascii_uppercase()) => Ok(Currency([*a, *b, *c])),
            _ => Err(MoneyError::Currency),
        }
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An exact amount: minor units (cents) of a currency with two decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    minor_units: i64,
    currency: Currency,
}

impl Money {
    /// An amount of `minor_units` (cents) in `currency`.
    pub const fn from_minor(minor_units: i64, currency: Currency) -> Self {
        Self { minor_units, currency }
    }

    /// Zero in `currency`.
    pub const fn zero(currency: Currency) -> Self {
        Self::from_minor(0, currency)
    }

    /// Parses a decimal string such as `"-42.17"`, `"42.1"` or `"42"`.
    pub fn parse(text: &str, currency: Currency) -> Result<Self, MoneyError> {
        let (negative, digits) = match text.strip_prefix('-') {
            Some(rest) => (true, rest),
            None => (false, text),
        };
        let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
        let all_digits = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
        if whole.is_empty() || !all_digits(whole) || !all_digits(fraction) || fraction.len() > 2 {
            return Err(MoneyError::Malformed);
        }
        if digits.contains('.') && fraction.is_empty() {
            return Err(MoneyError::Malformed);
        }
        let whole: i64 = whole.parse().map_err(|_| MoneyError::Overflow)?;
        let cents: i64 = format!("{fraction:0<2}").parse().map_err(|_| MoneyError::Malformed)?;
        let magnitude = whole.checked_mul(100).and_then(|m| m.checked_add(cents)).ok_or(MoneyError::Overflow)?;
        Ok(Self::from_minor(if negative { -magnitude } else { magnitude }, currency))
    }

    /// The amount in minor units (cents).
    pub const fn minor_units(&self) -> i64 {
        self.minor_units
    }

    /// The currency.
    pub const fn currency(&self) -> Currency {
        self.currency
    }

    /// True below zero.
    pub const fn is_negative(&self) -> bool {
        self.minor_units < 0
    }

    /// The same amount with the opposite sign.
    pub const fn negate(self) -> Self {
        Self::from_minor(-self.minor_units, self.currency)
    }

    /// The sum, or `None` on overflow or when the currencies differ.
    pub fn checked_add(self, other: Money) -> Option<Money> {
        if self.currency != other.currency {
            return None;
        }
        Some(Self::from_minor(self.minor_units.checked_add(other.minor_units)?, self.currency))
    }

    /// The difference, or `None` on overflow or when the currencies differ.
    pub fn checked_sub(self, other: Money) -> Option<Money> {
        self.checked_add(other.negate())
    }
}

/// The decimal string with two places, e.g. `-42.17`, without the currency.
impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let sign = if self.minor_units < 0 { "-" } else { "" };
        let magnitude = self.minor_units.unsigned_abs();
        write!(f, "{sign}{}.{:02}", magnitude / 100, magnitude % 100)
    }
}

/// `amount` of `currency` (its code), as JSON has them (the `serde` feature's shapes).
#[cfg(feature = "serde")]
pub(crate) fn from_json(amount: &str, currency: &str) -> Result<Money, MoneyError> {
    Money::parse(amount, currency.parse()?)
}

/// An optional amount of `currency`, as JSON has them.
#[cfg(feature = "serde")]
pub(crate) fn maybe_from_json(amount: Option<&str>, currency: &str) -> Result<Option<Money>, MoneyError> {
    amount.map(|a| from_json(a, currency)).transpose()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn usd(text: &str) -> Result<Money, MoneyError> {
        Money::parse(text, Currency::USD)
    }

    #[test]
    fn formats_with_two_places() {
        assert_eq!(Money::from_minor(-4217, Currency::USD).to_string(), "-42.17");
        assert_eq!(Money::from_minor(5, Currency::USD).to_string(), "0.05");
        assert_eq!(Money::from_minor(-5, Currency::USD).to_string(), "-0.05");
        assert_eq!(Money::from_minor(i64::MIN, Currency::USD).to_string(), "-92233720368547758.08");
    }

    #[test]
    fn parses_decimal_strings_exactly() {
        assert_eq!(usd("-42.17").map(|m| m.minor_units()), Ok(-4217));
        assert_eq!(usd("42.1").map(|m| m.minor_units()), Ok(4210));
        assert_eq!(usd("42").map(|m| m.minor_units()), Ok(4200));
        assert_eq!(usd("0.07").map(|m| m.minor_units()), Ok(7));
        for bad in ["", "-", "1.234", "1.", ".5", "1e3", "12a", "--1", "+1"] {
            assert_eq!(usd(bad), Err(MoneyError::Malformed), "{bad}");
        }
        assert_eq!(usd("92233720368547758.08"), Err(MoneyError::Overflow));
    }

    #[test]
    fn round_trips_through_text() {
        for minor in [-1_000_001, -1, 0, 1, 99, 100, 123_456_789] {
            let money = Money::from_minor(minor, Currency::USD);
            assert_eq!(usd(&money.to_string()), Ok(money));
        }
    }

    #[test]
    fn adds_only_the_same_currency() {
        let eur: Currency = "EUR".parse().expect("valid code");
        let a = Money::from_minor(150, Currency::USD);
        assert_eq!(a.checked_add(a).map(|m| m.minor_units()), Some(300));
        assert_eq!(a.checked_sub(a).map(|m| m.minor_units()), Some(0));
        assert_eq!(a.checked_add(Money::zero(eur)), None);
        assert!("usd".parse::<Currency>().is_err());
    }
}
