//! Categorizing transactions by rules: known merchants and billers by name, then keywords of
//! the statement line. Rows whose category disagrees with a rule are corrected.

use sandbank_domain::ConnectionId;
use sandbank_domain::transaction::{Category, ReportedTransaction};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::{Db, connections, transactions};

use crate::error::ServiceError;
use crate::use_cases::webhooks;

/// Keywords of statement lines and the category they mean, checked in order.
const KEYWORDS: &[(&str, Category)] = &[
    ("REFUND", Category::Refund),
    ("PAYROLL", Category::Income),
    ("INTEREST PAYMENT", Category::Income),
    ("DIVIDEND", Category::Income),
    ("RENT", Category::Housing),
    ("PAYMENT - THANK YOU", Category::Transfer),
    ("TRANSFER", Category::Transfer),
    ("AUTOMATIC INVESTMENT", Category::Transfer),
    (" FEE", Category::Fees),
];

/// The category the rules give a transaction, if any rule applies.
pub fn category_for(merchant: &str, description: &str, amount_minor: i64) -> Option<Category> {
    let line = description.to_uppercase();
    if let Some((_, category)) = KEYWORDS.iter().find(|(word, _)| line.contains(word)) {
        return Some(*category);
    }
    if line.starts_with("ZELLE PAYMENT") {
        return Some(if amount_minor > 0 { Category::Income } else { Category::Transfer });
    }
    sandbank_fakebank::merchants::category_of(merchant)
}

/// `reported` with the category the rules give it, if any rule applies.
pub fn categorized(reported: &ReportedTransaction) -> ReportedTransaction {
    let mut row = reported.clone();
    if let Some(category) = category_for(&row.merchant_name, &row.description, row.amount.minor_units()) {
        row.category = category;
    }
    row
}

/// Applies the rules to a connection's transactions; returns how many were corrected. One
/// transaction, holding the connection's row from the start so two runs (or a run and a sync)
/// take turns instead of both correcting the same rows; each correction is a change in the
/// feed, and together they are one `transactions.updates_available` webhook.
pub fn categorize(db: &Db, connection: ConnectionId) -> Result<usize, ServiceError> {
    db.write(|conn| {
        connections::lock(conn, connection)?;
        let connection = connections::find(conn, connection)?.ok_or(ServiceError::NotFound("connection"))?;
        let mut corrected = 0;
        let mut stamp = ChangeStamp::new(connection.user_id);
        for row in transactions::for_categorizing(conn, connection.id)? {
            if let Some(category) = category_for(&row.merchant, &row.description, row.amount.minor_units())
                && category != row.category
            {
                transactions::set_category(conn, row.id, category, &mut stamp)?;
                corrected += 1;
            }
        }
        webhooks::transactions_changed(conn, &connection, [0, corrected, 0], chrono::Utc::now())?;
        Ok(corrected)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_name_the_category() {
        assert_eq!(category_for("Starbucks", "STARBUCKS STORE #1 SEATTLE WA", -450), Some(Category::FoodAndDrink));
        assert_eq!(category_for("Acme", "ACME PAYROLL PPD", 250_000), Some(Category::Income));
        assert_eq!(category_for("Amazon", "REFUND AMZN MKTP US", 1_999), Some(Category::Refund));
        assert_eq!(category_for("Ada", "ZELLE PAYMENT TO ADA", -2_000), Some(Category::Transfer));
        assert_eq!(category_for("Ada", "ZELLE PAYMENT FROM ADA", 2_000), Some(Category::Income));
        assert_eq!(category_for("Someone New", "SOMETHING", -100), None);
    }
}
