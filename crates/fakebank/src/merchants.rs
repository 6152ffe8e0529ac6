//! Who the money goes to: merchants by category with plausible amount ranges, the recurring
//! bills people have, and the cities they live in.

use sandbank_domain::transaction::{Category, PaymentChannel};

/// A merchant a purchase can be made at.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Merchant {
    pub name: &'static str,
    /// The start of its statement line.
    pub descriptor: &'static str,
    pub category: Category,
    pub channel: PaymentChannel,
    /// Smallest and largest purchase, in cents.
    pub cents: (i64, i64),
    /// Whether purchases here are ever refunded.
    pub refundable: bool,
}

const fn m(
    name: &'static str,
    descriptor: &'static str,
    category: Category,
    channel: PaymentChannel,
    lo: i64,
    hi: i64,
    refundable: bool,
) -> Merchant {
    Merchant { name, descriptor, category, channel, cents: (lo, hi), refundable }
}

use Category as C;
use PaymentChannel::{InStore as S, Online as O};

/// Everyday merchants. Ranges are in cents.
pub(crate) const MERCHANTS: &[Merchant] = &[
    m("Starbucks", "STARBUCKS STORE", C::FoodAndDrink, S, 350, 1_250, false),
    m("Blue Bottle Coffee", "BLUE BOTTLE COFFEE", C::FoodAndDrink, S, 450, 1_400, false),
    m("Dunkin'", "DUNKIN", C::FoodAndDrink, S, 250, 1_100, false),
    m("Chipotle", "CHIPOTLE", C::FoodAndDrink, S, 950, 2_400, false),
    m("Sweetgreen", "SWEETGREEN", C::FoodAndDrink, S, 1_200, 2_200, false),
    m("Shake Shack", "SHAKE SHACK", C::FoodAndDrink, S, 1_100, 3_200, false),
    m("The Cheesecake Factory", "CHEESECAKE FACTORY", C::FoodAndDrink, S, 3_500, 14_500, false),
    m("Nobu", "NOBU", C::FoodAndDrink, S, 9_000, 32_000, false),
    m("The Corner Tap", "CORNER TAP", C::FoodAndDrink, S, 1_800, 7_500, false),
    m("DoorDash", "DOORDASH*", C::FoodAndDrink, O, 1_800, 6_500, false),
    m("Uber Eats", "UBER *EATS", C::FoodAndDrink, O, 1_600, 5_800, false),
    m("Whole Foods Market", "WHOLEFDS", C::Groceries, S, 1_500, 18_500, false),
    m("Trader Joe's", "TRADER JOE S", C::Groceries, S, 1_200, 12_000, false),
    m("Safeway", "SAFEWAY", C::Groceries, S, 1_500, 16_000, false),
    m("Kroger", "KROGER", C::Groceries, S, 1_500, 17_000, false),
    m("Costco Wholesale", "COSTCO WHSE", C::Groceries, S, 6_000, 35_000, false),
    m("Instacart", "INSTACART*", C::Groceries, O, 3_500, 19_000, false),
    m("Amazon", "AMZN MKTP US*", C::Shopping, O, 899, 18_000, true),
    m("Target", "TARGET", C::Shopping, S, 1_200, 15_000, true),
    m("Walmart", "WAL-MART", C::Shopping, S, 800, 14_000, true),
    m("Best Buy", "BEST BUY", C::Shopping, S, 2_000, 90_000, true),
    m("Apple Store", "APPLE STORE", C::Shopping, S, 2_900, 60_000, true),
    m("Etsy", "ETSY.COM*", C::Shopping, O, 1_500, 9_000, true),
    m("Nike", "NIKE.COM", C::Shopping, O, 4_500, 18_000, true),
    m("IKEA", "IKEA", C::Shopping, S, 2_500, 40_000, true),
    m("The Home Depot", "THE HOME DEPOT", C::Shopping, S, 1_500, 25_000, true),
    m("Delta Air Lines", "DELTA AIR", C::Travel, O, 15_000, 90_000, true),
    m("United Airlines", "UNITED", C::Travel, O, 14_000, 85_000, true),
    m("Marriott", "MARRIOTT", C::Travel, S, 15_000, 65_000, true),
    m("Hilton", "HILTON HOTELS", C::Travel, S, 13_000, 60_000, true),
    m("Airbnb", "AIRBNB*", C::Travel, O, 12_000, 95_000, true),
    m("Hertz", "HERTZ RENT-A-CAR", C::Travel, S, 9_000, 45_000, true),
    m("Expedia", "EXPEDIA*", C::Travel, O, 12_000, 80_000, true),
    m("Uber", "UBER *TRIP", C::Transportation, O, 800, 5_500, false),
    m("Lyft", "LYFT *RIDE", C::Transportation, O, 800, 5_000, false),
    m("Shell", "SHELL OIL", C::Transportation, S, 2_500, 8_500, false),
    m("Chevron", "CHEVRON", C::Transportation, S, 2_500, 8_500, false),
    m("ParkMobile", "PARKMOBILE", C::Transportation, O, 300, 2_500, false),
    m("AMC Theatres", "AMC", C::Entertainment, S, 1_200, 4_800, true),
    m("Regal Cinemas", "REGAL", C::Entertainment, S, 1_200, 4_500, true),
    m("Ticketmaster", "TICKETMASTER*", C::Entertainment, O, 4_500, 32_000, true),
    m("Steam", "STEAMGAMES.COM", C::Entertainment, O, 500, 7_000, true),
    m("CVS Pharmacy", "CVS/PHARMACY", C::Health, S, 600, 6_500, false),
    m("Walgreens", "WALGREENS", C::Health, S, 500, 6_000, false),
];

