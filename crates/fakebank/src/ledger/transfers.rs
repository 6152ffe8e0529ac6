//! Money moving between the household's own accounts, settled on business days after each
//! account's own activity, in a fixed order: card payments from checking (and their return,
//! with fees, when checking could not cover them), savings and investment contributions,
//! checking's surplus swept out on the 6th and covers from savings when it runs low, now and
//! then a withdrawal from savings. Each is a pair of entries, equal and opposite, made on the
//! same business day, both of category transfer and naming each other.

use rand::RngExt;
use sandbank_domain::account::{AccountSubtype, AccountType};
use sandbank_domain::transaction::Category;

use super::Ledger;
use super::day::Day;
use crate::account::{Habits, SavingsHabits};
use crate::book::Held;
use crate::calendar::{business_day_after, settles_monthly_on};

/// What a transfer is, for its statement lines.
#[derive(Clone, Copy)]
enum Purpose {
    CardPayment,
    ReturnedPayment,
    Move,
}

/// Settles the day's transfers between the household's accounts.
pub(super) fn settle(ledgers: &mut [Ledger<'_>], days: &mut [Day<'_>]) {
    if !days.first().is_some_and(Day::business_day) {
        return;
    }
    for slot in 0..ledgers.len() {
        let held = ledgers[slot].held;
        match &held.profile.habits {
            Habits::Card(_) => {
                return_payments(ledgers, days, slot);
                pay_card(ledgers, days, slot);
            }
            Habits::Savings(savings) | Habits::Investment(savings) => contribute(ledgers, days, slot, savings),
            Habits::Checking(_) => {}
        }
    }
    for slot in 0..ledgers.len() {
        let held = ledgers[slot].held;
        match &held.profile.habits {
            Habits::Checking(checking) => sweep_or_cover(ledgers, days, slot, checking.buffer_cents),
            Habits::Savings(_) => withdraw(ledgers, days, slot),
            _ => {}
        }
    }
}

/// Moves `cents` (positive) from the account at slot `from` to the one at `to`.
fn transfer(ledgers: &[Ledger<'_>], days: &mut [Day<'_>], (from, to): (usize, usize), cents: i64, purpose: Purpose) {
    let (payer, payee) = (ledgers[from].held, ledgers[to].held);
    let [(from_merchant, from_line), (to_merchant, to_line)] = lines(payer, payee, purpose);
    let out = days[from].push_ach(-cents, &from_merchant, from_line, Category::Transfer);
    let into = days[to].push_ach(cents, &to_merchant, to_line, Category::Transfer);
    if let Some(entry) = days[from].entries.last_mut() {
        entry.counterpart = Some(into);
    }
    if let Some(entry) = days[to].entries.last_mut() {
        entry.counterpart = Some(out);
    }
}

/// The merchant and statement line of each side of a transfer.
fn lines(from: &Held, to: &Held, purpose: Purpose) -> [(String, String); 2] {
    match purpose {
        Purpose::CardPayment => [
            (to.bank.name.to_owned(), to.bank.card_payment_line.to_owned()),
            ("Payment".to_owned(), "ONLINE PAYMENT - THANK YOU".to_owned()),
        ],
        Purpose::ReturnedPayment => [
            ("Payment Returned".to_owned(), "PAYMENT RETURNED - INSUFFICIENT FUNDS".to_owned()),
            (from.bank.name.to_owned(), format!("RETURNED ITEM {}", from.bank.card_payment_line)),
        ],
        Purpose::Move => [
            (
                format!("Transfer to {}", to.reported.official_name),
                format!("ONLINE TRANSFER TO {}", reference(to, from)),
            ),
            (
                format!("Transfer from {}", from.reported.official_name),
                format!("ONLINE TRANSFER FROM {}", reference(from, to)),
            ),
        ],
    }
}

/// How the statement of `other` names `account`: its kind and mask, with its bank when it is
/// at another bank.
fn reference(account: &Held, other: &Held) -> String {
    let kind = match (account.reported.account_type, account.reported.subtype) {
        (AccountType::Checking, _) => "CHK",
        (AccountType::Savings, _) => "SAV",
        (AccountType::Investment, AccountSubtype::Ira) => "IRA",
        (AccountType::Investment, _) => "BRKG",
        (AccountType::CreditCard, _) => "CRD",
    };
    let mask = &account.reported.mask;
    if account.bank.slug == other.bank.slug {
        format!("{kind} ...{mask}")
    } else {
        format!("{} {kind} ...{mask}", account.bank.name.to_uppercase())
    }
}

/// The payments planned for today from the card at `slot`: each from its checking account,
/// as much as that can cover (at least the minimum); one it cannot cover is returned on the
/// next business day.
fn pay_card(ledgers: &mut [Ledger<'_>], days: &mut [Day<'_>], slot: usize) {
    let date = days[slot].date;
    let Some(cycle) = ledgers[slot].card.as_mut() else { return };
    let minimum = cycle.last.minimum;
    let due: Vec<i64> = cycle.planned.iter().filter(|(on, _)| *on == date).map(|(_, cents)| *cents).collect();
    cycle.planned.retain(|(on, _)| *on != date);
    let Some(payer) = ledgers[slot].held.links.funded_from else { return };
    for planned in due {
        let available = ledgers[payer].projected(&days[payer]);
        let affordable = (available - 25_00).max(0) / 100 * 100;
        let cents = if available >= planned { planned } else { affordable.max(minimum.min(planned)) };
        if cents <= 0 {
            continue;
        }
        transfer(ledgers, days, (payer, slot), cents, Purpose::CardPayment);
        if available < cents
            && let Some(cycle) = ledgers[slot].card.as_mut()
        {
            cycle.returns.push((business_day_after(date), cents));
        }
    }
}

