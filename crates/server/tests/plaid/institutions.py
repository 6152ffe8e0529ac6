"""The official plaid-python SDK against Sandbank's Plaid API: keys, institutions and errors.

Run by crates/server/tests/api/plaid_sdk.rs with SANDBANK_PLAID_HOST, PLAID_CLIENT_ID and
PLAID_SECRET set; exits non-zero (with the reason) on the first thing that is not as Plaid's
sandbox would answer.
"""

import json
import os

import plaid
from common import client, plaid_error
from plaid.model.country_code import CountryCode
from plaid.model.institutions_get_by_id_request import InstitutionsGetByIdRequest
from plaid.model.institutions_get_request import InstitutionsGetRequest




def main() -> None:
    api = client(os.environ["PLAID_CLIENT_ID"], os.environ["PLAID_SECRET"])
    us = [CountryCode("US")]

    listed = api.institutions_get(InstitutionsGetRequest(count=10, offset=0, country_codes=us))
    ids = sorted(i.institution_id for i in listed.institutions)
    assert listed.total == 5, listed
    assert ids == ["ins_10", "ins_127989", "ins_127991", "ins_128026", "ins_56"], ids
    assert listed.request_id, "every response carries a request id"
    page = api.institutions_get(InstitutionsGetRequest(count=2, offset=4, country_codes=us))
    assert len(page.institutions) == 1 and page.total == 5, page

    chase = api.institutions_get_by_id(InstitutionsGetByIdRequest(institution_id="ins_56", country_codes=us))
    assert chase.institution.name == "Chase", chase
    assert "transactions" in [str(p) for p in chase.institution.products], chase.institution.products

    missing = plaid_error(lambda: api.institutions_get_by_id(
        InstitutionsGetByIdRequest(institution_id="ins_999", country_codes=us)))
    assert missing["error_code"] == "INVALID_INSTITUTION" and missing["error_type"] == "INVALID_INPUT", missing

    wrong = client(os.environ["PLAID_CLIENT_ID"], "not-the-secret")
    refused = plaid_error(lambda: wrong.institutions_get(InstitutionsGetRequest(count=1, offset=0, country_codes=us)))
    assert refused["error_code"] == "INVALID_API_KEYS" and refused["error_type"] == "INVALID_INPUT", refused
    assert refused["request_id"], refused
    print("plaid-python: institutions and key errors as Plaid answers them")


if __name__ == "__main__":
    main()