/// A bill that comes on the same day each month.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bill {
    pub name: &'static str,
    pub descriptor: &'static str,
    pub category: Category,
    /// Fixed amounts are drawn once; variable ones (utilities) each month around that.
    pub cents: (i64, i64),
    pub variable: bool,
}

const fn bill(
    name: &'static str,
    descriptor: &'static str,
    category: Category,
    lo: i64,
    hi: i64,
    variable: bool,
) -> Bill {
    Bill { name, descriptor, category, cents: (lo, hi), variable }
}

/// Subscriptions, mostly on cards. Prices are fixed per subscriber.
pub(crate) const SUBSCRIPTIONS: &[Bill] = &[
    bill("Netflix", "NETFLIX.COM", C::Subscriptions, 1_549, 2_299, false),
    bill("Spotify", "SPOTIFY USA", C::Subscriptions, 1_199, 1_999, false),
    bill("Apple iCloud+", "APPLE.COM/BILL", C::Subscriptions, 299, 999, false),
    bill("Hulu", "HULU", C::Subscriptions, 999, 1_899, false),
    bill("Disney+", "DISNEY PLUS", C::Subscriptions, 999, 1_599, false),
    bill("YouTube Premium", "GOOGLE *YOUTUBE", C::Subscriptions, 1_399, 2_299, false),
    bill("The New York Times", "NYTIMES", C::Subscriptions, 400, 2_500, false),
    bill("Amazon Prime", "AMAZON PRIME*", C::Subscriptions, 1_499, 1_499, false),
    bill("Adobe Creative Cloud", "ADOBE *CREATIVE CLD", C::Subscriptions, 2_299, 5_999, false),
    bill("Dropbox", "DROPBOX*", C::Subscriptions, 1_199, 1_999, false),
    bill("Equinox", "EQUINOX", C::Health, 18_500, 26_000, false),
    bill("Planet Fitness", "PLANET FITNESS", C::Health, 1_500, 2_499, false),
];

/// The electric bill; its company is the one of the holder's state ([`ELECTRIC_UTILITIES`]).
pub(crate) const ELECTRIC_BILL: Bill = bill("Electric", "ELECTRIC", C::Utilities, 6_000, 21_000, true);

/// The electric company of each state holders live in: (state, name, statement line).
pub(crate) const ELECTRIC_UTILITIES: &[(&str, &str, &str)] = &[
    ("WA", "Seattle City Light", "SEATTLE CITY LIGHT"),
    ("OR", "Portland General Electric", "PGE ONLINE PMT"),
    ("CA", "PG&E", "PGANDE WEB ONLINE"),
    ("CO", "Xcel Energy", "XCEL ENERGY"),
    ("MN", "Xcel Energy", "XCEL ENERGY"),
    ("TX", "TXU Energy", "TXU ENERGY"),
    ("IL", "ComEd", "COMED"),
    ("GA", "Georgia Power", "GEORGIA POWER"),
    ("FL", "Florida Power & Light", "FPL DIRECT DEBIT"),
    ("MA", "Eversource", "EVERSOURCE"),
    ("NY", "Con Edison", "CON ED OF NY"),
    ("PA", "PECO", "PECO ENERGY"),
    ("DC", "Pepco", "PEPCO"),
    ("TN", "Nashville Electric Service", "NES"),
    ("AZ", "APS", "APS ELECTRIC"),
    ("UT", "Rocky Mountain Power", "ROCKY MTN POWER"),
];

