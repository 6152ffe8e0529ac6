// Sandbank's whole flow through a TypeScript client generated from the spec: openapi-typescript
// (--enum) types and enums, called with openapi-fetch; enum members, never strings. Type-checked
// with tsc --strict by scripts/sdk.sh; run against a server by
// crates/server/tests/api/sdk_clients.rs with SANDBANK_URL, SANDBANK_EMAIL and SANDBANK_PASSWORD set. Prints one
// JSON line for the test.

import createClient from "openapi-fetch";
import { Category, ConnectionStatus, ErrorCode, SandboxEvent } from "./sandbank.js";
import type { components, paths } from "./sandbank.js";

type Transaction = components["schemas"]["TransactionResponse"];
type Api = ReturnType<typeof createClient<paths>>;

const PASSWORD = process.env.SANDBANK_PASSWORD ?? "";

/** The data of an answer that must succeed. */
function ok<T>(answer: { data?: T; error?: unknown }): T {
  if (answer.data === undefined) {
    throw new Error(`the call failed: ${JSON.stringify(answer.error)}`);
  }
  return answer.data;
}

async function signIn(base: string, email: string): Promise<Api> {
  const anonymous = createClient<paths>({ baseUrl: base });
  ok(await anonymous.POST("/api/auth/register", { body: { email, password: PASSWORD } }));
  const session = ok(await anonymous.POST("/api/auth/login", { body: { email, password: PASSWORD } }));
  return createClient<paths>({ baseUrl: base, headers: { Authorization: `Bearer ${session.token}` } });
}

async function everyPage(api: Api, category: Category): Promise<Transaction[]> {
  const rows: Transaction[] = [];
  let cursor: string | undefined;
  let total: number | undefined;
  for (;;) {
    const query = { category, limit: 25, ...(cursor === undefined ? {} : { cursor }) };
    const page = ok(await api.GET("/api/financial/transactions", { params: { query } }));
    rows.push(...page.transactions);
    total ??= page.pagination.total;
    if (!page.pagination.hasMore) {
      if (rows.length !== total) throw new Error(`${rows.length} rows, the total said ${total}`);
      return rows;
    }
    cursor = page.pagination.cursor ?? undefined;
  }
}

async function main(): Promise<void> {
  const api = await signIn(process.env.SANDBANK_URL ?? "", process.env.SANDBANK_EMAIL ?? "");
  const providers = ok(await api.GET("/api/financial/providers")).providers;
  const chase = providers.find((p) => p.slug === "chase");
  if (chase === undefined) throw new Error("no Chase");
  const created = ok(await api.POST("/api/financial/connections", { body: { providerId: chase.id, seed: 7 } }));
  const path = { connectionId: created.connectionId };
  const connected = ok(await api.POST("/api/financial/connections/{connectionId}/authorize", { params: { path }, body: {} }));
  if (connected.status !== ConnectionStatus.connected) throw new Error(`not connected: ${connected.status}`);
  const accounts = ok(await api.GET("/api/financial/accounts", { params: { query: { connectionId: created.connectionId } } }));

  const groceries = await everyPage(api, Category.groceries);
  if (groceries.some((row) => row.category !== Category.groceries)) throw new Error("the filter leaked");
  const feed = ok(await api.GET("/api/financial/transactions/changes", { params: { query: { count: 500 } } }));

  const moved = ok(await api.POST("/api/sandbox/connections/{connectionId}/simulate", {
    params: { path }, body: { event: SandboxEvent.advance_days, days: 3 },
  }));
  const synced = ok(await api.POST("/api/financial/connections/{connectionId}", { params: { path } }));
  ok(await api.POST("/api/sandbox/connections/{connectionId}/simulate", { params: { path }, body: { event: SandboxEvent.expire_token } }));
  const refused = await api.POST("/api/financial/connections/{connectionId}", { params: { path } });
  if (refused.error?.error.code !== ErrorCode.connection_expired) throw new Error(`expected connection_expired: ${JSON.stringify(refused.error)}`);
  ok(await api.POST("/api/financial/connections/{connectionId}/authorize", { params: { path }, body: {} }));
  const gone = ok(await api.DELETE("/api/financial/connections/{connectionId}", { params: { path } }));
  if (gone.status !== ConnectionStatus.disconnected) throw new Error("not disconnected");
  const food = await everyPage(api, Category.food_and_drink);

  console.log(JSON.stringify({
    connection_id: created.connectionId,
    accounts: accounts.accounts.length,
    groceries: groceries.length,
    food_and_drink_at_end: food.length,
    feed_first_page: feed.added.length,
    clock_offset_days: moved.sandbox.clockOffsetDays,
    synced: "transactionsAdded" in synced ? synced.transactionsAdded : -1,
    expired_code: refused.error.error.code,
  }));
}

await main();
