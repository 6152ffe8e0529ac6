// The official Node SDK (plaid@47) against Sandbank's Plaid API: the token and sync steps of an
// integration. Run by crates/server/tests/api/plaid_sdk.rs with NODE_PATH holding plaid,
// SANDBANK_PLAID_HOST, PLAID_CLIENT_ID and PLAID_SECRET; prints one JSON line; exits non-zero on
// the first thing that is not as Plaid's sandbox answers.
"use strict";

const assert = require("node:assert/strict");
const { Configuration, PlaidApi, Products, CountryCode } = require("plaid");

async function main() {
  const client = new PlaidApi(new Configuration({
    basePath: process.env.SANDBANK_PLAID_HOST,
    baseOptions: { headers: {
      "PLAID-CLIENT-ID": process.env.PLAID_CLIENT_ID,
      "PLAID-SECRET": process.env.PLAID_SECRET,
    } },
  }));

  const institutions = await client.institutionsGet({ count: 10, offset: 0, country_codes: [CountryCode.Us] });
  assert.equal(institutions.data.total, 5);

  const created = await client.sandboxPublicTokenCreate({
    institution_id: "ins_127989", initial_products: [Products.Transactions],
  });
  assert.match(created.data.public_token, /^public-sandbox-/);
  const exchanged = await client.itemPublicTokenExchange({ public_token: created.data.public_token });
  const accessToken = exchanged.data.access_token;
  assert.match(accessToken, /^access-sandbox-/);

  let cursor = "";
  let added = 0;
  let pages = 0;
  for (;;) {
    const page = await client.transactionsSync({ access_token: accessToken, cursor, count: 50 });
    assert.equal(page.data.transactions_update_status, "HISTORICAL_UPDATE_COMPLETE");
    assert.equal(page.data.modified.length, 0);
    for (const transaction of page.data.added) {
      assert.equal(typeof transaction.amount, "number");
      assert.equal(transaction.pending, transaction.transaction_id.endsWith("-pending"));
    }
    added += page.data.added.length;
    cursor = page.data.next_cursor;
    pages += 1;
    if (!page.data.has_more) break;
  }
  assert.ok(pages > 1, `more than one page of 50 (${added} transactions)`);

  const again = await client.transactionsSync({ access_token: accessToken, cursor });
  assert.equal(again.data.added.length + again.data.modified.length + again.data.removed.length, 0);
  assert.equal(again.data.next_cursor, cursor, "a cursor is stable until new data arrives");

  try {
    await client.accountsGet({ access_token: "access-sandbox-not-a-token" });
    assert.fail("an unknown token must fail");
  } catch (error) {
    assert.equal(error.response.status, 400);
    assert.equal(error.response.data.error_code, "INVALID_ACCESS_TOKEN");
  }
  console.log(JSON.stringify({ item_id: exchanged.data.item_id, added }));
}

main().catch((error) => {
  console.error(error.response ? JSON.stringify(error.response.data) : error);
  process.exit(1);
});
