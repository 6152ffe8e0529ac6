//! What comes again and again to an account besides its bills: the household's subscriptions
//! billed to it, and, when it is the household's travel card, its trips' flights (bought 14–60
//! days ahead) and hotel bills (on each trip's last day, in the city visited). Each is a
//! function of the household and the absolute date, so a day range split anywhere, or a history
//! starting on another day, gives the same charges.

use sandbank_domain::transaction::{Category, Location, PaymentChannel};

use super::day::{Day, Purchase};
use crate::merchants::{Merchant, charging};
use crate::seed;
use crate::trips::Trip;

/// Days before a trip its flights may be bought (the most), and the length of the blocks
/// trips are drawn in.
const LOOK_AHEAD_DAYS: u64 = 60;
const TRIP_BLOCK_DAYS: u64 = 30;

impl Day<'_> {
    /// Today's subscription charges and trip bookings for this account.
    pub(super) fn recurring(&mut self) {
        self.subscriptions();
        if self.profile.books_trips {
            self.trip_bookings();
        }
    }

    /// The subscriptions billed today, each at its price today (declined when a card has no
    /// room for it).
    fn subscriptions(&mut self) {
        let profile = self.profile;
        for subscription in &profile.subscriptions {
            let Some(cents) = subscription.charge_on(self.date) else { continue };
            let service = subscription.service;
            let merchant = charging(service.name, service.descriptor, service.category, PaymentChannel::Online, cents);
            if self.approves(cents) {
                self.push_purchase(&merchant, cents, None, Purchase::Recurring);
            }
        }
    }

    /// The flights of trips bought today, and the hotel's bill of a trip ending today.
    fn trip_bookings(&mut self) {
        let household = &*self.profile.household;
        let day = seed::day_number(self.date);
        let soon = day / TRIP_BLOCK_DAYS..=(day + LOOK_AHEAD_DAYS) / TRIP_BLOCK_DAYS;
        let flights: Vec<Trip> = soon
            .filter_map(|block| household.trip_in(block))
            .filter(|t| t.flight_bought_on == Some(self.date))
            .collect();
        for trip in flights {
            let (name, descriptor, cents) = trip.flights(household);
            self.book(&charging(name, descriptor, Category::Travel, PaymentChannel::Online, cents), None);
        }
        if let Some(trip) = household.trip_in(day / TRIP_BLOCK_DAYS).filter(|t| t.last_day == self.date) {
            let (name, descriptor, cents) = trip.hotel(household);
            let place = Location {
                city: trip.city.name.to_owned(),
                region: trip.city.state.to_owned(),
                country: "US".to_owned(),
            };
            self.book(&charging(name, descriptor, Category::Travel, PaymentChannel::InStore, cents), Some(place));
        }
    }

    /// A booked purchase, when there is room for it.
    fn book(&mut self, merchant: &Merchant, location: Option<Location>) {
        let cents = merchant.cents.0;
        if self.approves(cents) {
            self.push_purchase(merchant, cents, location, Purchase::Booked);
        }
    }
}
