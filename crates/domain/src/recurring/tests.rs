use super::*;

fn day(text: &str) -> NaiveDate {
    text.parse().expect("a date")
}

/// Rows of one account, each a charge of `cents` (positive: money out) at `merchant` on a date.
struct History {
    account: AccountId,
    connection: ConnectionId,
    rows: Vec<ChargeRow>,
}

impl History {
    fn new() -> Self {
        Self { account: AccountId::new(), connection: ConnectionId::new(), rows: Vec::new() }
    }

    fn charge(&mut self, date: &str, cents: i64, merchant: &str, category: Category) -> &mut ChargeRow {
        self.rows.push(ChargeRow {
            id: TransactionId::new(),
            account_id: self.account,
            connection_id: self.connection,
            date: day(date),
            amount: Money::from_minor(-cents, Currency::USD),
            merchant_name: merchant.to_owned(),
            category,
            status: TransactionStatus::Posted,
            payment_channel: PaymentChannel::Online,
            is_refund: false,
            is_transfer_side: false,
        });
        self.rows.last_mut().expect("just pushed")
    }

    fn charges(&mut self, dates: &[&str], cents: i64, merchant: &str, category: Category) {
        for date in dates {
            self.charge(date, cents, merchant, category);
        }
    }

    fn ids_of(&self, merchant: &str) -> Vec<TransactionId> {
        self.rows.iter().filter(|r| r.merchant_name == merchant).map(|r| r.id).collect()
    }
}

/// Rent due on the 1st, paid by ACH: moved to the business day before a weekend or holiday
/// (2026-01-01 is New Year's Day, 2026-02-01 and 2026-03-01 are Sundays).
const RENT_DAYS: [&str; 7] =
    ["2025-12-01", "2025-12-31", "2026-01-30", "2026-02-27", "2026-04-01", "2026-05-01", "2026-06-01"];

#[test]
fn a_monthly_bill_moved_to_business_days_is_one_series_due_on_its_day() {
    let mut history = History::new();
    history.charges(&RENT_DAYS, 1_850_00, "Greystar Properties", Category::Housing);
    let found = detect(&history.rows, day("2026-06-10"));
    assert_eq!(found.len(), 1, "{found:?}");
    let rent = &found[0];
    assert_eq!(rent.cadence, Cadence::Monthly);
    assert_eq!(rent.typical_amount, Money::from_minor(-1_850_00, Currency::USD));
    assert_eq!((rent.last_date, rent.next_expected_date), (day("2026-06-01"), day("2026-07-01")));
    assert_eq!((rent.account_id, rent.connection_id), (history.account, history.connection));
    assert_eq!(rent.transaction_ids, history.ids_of("Greystar Properties"), "every payment, oldest first");
    assert_eq!((rent.merchant_name.as_str(), rent.category), ("Greystar Properties", Category::Housing));

    // Paid on Friday 2026-01-30 for Sunday 2026-02-01: the next is due on 2026-03-01, not
    // a month after the Friday.
    let early = detect(&history.rows[..3], day("2026-02-02"));
    assert_eq!(early.len(), 1, "{early:?}");
    assert_eq!(early[0].next_expected_date, day("2026-03-01"));
}

#[test]
fn a_price_rise_keeps_the_series_at_its_new_price() {
    let mut history = History::new();
    let dates = ["2026-01-14", "2026-02-14", "2026-03-14", "2026-04-14", "2026-05-14"];
    for (i, date) in dates.iter().enumerate() {
        let cents = if i < 3 { 15_49 } else { 17_99 };
        history.charge(date, cents, "Netflix", Category::Subscriptions);
    }
    let found = detect(&history.rows, day("2026-05-20"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].cadence, Cadence::Monthly);
    assert_eq!(found[0].typical_amount.to_string(), "-17.99", "the price now");
    assert_eq!(found[0].next_expected_date, day("2026-06-14"));
    assert_eq!(found[0].transaction_ids.len(), 5);
}

