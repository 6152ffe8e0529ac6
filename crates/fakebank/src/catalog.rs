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
}

impl ProviderSpec {
    /// The account types among its products, in a fixed order, without repeats.
    pub fn supported_account_types(&self) -> Vec<Type> {
        Type::ALL.iter().copied().filter(|t| self.products.iter().any(|p| p.account_type == *t)).collect()
    }
}

const fn product(name: &'static str, account_type: Type, subtype: Sub) -> Product {
    Product { name, account_type, subtype }
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
            product("Platinum Card®", Type::CreditCard, Sub::Platinum),
            product("Gold Card", Type::CreditCard, Sub::Rewards),
            product("Blue Cash Preferred®", Type::CreditCard, Sub::Cashback),
            product("Business Platinum Card®", Type::CreditCard, Sub::Business),
            product("Delta SkyMiles® Gold Card", Type::CreditCard, Sub::Travel),
            product("High Yield Savings", Type::Savings, Sub::HighYield),
        ],
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a02",
        slug: "chase",
        name: "Chase",
        monogram: "CH",
        brand_color: "#117ACA",
        products: &[
            product("Sapphire Preferred®", Type::CreditCard, Sub::Travel),
            product("Sapphire Reserve®", Type::CreditCard, Sub::Travel),
            product("Freedom Unlimited®", Type::CreditCard, Sub::Cashback),
            product("Freedom Flex®", Type::CreditCard, Sub::Rewards),
            product("Ink Business Preferred®", Type::CreditCard, Sub::Business),
            product("Total Checking®", Type::Checking, Sub::Personal),
            product("Business Complete Checking®", Type::Checking, Sub::Business),
            product("Chase Savings℠", Type::Savings, Sub::Personal),
        ],
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a03",
        slug: "bank-of-america",
        name: "Bank of America",
        monogram: "BA",
        brand_color: "#E31837",
        products: &[
            product("Customized Cash Rewards", Type::CreditCard, Sub::Cashback),
            product("Travel Rewards", Type::CreditCard, Sub::Travel),
            product("Premium Rewards®", Type::CreditCard, Sub::Rewards),
            product("Advantage Plus Banking®", Type::Checking, Sub::Personal),
            product("Business Advantage Fundamentals™", Type::Checking, Sub::Business),
            product("Advantage Savings", Type::Savings, Sub::Personal),
            product("Merrill Edge® Self-Directed", Type::Investment, Sub::Brokerage),
            product("Merrill Edge® Roth IRA", Type::Investment, Sub::Ira),
        ],
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a04",
        slug: "wells-fargo",
        name: "Wells Fargo",
        monogram: "WF",
        brand_color: "#D71E28",
        products: &[
            product("Active Cash® Card", Type::CreditCard, Sub::Cashback),
            product("Autograph℠ Card", Type::CreditCard, Sub::Rewards),
            product("Everyday Checking", Type::Checking, Sub::Personal),
            product("Initiate Business Checking℠", Type::Checking, Sub::Business),
            product("Way2Save® Savings", Type::Savings, Sub::Personal),
            product("Platinum Savings", Type::Savings, Sub::HighYield),
            product("WellsTrade® Brokerage", Type::Investment, Sub::Brokerage),
            product("Traditional IRA", Type::Investment, Sub::Ira),
        ],
    },
    ProviderSpec {
        id: "6f1d6a7e-6a59-4c25-9d1e-3b0a6c1e0a05",
        slug: "capital-one",
        name: "Capital One",
        monogram: "C1",
        brand_color: "#004977",
        products: &[
            product("Venture Rewards", Type::CreditCard, Sub::Travel),
            product("Venture X", Type::CreditCard, Sub::Platinum),
            product("Quicksilver", Type::CreditCard, Sub::Cashback),
            product("Savor", Type::CreditCard, Sub::Rewards),
            product("Spark Cash Plus", Type::CreditCard, Sub::Business),
            product("360 Checking®", Type::Checking, Sub::Personal),
            product("360 Performance Savings™", Type::Savings, Sub::HighYield),
        ],
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