/// Payments returned today to the checking account that could not cover them, with the
/// card's returned-payment fee and the checking bank's fee for the returned item.
fn return_payments(ledgers: &mut [Ledger<'_>], days: &mut [Day<'_>], slot: usize) {
    let date = days[slot].date;
    let Some(cycle) = ledgers[slot].card.as_mut() else { return };
    let returned: Vec<i64> = cycle.returns.iter().filter(|(on, _)| *on == date).map(|(_, cents)| *cents).collect();
    cycle.returns.retain(|(on, _)| *on != date);
    let Some(payer) = ledgers[slot].held.links.funded_from else { return };
    for cents in returned {
        transfer(ledgers, days, (slot, payer), cents, Purpose::ReturnedPayment);
        days[slot].push_ach(-29_00, "Returned Payment Fee", "RETURNED PAYMENT FEE".into(), Category::Fees);
        let fee = ledgers[payer].held.bank.overdraft_fee_cents;
        if fee > 0 {
            days[payer].push_ach(-fee, "NSF Fee", "NSF RETURNED ITEM FEE".into(), Category::Fees);
        }
    }
}

/// A savings or investment account's monthly deposit from its checking account, when
/// checking keeps half its buffer after it; an IRA's within its yearly cap.
fn contribute(ledgers: &[Ledger<'_>], days: &mut [Day<'_>], slot: usize, savings: &SavingsHabits) {
    let date = days[slot].date;
    if savings.monthly_deposit_cents <= 0 || !settles_monthly_on(date, savings.deposit_day) {
        return;
    }
    let Some(from) = ledgers[slot].held.links.funded_from else { return };
    let mut cents = savings.monthly_deposit_cents;
    if let Some(cap) = savings.yearly_cap_cents {
        cents = cents.min(cap - ledgers[slot].contributed_in(date));
    }
    let floor = match &ledgers[from].held.profile.habits {
        Habits::Checking(checking) => checking.buffer_cents / 2,
        _ => 0,
    };
    if cents > 0 && ledgers[from].projected(&days[from]) - cents >= floor {
        transfer(ledgers, days, (from, slot), cents, Purpose::Move);
    }
}

/// On the 6th (or the business day before), a checking account's surplus above its buffer goes
/// to the household's main checking account when that is short of its own buffer, else to its
/// savings (else to the main one). Whenever it would end the day below $100, it is covered back
/// to half its buffer from savings (its own first), then from the main checking account, as far
/// as they can.
fn sweep_or_cover(ledgers: &[Ledger<'_>], days: &mut [Day<'_>], slot: usize, buffer: i64) {
    let after = ledgers[slot].projected(&days[slot]);
    let links = ledgers[slot].held.links;
    if settles_monthly_on(days[slot].date, 6) && after > buffer + 100_00 {
        let main_short = links.main.filter(|main| spare(ledgers, days, *main) < 0);
        if let Some(to) = main_short.or(links.reserve).or(links.main) {
            let cents = (after - buffer) / 50_00 * 50_00;
            transfer(ledgers, days, (slot, to), cents, Purpose::Move);
        }
        return;
    }
    if after >= 100_00 {
        return;
    }
    let savings = (0..ledgers.len()).filter(|s| matches!(ledgers[*s].held.profile.habits, Habits::Savings(_)));
    let others = savings.filter(|s| Some(*s) != links.reserve);
    let sources: Vec<usize> = links.reserve.into_iter().chain(others).chain(links.main).collect();
    let mut wanted = (buffer / 2 - after + 49_99) / 50_00 * 50_00;
    for source in sources {
        let cents = wanted.min(spare(ledgers, days, source) / 50_00 * 50_00);
        if cents > 0 {
            transfer(ledgers, days, (source, slot), cents, Purpose::Move);
            wanted -= cents;
        }
    }
}

/// What the account at `slot` can give today: a checking account what it has above half its
/// buffer, another all it has.
fn spare(ledgers: &[Ledger<'_>], days: &[Day<'_>], slot: usize) -> i64 {
    let projected = ledgers[slot].projected(&days[slot]);
    match &ledgers[slot].held.profile.habits {
        Habits::Checking(checking) => projected - checking.buffer_cents / 2,
        _ => projected,
    }
}

/// Now and then, a withdrawal from savings to its checking account.
fn withdraw(ledgers: &[Ledger<'_>], days: &mut [Day<'_>], slot: usize) {
    let Some(to) = ledgers[slot].held.links.funded_from else { return };
    let balance = ledgers[slot].projected(&days[slot]);
    if days[slot].rng.random_bool(0.01) && balance > 2_000_00 {
        let cents = days[slot].rng.random_range(200_00..=1_500_00).min(balance / 2) / 100 * 100;
        transfer(ledgers, days, (slot, to), cents, Purpose::Move);
    }
}