#[test]
fn prices_that_keep_changing_or_jump_are_no_subscription() {
    let dates = ["2026-01-14", "2026-02-14", "2026-03-14", "2026-04-14"];
    for (prices, why) in [
        ([10_00, 11_00, 12_00, 13_00], "a new price every month"),
        ([10_00, 10_00, 30_00, 30_00], "a price three times the old one"),
        ([10_00, 12_00, 10_00, 12_00], "two prices back and forth"),
    ] {
        let mut history = History::new();
        for (date, cents) in dates.iter().zip(prices) {
            history.charge(date, cents, "Dropbox", Category::Subscriptions);
        }
        assert_eq!(detect(&history.rows, day("2026-04-20")), [], "{why}");
    }
}

#[test]
fn a_cancelled_subscription_is_no_longer_recurring() {
    let mut history = History::new();
    history.charges(
        &["2026-01-03", "2026-02-03", "2026-03-03", "2026-04-03"],
        10_99,
        "Spotify",
        Category::Subscriptions,
    );
    // Due on 2026-05-03; ten days' grace.
    assert_eq!(detect(&history.rows, day("2026-05-13")).len(), 1, "a late charge may still come");
    assert_eq!(detect(&history.rows, day("2026-05-14")), [], "more than ten days overdue: cancelled");
    assert_eq!(detect(&history.rows, day("2026-08-01")), []);
}

#[test]
fn too_few_charges_are_no_series() {
    let mut history = History::new();
    history.charges(&["2026-04-03", "2026-05-03"], 10_99, "Hulu", Category::Subscriptions);
    assert_eq!(detect(&history.rows, day("2026-05-10")), [], "two monthly charges prove nothing yet");
    history.charge("2026-06-03", 10_99, "Hulu", Category::Subscriptions);
    assert_eq!(detect(&history.rows, day("2026-06-10")).len(), 1, "three do");
}

