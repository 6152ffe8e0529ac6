"""What the Plaid SDK scripts share: a client for Sandbank's Plaid API and Plaid's error body."""

import json
import os

import plaid
from plaid.api import plaid_api


def client(client_id: str, secret: str) -> plaid_api.PlaidApi:
    """The official SDK pointed at SANDBANK_PLAID_HOST with these keys: only the host changes."""
    configuration = plaid.Configuration(
        host=os.environ["SANDBANK_PLAID_HOST"],
        api_key={"clientId": client_id, "secret": secret},
    )
    return plaid_api.PlaidApi(plaid.ApiClient(configuration))


def plaid_error(call) -> dict:
    """Plaid's error object of a call that must fail."""
    try:
        call()
    except plaid.ApiException as error:
        return json.loads(error.body)
    raise AssertionError("the call should have failed")
