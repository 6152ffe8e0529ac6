"""The official plaid-python SDK syncs an item's transactions from Sandbank's Plaid API as an
integration would: the institution, a sandbox item and its accounts, the whole history, then (after the sandbox clock moves) only what changed,
with Plaid's pending/posted pairs; /transactions/get; a fired webhook, received and verified;
reset_login and ITEM_LOGIN_REQUIRED.

Run by crates/server/tests/api/plaid_sdk.rs with SANDBANK_PLAID_HOST, SANDBANK_API (our own
API's base URL), SANDBANK_TOKEN (a bearer token of the key's user), PLAID_CLIENT_ID and
PLAID_SECRET. Prints one JSON line for the test to compare with our own API.
"""

import datetime
import json
import os
import urllib.request

import plaid
from common import client, plaid_error
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.country_code import CountryCode
from plaid.model.institutions_get_by_id_request import InstitutionsGetByIdRequest
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_webhook_update_request import ItemWebhookUpdateRequest
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.item_remove_request import ItemRemoveRequest
from plaid.model.products import Products
from plaid.model.sandbox_item_fire_webhook_request import SandboxItemFireWebhookRequest
from plaid.model.sandbox_item_reset_login_request import SandboxItemResetLoginRequest
from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest
from plaid.model.transactions_get_request import TransactionsGetRequest
from plaid.model.transactions_get_request_options import TransactionsGetRequestOptions
from plaid.model.transactions_refresh_request import TransactionsRefreshRequest
from plaid.model.transactions_sync_request import TransactionsSyncRequest
from webhook import Receiver, verify



def sync_to_the_end(api, access_token: str, cursor: str):
    """Follows next_cursor while has_more; returns (added, modified, removed, cursor, pages)."""
    added, modified, removed, pages = [], [], [], 0
    while True:
        request = TransactionsSyncRequest(access_token=access_token, cursor=cursor, count=25)
        page = api.transactions_sync(request)
        assert str(page.transactions_update_status) == "HISTORICAL_UPDATE_COMPLETE", page.transactions_update_status
        added += page.added
        modified += page.modified
        removed += page.removed
        cursor, pages = page.next_cursor, pages + 1
        if not page.has_more:
            return added, modified, removed, cursor, pages


def our_api(path: str, body: dict | None = None) -> dict:
    request = urllib.request.Request(
        f"{os.environ['SANDBANK_API']}{path}",
        data=None if body is None else json.dumps(body).encode(),
        headers={"Authorization": f"Bearer {os.environ['SANDBANK_TOKEN']}", "Content-Type": "application/json"},
        method="GET" if body is None else "POST",
    )
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read())


def our_listing(connection_id: str) -> dict:
    """Sandbank's own listing of the connection: {id: row}."""
    rows, cursor = {}, ""
    while True:
        page = our_api(f"/api/financial/transactions?connectionId={connection_id}&limit=500{cursor}")
        rows.update({row["id"]: row for row in page["transactions"]})
        if not page["pagination"]["hasMore"]:
            return rows
        cursor = "&cursor=" + page["pagination"]["cursor"]


def advance_days(connection_id: str, days: int) -> None:
    our_api(f"/api/sandbox/connections/{connection_id}/simulate", {"event": "advance_days", "days": days})


def sync_until_a_pending_posts(api, access_token: str, item_id: str, cursor: str, history: list):
    """Moves the sandbox clock a day at a time (at most 60: how many card payments fall in a
    few days depends on the date) and syncs after each, until a pending transaction posts —
    as a removed pending and an added posted one. Returns (added, modified, removed, cursor,
    days), summed over the days."""
    reported_pending = {t.transaction_id for t in history if t.pending}
    added, modified, removed = [], [], []
    for days in range(1, 61):
        advance_days(item_id, 1)
        api.transactions_refresh(TransactionsRefreshRequest(access_token=access_token))
        new, changed, gone, cursor, _ = sync_to_the_end(api, access_token, cursor)
        added, modified, removed = added + new, modified + changed, removed + gone
        gone_ids = {r.transaction_id for r in gone}
        assert gone_ids <= reported_pending, ("only a pending transaction reported before is removed", gone_ids)
        reported_pending = (reported_pending - gone_ids) | {t.transaction_id for t in new if t.pending}
        if any(t.pending_transaction_id in gone_ids for t in new):
            return added, modified, removed, cursor, days
    raise AssertionError(f"in 60 days no pending transaction posted ({len(added)} added)")


