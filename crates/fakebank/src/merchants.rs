//! Who the money goes to: national merchants by category with plausible amount ranges, regional
//! chains, the shapes of local businesses (named with `fake` for each household), the recurring
//! bills people have, and the cities they live in.

use std::borrow::Cow;

use sandbank_domain::transaction::{Category, PaymentChannel};

use crate::calendar::Zone;

/// A merchant a purchase can be made at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Merchant {
    pub name: Cow<'static, str>,
    /// The start of its statement line.
    pub descriptor: Cow<'static, str>,
    pub category: Category,
    pub channel: PaymentChannel,
    /// Smallest and largest purchase, in cents.
    pub cents: (i64, i64),
    /// Whether purchases here are ever refunded.
    pub refundable: bool,
}

/// A merchant charging exactly `cents`, never refunded (a subscription, a booking, an ATM).
pub(crate) const fn charging(
    name: &'static str,
    descriptor: &'static str,
    category: Category,
    channel: PaymentChannel,
    cents: i64,
) -> Merchant {
    m(name, descriptor, category, channel, cents, cents, false)
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
    Merchant {
        name: Cow::Borrowed(name),
        descriptor: Cow::Borrowed(descriptor),
        category,
        channel,
        cents: (lo, hi),
        refundable,
    }
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
    m("Kohl's", "KOHLS", C::Shopping, S, 1_500, 18_000, true),
    m("Old Navy", "OLD NAVY", C::Shopping, S, 1_200, 15_000, true),
    m("Airbnb", "AIRBNB*", C::Travel, O, 12_000, 95_000, true),
    m("Amtrak", "AMTRAK .COM", C::Travel, O, 3_000, 25_000, true),
    m("Enterprise Rent-A-Car", "ENTERPRISE RENT-A-CAR", C::Travel, S, 9_000, 45_000, true),
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

/// A bill that comes on the same day each month (paid from checking).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Bill {
    pub name: &'static str,
    pub descriptor: &'static str,
    pub category: Category,
    /// Fixed amounts are drawn once; variable ones (electricity) each month around a base drawn
    /// from the middle of the range (twice its least to half its most), by the season.
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

/// A subscription service and its price tiers: each tier's price before and after the service's
/// price rise (the same when it has not risen), in cents.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Service {
    pub name: &'static str,
    pub descriptor: &'static str,
    pub category: Category,
    pub tiers: &'static [(i64, i64)],
}

const fn service(name: &'static str, descriptor: &'static str, tiers: &'static [(i64, i64)]) -> Service {
    Service { name, descriptor, category: C::Subscriptions, tiers }
}

const fn gym(name: &'static str, descriptor: &'static str, tiers: &'static [(i64, i64)]) -> Service {
    Service { name, descriptor, category: C::Health, tiers }
}

/// Subscriptions a household picks from, one tier each, at their real prices (a price rise
/// moves a tier from its first price to its second).
pub(crate) const SUBSCRIPTIONS: &[Service] = &[
    service("Netflix", "NETFLIX.COM", &[(699, 799), (1_549, 1_799), (2_299, 2_499)]),
    service("Spotify", "SPOTIFY USA", &[(1_099, 1_199), (1_499, 1_699), (1_699, 1_999)]),
    service("Apple iCloud+", "APPLE.COM/BILL", &[(99, 99), (299, 299), (999, 999)]),
    service("Hulu", "HULU", &[(799, 999), (1_799, 1_899)]),
    service("Disney+", "DISNEY PLUS", &[(799, 999), (1_399, 1_599)]),
    service("YouTube Premium", "GOOGLE *YOUTUBE", &[(1_199, 1_399), (1_799, 2_299)]),
    service("The New York Times", "NYTIMES", &[(400, 400), (1_700, 2_500)]),
    service("Amazon Prime", "AMAZON PRIME*", &[(1_299, 1_499)]),
    service("Adobe Creative Cloud", "ADOBE *CREATIVE CLD", &[(2_099, 2_299), (5_499, 5_999)]),
    service("Dropbox", "DROPBOX*", &[(999, 1_199), (1_999, 1_999)]),
    gym("Planet Fitness", "PLANET FITNESS", &[(1_000, 1_500), (2_499, 2_499)]),
    gym("Equinox", "EQUINOX", &[(18_500, 19_500), (21_500, 22_500), (26_000, 26_000)]),
];

