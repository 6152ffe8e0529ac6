//! The provider catalog: the five simulated banks, their products and their brand marks.

use sandbank_domain::account::{AccountSubtype as Sub, AccountType as Type};

/// One product a provider offers, e.g. Chase Sapphire Preferred®.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Product {
    /// Short display name.
    pub name: &'static str,
    /// Kind of account.
    pub account_type: Type,
    /// Finer kind.
    pub subtype: Sub,
    /// A card's yearly fee, in cents (0: none).
    pub annual_fee_cents: i64,
}

/// A simulated bank.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProviderSpec {
    /// Fixed id, the same in every installation.
    pub id: &'static str,
    /// URL-safe short name.
    pub slug: &'static str,
    /// Display name.
    pub name: &'static str,
    /// The letters of its logo monogram.
    pub monogram: &'static str,
    /// Brand colour (CSS hex) of its logo.
    pub brand_color: &'static str,
    /// What it offers.
    pub products: &'static [Product],
    /// What its checking accounts charge for an overdraft or a returned item, in cents (0: none).
    pub overdraft_fee_cents: i64,
    /// How a payment to one of its cards reads on the paying checking account's statement.
    pub card_payment_line: &'static str,
}

impl ProviderSpec {
    /// The account types among its products, in a fixed order, without repeats.
    pub fn supported_account_types(&self) -> Vec<Type> {
        Type::ALL.iter().copied().filter(|t| self.products.iter().any(|p| p.account_type == *t)).collect()
    }
}

const fn product(name: &'static str, account_type: Type, subtype: Sub) -> Product {
    Product { name, account_type, subtype, annual_fee_cents: 0 }
}

/// A credit card with a yearly fee of `annual_fee` dollars.
const fn card(name: &'static str, subtype: Sub, annual_fee: i64) -> Product {
    Product { name, account_type: Type::CreditCard, subtype, annual_fee_cents: annual_fee * 100 }
}

/// Every provider.
pub const CATALOG: &[ProviderSpec] = &[
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a01",
        slug: "amex",
        name: "American Express",
        monogram: "AX",
        brand_color: "#006FCF",
        products: &[
            card("Platinum Card®", Sub::Platinum, 695),
            card("Gold Card", Sub::Rewards, 325),
            card("Blue Cash Preferred®", Sub::Cashback, 95),
            card("Business Platinum Card®", Sub::Business, 695),
            card("Delta SkyMiles® Gold Card", Sub::Travel, 150),
            product("High Yield Savings", Type::Savings, Sub::HighYield),
        ],
        overdraft_fee_cents: 0,
        card_payment_line: "AMEX EPAYMENT ACH PMT",
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a02",
        slug: "chase",
        name: "Chase",
        monogram: "CH",
        brand_color: "#117ACA",
        products: &[
            card("Sapphire Preferred®", Sub::Travel, 95),
            card("Sapphire Reserve®", Sub::Travel, 795),
            card("Freedom Unlimited®", Sub::Cashback, 0),
            card("Freedom Flex®", Sub::Rewards, 0),
            card("Ink Business Preferred®", Sub::Business, 95),
            product("Total Checking®", Type::Checking, Sub::Personal),
            product("Business Complete Checking®", Type::Checking, Sub::Business),
            product("Chase Savings℠", Type::Savings, Sub::Personal),
        ],
        overdraft_fee_cents: 34_00,
        card_payment_line: "CHASE CREDIT CRD AUTOPAY",
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a03",
        slug: "bank-of-america",
        name: "Bank of America",
        monogram: "BA",
        brand_color: "#E31837",
        products: &[
            card("Customized Cash Rewards", Sub::Cashback, 0),
            card("Travel Rewards", Sub::Travel, 0),
            card("Premium Rewards®", Sub::Rewards, 95),
            product("Advantage Plus Banking®", Type::Checking, Sub::Personal),
            product("Business Advantage Fundamentals™", Type::Checking, Sub::Business),
            product("Advantage Savings", Type::Savings, Sub::Personal),
            product("Merrill Edge® Self-Directed", Type::Investment, Sub::Brokerage),
            product("Merrill Edge® Roth IRA", Type::Investment, Sub::Ira),
        ],
        overdraft_fee_cents: 10_00,
        card_payment_line: "BK OF AMER VISA ONLINE PMT",
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a04",
        slug: "wells-fargo",
        name: "Wells Fargo",
        monogram: "WF",
        brand_color: "#D71E28",
        products: &[
            card("Active Cash® Card", Sub::Cashback, 0),
            card("Autograph℠ Card", Sub::Rewards, 0),
            product("Everyday Checking", Type::Checking, Sub::Personal),
            product("Initiate Business Checking℠", Type::Checking, Sub::Business),
            product("Way2Save® Savings", Type::Savings, Sub::Personal),
            product("Platinum Savings", Type::Savings, Sub::HighYield),
            product("WellsTrade® Brokerage", Type::Investment, Sub::Brokerage),
            product("Traditional IRA", Type::Investment, Sub::Ira),
        ],
        overdraft_fee_cents: 35_00,
        card_payment_line: "WF CREDIT CARD AUTO PAY",
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a05",
        slug: "capital-one",
        name: "Capital One",
        monogram: "C1",
        brand_color: "#004977",
        products: &[
            card("Venture Rewards", Sub::Travel, 95),
            card("Venture X", Sub::Platinum, 395),
            card("Quicksilver", Sub::Cashback, 0),
            card("Savor", Sub::Rewards, 0),
            card("Spark Cash Plus", Sub::Business, 150),
            product("360 Checking®", Type::Checking, Sub::Personal),
            product("360 Performance Savings™", Type::Savings, Sub::HighYield),
        ],
        overdraft_fee_cents: 0,
        card_payment_line: "CAPITAL ONE MOBILE PMT",
    },
];

/// The provider with this slug.
pub fn provider(slug: &str) -> Option<&'static ProviderSpec> {
    CATALOG.iter().find(|p| p.slug == slug)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_catalog_is_well_formed() {
        let slugs: Vec<_> = CATALOG.iter().map(|p| p.slug).collect();
        assert_eq!(slugs, ["amex", "chase", "bank-of-america", "wells-fargo", "capital-one"]);
        for spec in CATALOG {
            assert!(spec.id.parse::<sandbank_domain::ProviderId>().is_ok(), "{}", spec.slug);
            for product in spec.products {
                assert!(product.account_type.subtypes().contains(&product.subtype), "{}", product.name);
            }
        }
        assert_eq!(provider("amex").map(|p| p.supported_account_types()), Some(vec![Type::CreditCard, Type::Savings]));
    }
}