def main() -> None:
    api = client(os.environ["PLAID_CLIENT_ID"], os.environ["PLAID_SECRET"])
    amex = api.institutions_get_by_id(InstitutionsGetByIdRequest(
        institution_id="ins_10", country_codes=[CountryCode("US")])).institution
    assert amex.name == "American Express", amex.name
    public = api.sandbox_public_token_create(SandboxPublicTokenCreateRequest(
        institution_id=amex.institution_id, initial_products=[Products("transactions")]))
    exchanged = api.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=public.public_token))
    access_token, item_id = exchanged.access_token, exchanged.item_id
    accounts = api.accounts_get(AccountsGetRequest(access_token=access_token)).accounts
    assert accounts and all(str(a.type) in ("depository", "credit", "investment") for a in accounts), accounts

    history, modified, removed, cursor, pages = sync_to_the_end(api, access_token, "")
    assert not modified and not removed, "from the start everything is added"
    assert pages > 1, f"the history takes more than one page of 25 ({len(history)} rows)"
    same = api.transactions_sync(TransactionsSyncRequest(access_token=access_token, cursor=cursor))
    assert not same.added and not same.modified and not same.removed and same.next_cursor == cursor, same

    ours = our_listing(item_id)
    assert len(history) == len(ours), (len(history), len(ours))
    for transaction in history:
        row = ours[transaction.transaction_id.removesuffix("-pending")]
        assert transaction.pending == (row["status"] == "pending"), (transaction, row)
        assert transaction.amount == -float(row["amount"]), (transaction.amount, row["amount"])
        assert transaction.account_id == row["accountId"]
        assert transaction.account_id in {a.account_id for a in accounts}

    added, modified, removed, cursor, days = sync_until_a_pending_posts(api, access_token, item_id, cursor, history)
    pairs = [t for t in added if t.pending_transaction_id in {r.transaction_id for r in removed}]
    for posted in pairs:
        assert not posted.pending and posted.pending_transaction_id.endswith("-pending"), posted

    today = datetime.date.today() + datetime.timedelta(days=days)
    start = today - datetime.timedelta(days=30)
    got = api.transactions_get(TransactionsGetRequest(
        access_token=access_token, start_date=start, end_date=today,
        options=TransactionsGetRequestOptions(count=500, offset=0)))
    assert got.total_transactions == len(got.transactions) > 0, got.total_transactions
    assert all(start <= t.date <= today for t in got.transactions)

    receiver = Receiver()
    api.item_webhook_update(ItemWebhookUpdateRequest(access_token=access_token, webhook=receiver.url))
    api.sandbox_item_fire_webhook(SandboxItemFireWebhookRequest(
        access_token=access_token, webhook_code="SYNC_UPDATES_AVAILABLE"))
    fired = verify(api, *receiver.wait_for(lambda body: body["webhook_code"] == "SYNC_UPDATES_AVAILABLE"))
    assert fired["webhook_type"] == "TRANSACTIONS" and fired["item_id"] == item_id, fired
    receiver.close()

    api.sandbox_item_reset_login(SandboxItemResetLoginRequest(access_token=access_token))
    for call in (
        lambda: api.transactions_sync(TransactionsSyncRequest(access_token=access_token, cursor=cursor)),
        lambda: api.accounts_get(AccountsGetRequest(access_token=access_token)),
        lambda: api.transactions_refresh(TransactionsRefreshRequest(access_token=access_token)),
    ):
        error = plaid_error(call)
        assert error["error_code"] == "ITEM_LOGIN_REQUIRED" and error["error_type"] == "ITEM_ERROR", error
    item = api.item_get(ItemGetRequest(access_token=access_token)).item
    assert item.error is not None and item.error.error_code == "ITEM_LOGIN_REQUIRED", item.error

    summary = {
        "item_id": item_id,
        "history": len(history),
        "pending_in_history": sum(1 for t in history if t.pending),
        "after": {"added": len(added), "modified": len(modified), "removed": len(removed), "pairs": len(pairs)},
        "got_in_range": got.total_transactions,
        "webhook_verified": fired["webhook_code"],
    }
    api.item_remove(ItemRemoveRequest(access_token=access_token))
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