/// Every price a subscription of `name` is ever charged at (each tier before and after its
/// rise), or `None` when no subscription has that name.
pub fn subscription_prices(name: &str) -> Option<Vec<i64>> {
    let service = SUBSCRIPTIONS.iter().find(|s| s.name == name)?;
    Some(service.tiers.iter().flat_map(|(before, after)| [*before, *after]).collect())
}

/// Airlines a household's trips are flown with (a fare is per traveller, round trip).
pub(crate) const AIRLINES: &[(&str, &str)] = &[
    ("Delta Air Lines", "DELTA AIR"),
    ("United Airlines", "UNITED"),
    ("American Airlines", "AMERICAN AIR"),
    ("Southwest Airlines", "SOUTHWEST"),
    ("JetBlue", "JETBLUE"),
    ("Alaska Airlines", "ALASKA AIR"),
];

/// Hotels a household stays at on its trips.
pub(crate) const HOTELS: &[(&str, &str)] = &[
    ("Marriott", "MARRIOTT"),
    ("Hilton", "HILTON HOTELS"),
    ("Hyatt", "HYATT HOTELS"),
    ("Holiday Inn Express", "HOLIDAY INN EXPRESS"),
    ("Hampton Inn", "HAMPTON INN"),
    ("Best Western", "BEST WESTERN"),
];

/// Round-trip fares per traveller and hotel rates per night, in cents, by spending style
/// (frugal, moderate, lavish).
pub(crate) const FARE_CENTS: [(i64, i64); 3] = [(12_000, 30_000), (15_000, 45_000), (25_000, 65_000)];
pub(crate) const NIGHTLY_CENTS: [(i64, i64); 3] = [(9_000, 16_000), (13_000, 26_000), (22_000, 45_000)];

/// The most travellers on one booking and the most nights of a trip.
pub(crate) const MOST_TRAVELLERS: i64 = 5;
pub(crate) const MOST_NIGHTS: i64 = 4;

/// Whether `name` is an airline trips are flown with.
pub fn is_airline(name: &str) -> bool {
    AIRLINES.iter().any(|(airline, _)| *airline == name)
}

/// Whether `name` is a hotel trips stay at.
pub fn is_hotel(name: &str) -> bool {
    HOTELS.iter().any(|(hotel, _)| *hotel == name)
}

/// Where families shop for school from August to early September.
pub(crate) const BACK_TO_SCHOOL: &[Merchant] = &[
    m("Target", "TARGET", C::Shopping, S, 2_500, 22_000, true),
    m("Walmart", "WAL-MART", C::Shopping, S, 2_000, 20_000, true),
    m("Staples", "STAPLES", C::Shopping, S, 1_500, 12_000, true),
    m("Office Depot", "OFFICE DEPOT", C::Shopping, S, 1_500, 11_000, true),
    m("Old Navy", "OLD NAVY", C::Shopping, S, 2_500, 16_000, true),
    m("Kohl's", "KOHLS", C::Shopping, S, 2_500, 18_000, true),
];

/// The electric bill; its company is the one of the holder's state ([`ELECTRIC_UTILITIES`]).
pub(crate) const ELECTRIC_BILL: Bill = bill("Electric", "ELECTRIC", C::Utilities, 4_000, 42_000, true);

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
pub(crate) const LANDLORDS: &[&str] = &[
    "Greystar Properties",
    "Avalon Communities",
    "Equity Residential",
    "Camden Living",
    "Invitation Homes",
    "Mid-America Apartments",
];

/// Lenders that collect mortgage payments by ACH.
pub(crate) const LENDERS: &[&str] =
    &["Rocket Mortgage", "Mr. Cooper", "PennyMac", "Wells Fargo Home Mortgage", "Chase Home Lending"];

/// Monthly rent or mortgage payment, in cents.
pub(crate) const HOUSING_CENTS: (i64, i64) = (60_000, 600_000);

/// Net pay per paycheck or gig payout, in cents.
pub(crate) const PAYCHECK_CENTS: (i64, i64) = (5_000, 2_500_000);

