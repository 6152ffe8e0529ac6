"""The official plaid-python SDK against Sandbank's Plaid API: an item from the sandbox public
token to its removal, as a Plaid integration makes one.

Run by crates/server/tests/api/plaid_sdk.rs with SANDBANK_PLAID_HOST, PLAID_CLIENT_ID,
PLAID_SECRET and OTHER_CLIENT_ID / OTHER_SECRET (another user's key) set. Prints one JSON line
(the item id and the accounts as the SDK parsed them) for the test to compare with Sandbank's own
API; exits non-zero on the first thing that is not as Plaid's sandbox would answer.
"""

import json
import os

import plaid
from common import client, plaid_error
from plaid.model.accounts_balance_get_request import AccountsBalanceGetRequest
from plaid.model.accounts_get_request import AccountsGetRequest
from plaid.model.item_get_request import ItemGetRequest
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.item_remove_request import ItemRemoveRequest
from plaid.model.products import Products
from plaid.model.sandbox_public_token_create_request import SandboxPublicTokenCreateRequest
from plaid.model.sandbox_public_token_create_request_options import SandboxPublicTokenCreateRequestOptions




def main() -> None:
    api = client(os.environ["PLAID_CLIENT_ID"], os.environ["PLAID_SECRET"])
    other = client(os.environ["OTHER_CLIENT_ID"], os.environ["OTHER_SECRET"])

    bad_login = SandboxPublicTokenCreateRequestOptions(override_username="user_good", override_password="wrong")
    refused = plaid_error(lambda: api.sandbox_public_token_create(SandboxPublicTokenCreateRequest(
        institution_id="ins_56", initial_products=[Products("transactions")], options=bad_login)))
    assert refused["error_code"] == "INVALID_CREDENTIALS" and refused["error_type"] == "ITEM_ERROR", refused

    created = api.sandbox_public_token_create(SandboxPublicTokenCreateRequest(
        institution_id="ins_56", initial_products=[Products("transactions")]))
    assert created.public_token.startswith("public-sandbox-"), created
    stolen = plaid_error(lambda: other.item_public_token_exchange(
        ItemPublicTokenExchangeRequest(public_token=created.public_token)))
    assert stolen["error_code"] == "INVALID_PUBLIC_TOKEN", stolen
    exchanged = api.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=created.public_token))
    access_token = exchanged.access_token
    assert access_token.startswith("access-sandbox-"), exchanged

    item = api.item_get(ItemGetRequest(access_token=access_token)).item
    assert item.item_id == exchanged.item_id and item.institution_id == "ins_56", item
    assert item.error is None, item.error

    accounts = api.accounts_get(AccountsGetRequest(access_token=access_token))
    assert accounts.item.item_id == exchanged.item_id
    assert len(accounts.accounts) >= 1, accounts
    for account in accounts.accounts:
        assert str(account.type) in ("depository", "credit", "investment"), account.type
        assert account.balances.iso_currency_code == "USD", account.balances
    fresh = api.accounts_balance_get(AccountsBalanceGetRequest(access_token=access_token))
    assert sorted(a.account_id for a in fresh.accounts) == sorted(a.account_id for a in accounts.accounts)

    foreign = plaid_error(lambda: other.accounts_get(AccountsGetRequest(access_token=access_token)))
    assert foreign["error_code"] == "INVALID_ACCESS_TOKEN" and foreign["error_type"] == "INVALID_INPUT", foreign

    summary = {
        "item_id": exchanged.item_id,
        "accounts": {
            a.account_id: {
                "type": str(a.type),
                "subtype": str(a.subtype),
                "mask": a.mask,
                "current": a.balances.current,
                "available": a.balances.available,
                "limit": a.balances.limit,
            }
            for a in accounts.accounts
        },
    }

    api.item_remove(ItemRemoveRequest(access_token=access_token))
    gone = plaid_error(lambda: api.item_get(ItemGetRequest(access_token=access_token)))
    assert gone["error_code"] == "ITEM_NOT_FOUND", gone
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