/// The electric bill of a holder in `state`.
pub(crate) fn electric_bill(state: &str) -> Bill {
    ELECTRIC_UTILITIES.iter().find(|(s, _, _)| *s == state).map_or(ELECTRIC_BILL, |(_, name, descriptor)| Bill {
        name,
        descriptor,
        ..ELECTRIC_BILL
    })
}

/// Household bills, paid from checking (the electric one is the holder's state's).
pub(crate) const UTILITIES: &[Bill] = &[
    ELECTRIC_BILL,
    bill("Verizon Wireless", "VZWRLSS*APOCC", C::Utilities, 4_500, 12_000, false),
    bill("Comcast Xfinity", "COMCAST XFINITY", C::Utilities, 5_500, 9_500, false),
];

/// Landlords that collect rent by ACH.
pub(crate) const LANDLORDS: &[&str] =
    &["Greystar Properties", "Avalon Communities", "Equity Residential", "Camden Living"];

/// Monthly rent, in cents.
pub(crate) const RENT_CENTS: (i64, i64) = (110_000, 290_000);

/// Net pay per paycheck, in cents.
pub(crate) const PAYCHECK_CENTS: (i64, i64) = (160_000, 420_000);

/// Zelle transfers between people, in cents.
pub(crate) const ZELLE_CENTS: (i64, i64) = (2_000, 25_000);

/// Fees, in cents.
pub(crate) const FEE_CENTS: (i64, i64) = (300, 3_900);

/// Where account holders live (city, state).
pub(crate) const CITIES: &[(&str, &str)] = &[
    ("Seattle", "WA"),
    ("Portland", "OR"),
    ("San Francisco", "CA"),
    ("Los Angeles", "CA"),
    ("San Diego", "CA"),
    ("Denver", "CO"),
    ("Austin", "TX"),
    ("Dallas", "TX"),
    ("Houston", "TX"),
    ("Chicago", "IL"),
    ("Minneapolis", "MN"),
    ("Atlanta", "GA"),
    ("Miami", "FL"),
    ("Boston", "MA"),
    ("New York", "NY"),
    ("Philadelphia", "PA"),
    ("Washington", "DC"),
    ("Nashville", "TN"),
    ("Phoenix", "AZ"),
    ("Salt Lake City", "UT"),
];

/// The category of a merchant or biller the generators know by name.
pub fn category_of(name: &str) -> Option<Category> {
    MERCHANTS
        .iter()
        .map(|m| (m.name, m.category))
        .chain(SUBSCRIPTIONS.iter().chain(UTILITIES).map(|b| (b.name, b.category)))
        .chain(ELECTRIC_UTILITIES.iter().map(|(_, utility, _)| (*utility, C::Utilities)))
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, category)| category)
}

/// The smallest and largest absolute amount, in cents, that the generators ever make in a
/// category. Transfers and income that follow balances (card payments, savings sweeps, interest)
/// are bounded by the sizes of balances instead.
pub fn amount_bounds(category: Category) -> (i64, i64) {
    let from_lists = MERCHANTS
        .iter()
        .filter(|m| m.category == category)
        .map(|m| m.cents)
        .chain(SUBSCRIPTIONS.iter().chain(UTILITIES).filter(|b| b.category == category).map(|b| b.cents));
    let (lo, hi) = from_lists.fold((i64::MAX, i64::MIN), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
    match category {
        C::Housing => RENT_CENTS,
        C::Income => (1, PAYCHECK_CENTS.1),
        C::Transfer => (1, 10_000_000),
        C::Fees => FEE_CENTS,
        C::Refund => {
            let refundable = MERCHANTS.iter().filter(|m| m.refundable).map(|m| m.cents);
            refundable.fold((i64::MAX, i64::MIN), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)))
        }
        _ => (lo, hi),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_city_has_its_electric_company() {
        for (_, state) in CITIES {
            assert_ne!(electric_bill(state).name, ELECTRIC_BILL.name, "{state}");
        }
        assert_eq!(category_of("Con Edison"), Some(C::Utilities));
    }

    #[test]
    fn every_category_has_sane_bounds() {
        for category in Category::ALL {
            let (lo, hi) = amount_bounds(*category);
            assert!(0 < lo && lo <= hi, "{category}: {lo}..{hi}");
        }
        assert_eq!(amount_bounds(C::Groceries), (1_200, 35_000));
    }
}
