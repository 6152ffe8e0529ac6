"""Sandbank's whole flow through the generated Python client (openapi-python-client), with its
typed functions and models only: enum members, never strings. Type-checked with mypy --strict
by scripts/sdk.sh; run against a server by crates/server/tests/api/sdk_clients.rs with
SANDBANK_URL, SANDBANK_EMAIL and SANDBANK_PASSWORD set. Prints one JSON line for the test.
"""

import json
import os
from typing import TypeVar

from sandbank_client import AuthenticatedClient, Client
from sandbank_client.api.auth import login, register
from sandbank_client.api.financial import (
    authorize_connection,
    create_connection,
    disconnect_connection,
    list_accounts,
    list_providers,
    list_transaction_changes,
    list_transactions,
    sync_connection,
)
from sandbank_client.api.sandbox import simulate_connection_event
from sandbank_client.models import (
    AuthorizeRequest,
    Category,
    ChangesResponse,
    ConnectionResponse,
    ConnectionStatus,
    CreateConnectionRequest,
    ErrorCode,
    ErrorResponse,
    LoginRequest,
    RegisterRequest,
    SandboxEvent,
    SimulateRequest,
    SyncResponse,
    TransactionResponse,
)
from sandbank_client.types import UNSET

T = TypeVar("T")
PASSWORD = os.environ["SANDBANK_PASSWORD"]


def ok(answer: T | ErrorResponse | None) -> T:
    """The answer of a call that must succeed."""
    assert answer is not None and not isinstance(answer, ErrorResponse), answer
    return answer


def sign_in(base: str, email: str) -> AuthenticatedClient:
    anonymous = Client(base_url=base)
    ok(register.sync(client=anonymous, body=RegisterRequest(email=email, password=PASSWORD, name="SDK")))
    session = ok(login.sync(client=anonymous, body=LoginRequest(email=email, password=PASSWORD)))
    return AuthenticatedClient(base_url=base, token=session.token)


def connect(api: AuthenticatedClient, slug: str, seed: int) -> ConnectionResponse:
    providers = ok(list_providers.sync(client=api)).providers
    provider = next(p for p in providers if p.slug == slug)
    created = ok(create_connection.sync(client=api, body=CreateConnectionRequest(provider_id=provider.id, seed=seed)))
    connection = ok(authorize_connection.sync(created.connection_id, client=api, body=AuthorizeRequest()))
    assert connection.status == ConnectionStatus.CONNECTED, connection.status
    return connection


def every_page(api: AuthenticatedClient, category: Category) -> list[TransactionResponse]:
    """All the caller's transactions of `category`, following the cursor to the last page (as
    many as the first page's total said)."""
    rows: list[TransactionResponse] = []
    cursor: str | None = None
    total: int | None = None
    while True:
        page = ok(list_transactions.sync(client=api, category=category, limit=25,
                                         cursor=UNSET if cursor is None else cursor))
        rows += page.transactions
        total = page.pagination.total if total is None else total
        if not page.pagination.has_more:
            assert len(rows) == total, (len(rows), total)
            return rows
        assert isinstance(page.pagination.cursor, str)
        cursor = page.pagination.cursor


def feed_to_the_end(api: AuthenticatedClient, cursor: str | None) -> tuple[ChangesResponse, int]:
    """Follows the change feed from `cursor`; returns the last page and how many rows were added."""
    added = 0
    while True:
        page = ok(list_transaction_changes.sync(client=api, cursor=UNSET if cursor is None else cursor, count=500))
        added += len(page.added)
        cursor = page.next_cursor
        if not page.has_more:
            return page, added


def main() -> None:
    api = sign_in(os.environ["SANDBANK_URL"], os.environ["SANDBANK_EMAIL"])
    connection = connect(api, "amex", 42)
    accounts = ok(list_accounts.sync(client=api, connection_id=connection.id)).accounts
    assert accounts, "a connected bank has accounts"

    food = every_page(api, Category.FOOD_AND_DRINK)
    assert food and all(row.category == Category.FOOD_AND_DRINK for row in food)
    last, history = feed_to_the_end(api, None)

    # Five days at a time until a sync adds rows (how many days that takes depends on the date).
    added_after_advance = 0
    for step in range(1, 13):
        moved = ok(simulate_connection_event.sync(connection.id, client=api,
                                                  body=SimulateRequest(event=SandboxEvent.ADVANCE_DAYS, days=5)))
        assert moved.sandbox.clock_offset_days == 5 * step, moved.sandbox
        synced = ok(sync_connection.sync(connection.id, client=api))
        assert isinstance(synced, SyncResponse), synced
        added_after_advance += synced.transactions_added
        if added_after_advance > 0:
            break
    assert added_after_advance > 0, "60 days brought no new rows"
    _, new_rows = feed_to_the_end(api, last.next_cursor)

    ok(simulate_connection_event.sync(connection.id, client=api, body=SimulateRequest(event=SandboxEvent.EXPIRE_TOKEN)))
    refused = sync_connection.sync(connection.id, client=api)
    assert isinstance(refused, ErrorResponse) and refused.error.code == ErrorCode.CONNECTION_EXPIRED, refused
    again = ok(authorize_connection.sync(connection.id, client=api, body=AuthorizeRequest()))
    assert again.status == ConnectionStatus.CONNECTED
    gone = ok(disconnect_connection.sync(connection.id, client=api))
    assert gone.status == ConnectionStatus.DISCONNECTED
    groceries = every_page(api, Category.GROCERIES)
    assert all(row.category == Category.GROCERIES for row in groceries)

    print(json.dumps({
        "connection_id": str(connection.id),
        "accounts": len(accounts),
        "food_and_drink": len(food),
        "groceries_at_end": len(groceries),
        "feed_history": history,
        "added_after_advance": added_after_advance,
        "feed_after_advance": new_rows,
        "expired_code": str(refused.error.code),
    }))


if __name__ == "__main__":
    main()