/// Gig platforms that pay out weekly, with their statement lines.
pub(crate) const GIG_PLATFORMS: &[(&str, &str)] = &[
    ("Uber", "UBER USA PAYMENTS"),
    ("DoorDash", "DOORDASH DASHER PAYOUT"),
    ("Instacart", "INSTACART SHOPPER PAY"),
    ("Upwork", "UPWORK ESCROW INC"),
    ("Etsy", "ETSY INC DEPOSIT"),
];

/// Occasional payments between people (Zelle, Venmo, Cash App), in cents.
pub(crate) const P2P_CENTS: (i64, i64) = (2_000, 25_000);

/// A part of the country, for its regional chains.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Region {
    /// WA, OR, CA.
    West,
    /// CO, AZ, UT.
    Mountain,
    /// IL, MN.
    Midwest,
    /// TX, GA, FL, TN.
    South,
    /// MA, NY, PA, DC.
    Northeast,
}

/// A city households live in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct City {
    /// Its name.
    pub name: &'static str,
    /// Its state (postal code).
    pub state: &'static str,
    /// Its time zone.
    pub zone: Zone,
    /// Its part of the country.
    pub region: Region,
}

const fn city(name: &'static str, state: &'static str, zone: Zone, region: Region) -> City {
    City { name, state, zone, region }
}

use Region::{Midwest, Mountain, Northeast, South, West};
use Zone::{Arizona, Central, Eastern, Mountain as MountainTime, Pacific};

/// Where households live.
pub const CITIES: &[City] = &[
    city("Seattle", "WA", Pacific, West),
    city("Portland", "OR", Pacific, West),
    city("San Francisco", "CA", Pacific, West),
    city("Los Angeles", "CA", Pacific, West),
    city("San Diego", "CA", Pacific, West),
    city("Denver", "CO", MountainTime, Mountain),
    city("Austin", "TX", Central, South),
    city("Dallas", "TX", Central, South),
    city("Houston", "TX", Central, South),
    city("Chicago", "IL", Central, Midwest),
    city("Minneapolis", "MN", Central, Midwest),
    city("Atlanta", "GA", Eastern, South),
    city("Miami", "FL", Eastern, South),
    city("Boston", "MA", Eastern, Northeast),
    city("New York", "NY", Eastern, Northeast),
    city("Philadelphia", "PA", Eastern, Northeast),
    city("Washington", "DC", Eastern, Northeast),
    city("Nashville", "TN", Central, South),
    city("Phoenix", "AZ", Arizona, Mountain),
    city("Salt Lake City", "UT", MountainTime, Mountain),
];

