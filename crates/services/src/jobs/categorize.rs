//! Categorizing transactions by rules: keywords of the statement line, matched as whole words
//! (so "RENT" is not found in "HERTZ RENT-A-CAR", nor "FEE" in "FEENEY"), then known merchants
//! and billers by name. Rows whose category disagrees with a rule are corrected.

use sandbank_domain::ConnectionId;
use sandbank_domain::transaction::{Category, ReportedTransaction};
use sandbank_store::changes::ChangeStamp;
use sandbank_store::{Db, connections, transactions};

use crate::error::ServiceError;
use crate::use_cases::webhooks;

/// Keywords of statement lines and the category they mean, checked in order. Each is a run of
/// whole words: it matches where the line has the same words in a row.
const KEYWORDS: &[(&str, Category)] = &[
    ("REFUND", Category::Refund),
    ("PAYROLL", Category::Income),
    ("INTEREST PAYMENT", Category::Income),
    ("DIVIDEND", Category::Income),
    ("RENT", Category::Housing),
    ("MORTGAGE", Category::Housing),
    ("PAYMENT THANK YOU", Category::Transfer),
    ("TRANSFER", Category::Transfer),
    ("AUTOMATIC INVESTMENT", Category::Transfer),
    ("FEE", Category::Fees),
];

/// The words of a statement line, upper-cased: runs of letters and digits (so "RENT-A-CAR" is
/// the three words RENT, A, CAR, and "PAYMENT - THANK YOU" is PAYMENT, THANK, YOU).
fn words(line: &str) -> Vec<String> {
    line.split(|c: char| !c.is_alphanumeric()).filter(|w| !w.is_empty()).map(str::to_uppercase).collect()
}

/// Whether `line` (as words) holds the words of `keyword` in a row.
fn has_words(line: &[String], keyword: &str) -> bool {
    let wanted: Vec<&str> = keyword.split(' ').collect();
    line.windows(wanted.len()).any(|run| run.iter().zip(&wanted).all(|(word, want)| word == want))
}

/// Whether the line names a car rental (its "RENT" is not the rent of a home).
fn is_car_rental(line: &[String]) -> bool {
    has_words(line, "RENT A CAR") || has_words(line, "CAR RENTAL")
}

/// The category the rules give a transaction, if any rule applies.
pub fn category_for(merchant: &str, description: &str, amount_minor: i64) -> Option<Category> {
    let line = words(description);
    let applies = |keyword: &str, category: Category| {
        has_words(&line, keyword) && !(category == Category::Housing && is_car_rental(&line))
    };
    if let Some((_, category)) = KEYWORDS.iter().find(|(word, category)| applies(word, *category)) {
        return Some(*category);
    }
    if has_words(&line, "ZELLE PAYMENT") && line.first().is_some_and(|w| w == "ZELLE") {
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
        assert_eq!(category_for("Greystar", "GREYSTAR PROPERTIES RENT WEB PMTS", -150_000), Some(Category::Housing));
        assert_eq!(category_for("Bank", "MONTHLY SERVICE FEE", -1_500), Some(Category::Fees));
        assert_eq!(category_for("Chase", "ONLINE PAYMENT - THANK YOU", 50_000), Some(Category::Transfer));
    }

    #[test]
    fn rent_is_a_word_not_a_substring() {
        // Hertz is travel (by its name), not housing: "RENT" in "RENT-A-CAR" is a car's.
        let hertz = category_for("Hertz", "HERTZ RENT-A-CAR #0412 DENVER CO", -21_000);
        assert_eq!(hertz, Some(Category::Travel));
        assert_eq!(category_for("Avis", "AVIS CAR RENTAL", -9_000), None);
        assert_eq!(category_for("Parents", "TORRENT STUDIOS", -9_000), None);
        assert_eq!(category_for("Camden", "CAMDEN LIVING RENT", -180_000), Some(Category::Housing));
    }

    #[test]
    fn fee_is_a_word_not_a_substring() {
        // A payee named Feeney is a person paid, not a fee.
        let feeney = category_for("Sean Feeney", "ZELLE PAYMENT TO SEAN FEENEY", -4_000);
        assert_eq!(feeney, Some(Category::Transfer));
        assert_eq!(category_for("Feeney's Pub", "FEENEY S PUB", -2_500), None);
        assert_eq!(category_for("ATM", "NON-NETWORK ATM FEE", -350), Some(Category::Fees));
    }
}