#[test]
fn one_missed_charge_in_three_gaps_is_tolerated() {
    let mut history = History::new();
    // 2026-03 missing (a declined card).
    let dates = ["2026-01-20", "2026-02-20", "2026-04-20", "2026-05-20"];
    history.charges(&dates, 24_99, "Planet Fitness", Category::Health);
    let found = detect(&history.rows, day("2026-05-25"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!((found[0].cadence, found[0].next_expected_date), (Cadence::Monthly, day("2026-06-20")));
    assert_eq!(found[0].transaction_ids.len(), 4);
    let twice = ["2026-01-20", "2026-03-20", "2026-04-20", "2026-06-20"];
    let mut history = History::new();
    history.charges(&twice, 24_99, "Planet Fitness", Category::Health);
    assert_eq!(detect(&history.rows, day("2026-06-25")), [], "two missed in three gaps are too many");
}

#[test]
fn a_subscription_taken_up_again_is_its_new_run() {
    let mut history = History::new();
    let dates = ["2025-11-13", "2025-12-13", "2026-01-13", "2026-05-13", "2026-06-13", "2026-07-13"];
    history.charges(&dates, 12_99, "Amazon Prime", Category::Subscriptions);
    let found = detect(&history.rows, day("2026-07-20"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].transaction_ids, history.rows[3..].iter().map(|r| r.id).collect::<Vec<_>>(), "since May");
    assert_eq!(detect(&history.rows[..5], day("2026-06-20")), [], "two charges since the pause are too few");
}

#[test]
fn everyday_purchases_at_one_merchant_are_not_recurring() {
    let mut history = History::new();
    // Coffee several times a month at varying amounts, and groceries about weekly.
    let coffee = [
        ("2026-03-02", 4_35),
        ("2026-03-05", 5_10),
        ("2026-03-06", 3_95),
        ("2026-03-13", 6_20),
        ("2026-03-20", 4_35),
        ("2026-03-27", 4_80),
        ("2026-04-03", 5_55),
        ("2026-04-10", 4_05),
        ("2026-04-17", 7_15),
        ("2026-04-24", 4_60),
    ];
    for (date, cents) in coffee {
        history.charge(date, cents, "Starbucks", Category::FoodAndDrink);
    }
    let groceries = [("2026-03-07", 84_12), ("2026-03-14", 102_40), ("2026-03-21", 66_03), ("2026-03-28", 91_77)];
    for (date, cents) in groceries {
        history.charge(date, cents, "Trader Joe's", Category::Groceries);
    }
    // Monthly but a different amount each time: a restaurant visited on paydays.
    for (date, cents) in [("2026-01-30", 58_20), ("2026-02-27", 61_45), ("2026-03-31", 49_90), ("2026-04-30", 72_10)] {
        history.charge(date, cents, "Olive Garden", Category::FoodAndDrink);
    }
    assert_eq!(detect(&history.rows, day("2026-05-01")), []);
}

#[test]
fn a_utility_bill_may_vary_by_season() {
    let mut history = History::new();
    let bills = [("2026-01-12", 182_40), ("2026-02-12", 171_05), ("2026-03-12", 120_33), ("2026-04-10", 95_10)];
    for (date, cents) in bills {
        history.charge(date, cents, "PG&E", Category::Utilities);
    }
    let found = detect(&history.rows, day("2026-04-20"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].typical_amount.to_string(), "-120.33", "the middle amount (lower of the two)");
    assert_eq!(found[0].next_expected_date, day("2026-05-12"), "2026-04-12 is a Sunday: paid on the Friday");
}

#[test]
fn a_monthly_membership_among_purchases_at_the_same_merchant_is_found() {
    let mut history = History::new();
    history.charges(&["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"], 49_00, "Equinox", Category::Health);
    history.charge("2026-02-11", 8_50, "Equinox", Category::Health);
    history.charge("2026-03-19", 12_25, "EQUINOX #0042", Category::Health);
    let found = detect(&history.rows, day("2026-04-10"));
    assert_eq!(found.len(), 1, "{found:?}");
    assert_eq!(found[0].typical_amount.to_string(), "-49.00");
    assert_eq!(found[0].transaction_ids.len(), 4, "the membership's charges only");
}

#[test]
fn a_monthly_payment_to_a_person_counts_but_transfers_between_own_accounts_do_not() {
    let mut history = History::new();
    let days = ["2026-01-15", "2026-02-13", "2026-03-13", "2026-04-15"];
    for date in days {
        history.charge(date, 450_00, "Maria Lopez", Category::Transfer).payment_channel = PaymentChannel::Other;
        // A card payment each month of the same amount, naming its other side.
        history.charge(date, 300_00, "Payment to Chase Card", Category::Transfer).is_transfer_side = true;
        // Cash at the ATM: a transfer made in person.
        history.charge(date, 40_00, "ATM Withdrawal", Category::Transfer).payment_channel = PaymentChannel::InStore;
    }
    // An occasional payment to the same person.
    history.charge("2026-03-02", 35_00, "Maria Lopez", Category::Transfer).payment_channel = PaymentChannel::Other;
    let found = detect(&history.rows, day("2026-04-20"));
    let names: Vec<&str> = found.iter().map(|r| r.merchant_name.as_str()).collect();
    assert_eq!(names, ["Maria Lopez"]);
    assert_eq!((found[0].cadence, found[0].transaction_ids.len()), (Cadence::Monthly, 4));
    assert_eq!(found[0].next_expected_date, day("2026-05-15"));
}

#[test]
fn credits_refunds_and_income_are_not_charges() {
    let mut history = History::new();
    for date in ["2026-01-05", "2026-02-05", "2026-03-05", "2026-04-05"] {
        // A subscription refunded in full each time.
        history.charge(date, 9_99, "Disney+", Category::Subscriptions).status = TransactionStatus::Refunded;
        let refund = history.charge(date, 9_99, "Hulu", Category::Refund);
        refund.is_refund = true;
        let pay = history.charge(date, -2_500_00, "Acme Corp", Category::Income);
        assert_eq!(TransactionType::of_amount(pay.amount.minor_units()), TransactionType::Credit);
        history.charge(date, 5_00, "Interest", Category::Income);
    }
    assert_eq!(detect(&history.rows, day("2026-04-10")), []);
    assert!(history.rows.iter().all(|r| !r.is_charge()));
}

#[test]
fn weekly_biweekly_quarterly_and_yearly_series() {
    let mut history = History::new();
    let weekly = ["2026-03-02", "2026-03-09", "2026-03-16", "2026-03-23", "2026-03-30"];
    history.charges(&weekly, 25_00, "Dog Walker", Category::Transfer);
    let biweekly = ["2026-02-06", "2026-02-20", "2026-03-06", "2026-03-20"];
    history.charges(&biweekly, 60_00, "Cleaning Co", Category::Shopping);
    let quarterly = ["2025-07-15", "2025-10-15", "2026-01-15"];
    history.charges(&quarterly, 120_00, "Water Utility", Category::Utilities);
    history.charges(&["2025-02-10", "2026-02-10"], 95_00, "Annual Fee", Category::Fees);
    // Two coffees at one price a year apart: a coincidence, not a yearly charge.
    history.charges(&["2025-03-02", "2026-03-03"], 3_75, "Starbucks", Category::FoodAndDrink);
    let found = detect(&history.rows, day("2026-04-01"));
    let got: Vec<(&str, Cadence, NaiveDate)> =
        found.iter().map(|r| (r.merchant_name.as_str(), r.cadence, r.next_expected_date)).collect();
    assert_eq!(
        got,
        [
            ("Cleaning Co", Cadence::Biweekly, day("2026-04-03")),
            ("Dog Walker", Cadence::Weekly, day("2026-04-06")),
            ("Water Utility", Cadence::Quarterly, day("2026-04-15")),
            ("Annual Fee", Cadence::Yearly, day("2027-02-10")),
        ]
    );
    // A month of them: 60×26 + 25×52 + 120×4 + 95 a year, over twelve.
    assert_eq!(monthly_cost(&found), (60_00 * 26 + 25_00 * 52 + 120_00 * 4 + 95_00) / 12);
}

#[test]
fn results_are_sorted_by_next_date_then_merchant_and_accounts_are_kept_apart() {
    let mut first = History::new();
    let mut second = History::new();
    let dates = ["2026-01-08", "2026-02-08", "2026-03-08"];
    first.charges(&dates, 11_99, "Spotify", Category::Subscriptions);
    second.charges(&dates, 11_99, "Spotify", Category::Subscriptions);
    first.charges(&["2026-01-02", "2026-02-02", "2026-03-02"], 6_99, "Apple iCloud+", Category::Subscriptions);
    first.charges(&dates, 17_00, "Amazon Prime", Category::Subscriptions);
    let rows: Vec<ChargeRow> = first.rows.iter().chain(&second.rows).cloned().collect();
    let found = detect(&rows, day("2026-03-10"));
    let got: Vec<(&str, NaiveDate)> = found.iter().map(|r| (r.merchant_name.as_str(), r.next_expected_date)).collect();
    assert_eq!(
        got,
        [
            ("Apple iCloud+", day("2026-04-02")),
            ("Amazon Prime", day("2026-04-08")),
            ("Spotify", day("2026-04-08")),
            ("Spotify", day("2026-04-08")),
        ]
    );
    assert_ne!(found[2].account_id, found[3].account_id, "one series per account");
    assert!(found[2].account_id < found[3].account_id, "then by account");
}

#[test]
fn the_cadence_windows_do_not_overlap_and_a_month_clamps() {
    for gap in 0..400 {
        let fitting: Vec<Cadence> = Cadence::ALL.iter().copied().filter(|c| c.periods_in(gap) == Some(1)).collect();
        assert!(fitting.len() <= 1, "{gap} days fit {fitting:?}");
    }
    assert_eq!(Cadence::TEXTS, ["weekly", "biweekly", "monthly", "quarterly", "yearly"]);
    assert_eq!(on_day(day("2026-02-01"), 31), Some(day("2026-02-28")));
    assert_eq!(merchant_key("STARBUCKS #1234  Portland"), "starbucks portland");
    // Billed on the 31st: February's is on the 28th, and the series keeps the 31st.
    let mut history = History::new();
    history.charges(&["2026-01-31", "2026-02-28", "2026-03-31"], 5_00, "Patreon", Category::Subscriptions);
    let found = detect(&history.rows, day("2026-04-02"));
    assert_eq!(found.first().map(|r| r.next_expected_date), Some(day("2026-04-30")));
}