/// Regional chains: merchants found in one part of the country only.
pub(crate) const REGIONAL: &[(Region, Merchant)] = &[
    (West, m("In-N-Out Burger", "IN N OUT BURGER", C::FoodAndDrink, S, 700, 2_800, false)),
    (West, m("Dutch Bros Coffee", "DUTCH BROS", C::FoodAndDrink, S, 400, 1_300, false)),
    (West, m("Peet's Coffee", "PEETS COFFEE", C::FoodAndDrink, S, 400, 1_400, false)),
    (West, m("Fred Meyer", "FRED MEYER", C::Groceries, S, 1_500, 16_000, false)),
    (West, m("Ralphs", "RALPHS", C::Groceries, S, 1_500, 15_000, false)),
    (West, m("Raley's", "RALEYS", C::Groceries, S, 1_500, 14_000, false)),
    (West, m("REI", "REI", C::Shopping, S, 2_000, 40_000, true)),
    (West, m("Arco", "ARCO", C::Transportation, S, 2_500, 8_500, false)),
    (Mountain, m("King Soopers", "KING SOOPERS", C::Groceries, S, 1_500, 16_000, false)),
    (Mountain, m("Smith's", "SMITHS FOOD", C::Groceries, S, 1_500, 15_000, false)),
    (Mountain, m("Fry's Food", "FRYS FOOD", C::Groceries, S, 1_500, 15_000, false)),
    (Mountain, m("Cafe Rio", "CAFE RIO", C::FoodAndDrink, S, 1_000, 3_500, false)),
    (Mountain, m("Village Inn", "VILLAGE INN", C::FoodAndDrink, S, 1_400, 5_500, false)),
    (Mountain, m("Maverik", "MAVERIK", C::Transportation, S, 2_500, 8_500, false)),
    (Mountain, m("Scheels", "SCHEELS", C::Shopping, S, 2_000, 30_000, true)),
    (Midwest, m("Jewel-Osco", "JEWEL OSCO", C::Groceries, S, 1_500, 16_000, false)),
    (Midwest, m("Hy-Vee", "HY-VEE", C::Groceries, S, 1_500, 16_000, false)),
    (Midwest, m("Cub Foods", "CUB FOODS", C::Groceries, S, 1_500, 14_000, false)),
    (Midwest, m("Culver's", "CULVERS", C::FoodAndDrink, S, 900, 3_200, false)),
    (Midwest, m("Portillo's", "PORTILLOS", C::FoodAndDrink, S, 1_000, 4_000, false)),
    (Midwest, m("Kwik Trip", "KWIK TRIP", C::Transportation, S, 2_500, 8_500, false)),
    (Midwest, m("Menards", "MENARDS", C::Shopping, S, 1_500, 25_000, true)),
    (Midwest, m("Meijer", "MEIJER", C::Shopping, S, 1_200, 15_000, true)),
    (South, m("H-E-B", "H-E-B", C::Groceries, S, 1_500, 17_000, false)),
    (South, m("Publix", "PUBLIX", C::Groceries, S, 1_500, 16_000, false)),
    (South, m("Kroger Marketplace", "KROGER MKTPL", C::Groceries, S, 1_500, 16_000, false)),
    (South, m("Whataburger", "WHATABURGER", C::FoodAndDrink, S, 800, 2_800, false)),
    (South, m("Waffle House", "WAFFLE HOUSE", C::FoodAndDrink, S, 900, 3_000, false)),
    (South, m("Bojangles", "BOJANGLES", C::FoodAndDrink, S, 700, 2_500, false)),
    (South, m("Buc-ee's", "BUC-EES", C::Transportation, S, 2_500, 8_500, false)),
    (South, m("Academy Sports", "ACADEMY SPORTS", C::Shopping, S, 2_000, 30_000, true)),
    (Northeast, m("Wegmans", "WEGMANS", C::Groceries, S, 1_500, 18_000, false)),
    (Northeast, m("Stop & Shop", "STOP & SHOP", C::Groceries, S, 1_500, 15_000, false)),
    (Northeast, m("ShopRite", "SHOPRITE", C::Groceries, S, 1_500, 15_000, false)),
    (Northeast, m("Wawa", "WAWA", C::FoodAndDrink, S, 300, 1_800, false)),
    (Northeast, m("Tim Hortons", "TIM HORTONS", C::FoodAndDrink, S, 300, 1_200, false)),
    (Northeast, m("Sheetz", "SHEETZ", C::Transportation, S, 2_500, 8_500, false)),
    (Northeast, m("Duane Reade", "DUANE READE", C::Health, S, 500, 5_500, false)),
    (Northeast, m("Bob's Stores", "BOBS STORES", C::Shopping, S, 1_500, 12_000, true)),
];

/// A shape of a local business's name: its category, its amounts (cents), and how its name is
/// made from a generated family name or street name.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LocalShape {
    pub category: Category,
    pub cents: (i64, i64),
    /// `{}` is replaced by the generated word.
    pub pattern: &'static str,
    /// Whether the generated word is a street's name (else a family's).
    pub street: bool,
}

const fn local(category: Category, lo: i64, hi: i64, pattern: &'static str, street: bool) -> LocalShape {
    LocalShape { category, cents: (lo, hi), pattern, street }
}

/// The local businesses a household's neighbourhood has, one or more of each shape.
pub(crate) const LOCAL_SHAPES: &[LocalShape] = &[
    local(C::FoodAndDrink, 1_200, 4_800, "{}'s Diner", false),
    local(C::FoodAndDrink, 350, 1_300, "{} Coffee", true),
    local(C::FoodAndDrink, 1_500, 6_500, "{} Tavern", false),
    local(C::FoodAndDrink, 1_400, 4_500, "{} Pizza", true),
    local(C::FoodAndDrink, 400, 2_200, "{} Bakery", false),
    local(C::Groceries, 1_500, 9_000, "{} Family Market", false),
    local(C::Groceries, 1_500, 12_000, "{} Co-op", true),
    local(C::Shopping, 900, 12_000, "{} Hardware", false),
    local(C::Shopping, 1_000, 6_000, "{} Books", true),
    local(C::Health, 600, 5_000, "{} Pharmacy", false),
    local(C::Transportation, 2_500, 8_500, "{} Auto & Gas", false),
    local(C::Entertainment, 1_200, 4_500, "{} Cinema", true),
];

