"""The official plaid-python SDK makes a hosted Link session on Sandbank, an end user finishes it
(driven here over plain HTTP, as a browser would post the page's forms), and the SDK reads the
session's public token from /link/token/get and exchanges it, once.

Run by crates/server/tests/api/plaid_sdk.rs with SANDBANK_PLAID_HOST, SANDBANK_API, PLAID_CLIENT_ID
and PLAID_SECRET. Prints one JSON line for the test.
"""

import json
import os
import urllib.error
import urllib.parse
import urllib.request

from common import client, plaid_error
from plaid.model.country_code import CountryCode
from plaid.model.item_public_token_exchange_request import ItemPublicTokenExchangeRequest
from plaid.model.link_token_create_hosted_link import LinkTokenCreateHostedLink
from plaid.model.link_token_create_request import LinkTokenCreateRequest
from plaid.model.link_token_create_request_user import LinkTokenCreateRequestUser
from plaid.model.link_token_get_request import LinkTokenGetRequest
from plaid.model.products import Products


class NoRedirect(urllib.request.HTTPRedirectHandler):
    """Leaves a redirect to the caller, who checks where it leads."""

    def redirect_request(self, *args, **kwargs):
        return None


def submit(url: str, fields: dict) -> tuple[int, str]:
    """POSTs a form of the hosted page; returns the status and the redirect's target."""
    request = urllib.request.Request(url, data=urllib.parse.urlencode(fields).encode(), method="POST")
    try:
        with urllib.request.build_opener(NoRedirect).open(request) as response:
            return response.status, ""
    except urllib.error.HTTPError as answer:
        return answer.code, answer.headers.get("Location", "")


def main() -> None:
    api = client(os.environ["PLAID_CLIENT_ID"], os.environ["PLAID_SECRET"])
    done = f"{os.environ['SANDBANK_API']}/healthz"
    created = api.link_token_create(LinkTokenCreateRequest(
        client_name="Budgeteer", language="en", country_codes=[CountryCode("US")],
        user=LinkTokenCreateRequestUser(client_user_id="user-1"), products=[Products("transactions")],
        hosted_link=LinkTokenCreateHostedLink(completion_redirect_uri=done)))
    assert created.link_token.startswith("link-sandbox-") and created.expiration, created
    before = api.link_token_get(LinkTokenGetRequest(link_token=created.link_token))
    assert before.link_sessions == [] and before.metadata.client_name == "Budgeteer", before

    with urllib.request.urlopen(created.hosted_link_url) as page:
        assert "Chase" in page.read().decode()
    assert submit(created.hosted_link_url + "/institution", {"institution": "chase"})[0] == 303
    status, location = submit(created.hosted_link_url, {"action": "authorize", "username": "user_good", "password": "pass_good"})
    assert (status, location) == (303, done), (status, location)

    got = api.link_token_get(LinkTokenGetRequest(link_token=created.link_token))
    session = got.link_sessions[0]
    assert session.finished_at is not None, session
    success = session.on_success
    assert success.metadata.institution.institution_id == "ins_56", success.metadata
    exchanged = api.item_public_token_exchange(ItemPublicTokenExchangeRequest(public_token=success.public_token))
    again = plaid_error(lambda: api.item_public_token_exchange(
        ItemPublicTokenExchangeRequest(public_token=success.public_token)))
    print(json.dumps({
        "item_id": exchanged.item_id,
        "accounts": [account.id for account in success.metadata.accounts],
        "exchanged_again": again["error_code"],
    }))


if __name__ == "__main__":
    main()