/// The category of a merchant or biller the generators know by name.
pub fn category_of(name: &str) -> Option<Category> {
    MERCHANTS
        .iter()
        .chain(REGIONAL.iter().map(|(_, m)| m))
        .chain(BACK_TO_SCHOOL)
        .map(|m| (m.name.as_ref(), m.category))
        .chain(SUBSCRIPTIONS.iter().map(|s| (s.name, s.category)))
        .chain(UTILITIES.iter().map(|b| (b.name, b.category)))
        .chain(AIRLINES.iter().chain(HOTELS).map(|(name, _)| (*name, C::Travel)))
        .chain(ELECTRIC_UTILITIES.iter().map(|(_, utility, _)| (*utility, C::Utilities)))
        .find(|(known, _)| known.eq_ignore_ascii_case(name))
        .map(|(_, category)| category)
        .or_else(|| local_category(name))
}

/// The category of a local business by the shape of its name ("… Diner", "… Hardware"): the
/// words after the generated one.
fn local_category(name: &str) -> Option<Category> {
    LOCAL_SHAPES.iter().find_map(|shape| {
        let ending = shape.pattern.trim_start_matches("{}");
        let word = name.strip_suffix(ending)?;
        (!word.trim().is_empty()).then_some(shape.category)
    })
}

/// The least and most a flight (every traveller's fare) and a hotel stay (every night) cost.
fn trip_bounds() -> [(i64, i64); 2] {
    let least = |ranges: &[(i64, i64); 3]| ranges.iter().map(|r| r.0).min().unwrap_or_default();
    let most = |ranges: &[(i64, i64); 3]| ranges.iter().map(|r| r.1).max().unwrap_or_default();
    [
        (least(&FARE_CENTS), most(&FARE_CENTS) * MOST_TRAVELLERS),
        (least(&NIGHTLY_CENTS), most(&NIGHTLY_CENTS) * MOST_NIGHTS),
    ]
}

/// The smallest and largest absolute amount, in cents, that the generators ever make in a
/// category. Transfers and income that follow balances (card payments, savings sweeps, interest)
/// are bounded by the sizes of balances instead.
pub fn amount_bounds(category: Category) -> (i64, i64) {
    let from_lists = MERCHANTS
        .iter()
        .chain(REGIONAL.iter().map(|(_, m)| m))
        .chain(BACK_TO_SCHOOL)
        .filter(|m| m.category == category)
        .map(|m| m.cents)
        .chain(LOCAL_SHAPES.iter().filter(|s| s.category == category).map(|s| s.cents))
        .chain(SUBSCRIPTIONS.iter().filter(|s| s.category == category).flat_map(|s| s.tiers.iter().copied()))
        .chain(UTILITIES.iter().filter(|b| b.category == category).map(|b| b.cents))
        .chain((category == C::Travel).then(trip_bounds).into_iter().flatten());
    let (lo, hi) = from_lists.fold((i64::MAX, i64::MIN), |(lo, hi), (a, b)| (lo.min(a), hi.max(b)));
    match category {
        C::Housing => HOUSING_CENTS,
        C::Income => (1, PAYCHECK_CENTS.1),
        C::Transfer => (1, 10_000_000),
        // From a cent of interest to the largest annual fee.
        C::Fees => (1, 1_000_00),
        C::Refund => {
            let refundable =
                MERCHANTS.iter().chain(REGIONAL.iter().map(|(_, m)| m)).chain(BACK_TO_SCHOOL).filter(|m| m.refundable);
            let refundable = refundable.map(|m| m.cents);
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
        for city in CITIES {
            assert_ne!(electric_bill(city.state).name, ELECTRIC_BILL.name, "{}", city.state);
        }
        assert_eq!(category_of("Con Edison"), Some(C::Utilities));
        assert_eq!(category_of("Borer Tavern"), Some(C::FoodAndDrink));
        assert_eq!(category_of("Moore Via Hardware"), Some(C::Shopping));
        assert_eq!(category_of("Tavern"), None);
        assert_eq!(category_of("Staples"), Some(C::Shopping));
        assert_eq!(category_of("Hyatt"), Some(C::Travel));
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
