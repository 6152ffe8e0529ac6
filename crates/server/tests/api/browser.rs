//! The portal in a real browser: headless Chromium driven through chromedriver (fantoccini).
//! Sign up → Connect American Express → consent → Authorize → the dashboard shows the accounts
//! and a balance → transactions filtered by a category → Next page → Disconnect. And the Plaid
//! API's hosted Link page: pick a bank, authorize, land on the app's completion URI (another
//! origin). Screenshots go to `target/screenshots/`.

use std::net::TcpListener;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use chrono::{Days, Utc};
use fantoccini::{ClientBuilder, Locator};
use sandbank_domain::account::AccountType;
use sandbank_domain::transaction::Category;
use sandbank_fakebank::{FakeBank, catalog};
use serde_json::json;

use crate::helpers::*;

/// chromedriver on a free port, killed on drop.
pub(crate) struct Driver {
    child: Child,
    port: u16,
}

impl Drop for Driver {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts chromedriver; `None` (with the reason printed) when it is not installed outside CI.
pub(crate) fn start_driver() -> Option<Driver> {
    let binary = std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into());
    if !std::path::Path::new(&binary).exists() {
        assert!(std::env::var_os("CI").is_none(), "{binary} is missing: .ci/run installs chromium-driver");
        eprintln!("skipped the browser test: {binary} is not installed (apt-get install chromium chromium-driver)");
        return None;
    }
    let port = TcpListener::bind("127.0.0.1:0").and_then(|l| l.local_addr()).map(|a| a.port()).expect("a free port");
    let child = Command::new(binary)
        .arg(format!("--port={port}"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .expect("chromedriver starts");
    for _ in 0..100 {
        if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    Some(Driver { child, port })
}

/// A headless Chromium session through `driver`, with a fresh profile (its folder is returned, to
/// be removed after).
pub(crate) async fn open_browser(driver: &Driver) -> (fantoccini::Client, std::path::PathBuf) {
    let profile = std::env::temp_dir().join(format!("sandbank-chromium-{}", uuid::Uuid::new_v4().simple()));
    let capabilities = json!({
        "goog:chromeOptions": {
            "binary": std::env::var("CHROMIUM").unwrap_or_else(|_| "/usr/bin/chromium".into()),
            "args": ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--disable-quic", "--window-size=1280,1800",
                     format!("--user-data-dir={}", profile.display())]
        }
    });
    let capabilities = capabilities.as_object().expect("object").clone();
    let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
        .capabilities(capabilities)
        .connect(&format!("http://127.0.0.1:{}", driver.port))
        .await
        .expect("a browser session");
    (client, profile)
}

/// A seed whose American Express connection has a card with more than a page of one category.
fn seed_with_a_busy_card() -> (i64, Category) {
    let spec = catalog::provider("amex").expect("amex");
    let today = Utc::now().date_naive();
    for seed in 1..500i64 {
        let accounts = FakeBank::new(spec, seed as u64, today).accounts();
        let Some(card) = accounts.iter().find(|a| a.reported().account_type == AccountType::CreditCard) else {
            continue;
        };
        let rows = card.transactions(card.history_start()..today + Days::new(1), today);
        if rows.iter().filter(|t| t.category == Category::FoodAndDrink).count() > 60 {
            return (seed, Category::FoodAndDrink);
        }
    }
    panic!("no seed with a busy card");
}

/// Waits (30 s at most) until the browser's URL satisfies `arrived`: a navigation has finished
/// only then, whatever elements the page being left still shows.
async fn wait_for_url(browser: &fantoccini::Client, what: &str, arrived: impl Fn(&str) -> bool) {
    let started = std::time::Instant::now();
    loop {
        let url = browser.current_url().await.expect("url");
        if arrived(url.as_str()) {
            return;
        }
        assert!(started.elapsed() < Duration::from_secs(30), "never reached {what}: still at {url}");
        actix_web::rt::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn save(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/screenshots");
    std::fs::create_dir_all(dir).expect("screenshot folder");
    std::fs::write(format!("{dir}/{name}.png"), png).expect("screenshot written");
}

/// A screenshot for the README, in `docs/img/{name}.png`: written beside and renamed, so the
/// two backends' runs never leave half a file.
async fn save_for_docs(client: &fantoccini::Client, name: &str) {
    let png = client.screenshot().await.expect("screenshot");
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../../docs/img");
    let partial = format!("{dir}/.{name}-{}.png", uuid::Uuid::new_v4().simple());
    std::fs::write(&partial, png).expect("screenshot written");
    std::fs::rename(&partial, format!("{dir}/{name}.png")).expect("screenshot in place");
}

/// Runs `script` (a function body that returns a value) in the page.
async fn evaluate(browser: &fantoccini::Client, script: &str) -> serde_json::Value {
    browser.execute(script, vec![]).await.expect("the script runs")
}

/// At the window's current width: nothing wider than the window (no sideways scroll), and every
/// chart's text drawn at 10 px or more.
async fn fits_the_width(browser: &fantoccini::Client, page: &str) {
    let overflow = evaluate(browser, "const d = document.documentElement; return d.scrollWidth - d.clientWidth;").await;
    let wide = evaluate(
        browser,
        "const w = document.documentElement.clientWidth; return [...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > w + 0.5).map(e => e.tagName + '.' + e.className + '#' + e.id + ' ' + Math.round(e.getBoundingClientRect().right)).slice(0, 12);",
    )
    .await;
    assert!(overflow.as_i64().is_some_and(|o| o <= 0), "{page} scrolls sideways by {overflow} px: {wide}");
    let smallest = evaluate(
        browser,
        "const sizes = [...document.querySelectorAll('svg.chart text')].map(t => { const s = t.ownerSVGElement; return s.getBoundingClientRect().width / s.viewBox.baseVal.width * Number(t.getAttribute('font-size')); }); return sizes.length ? Math.min(...sizes) : 99;",
    )
    .await;
    assert!(smallest.as_f64().is_some_and(|px| px >= 10.0), "{page}: chart labels drawn at {smallest} px");
}

on_both_backends! {
    async fn sign_up_connect_browse_and_disconnect_in_a_browser(app: TestApp) {
        let Some(driver) = start_driver() else { return };
        let (browser, profile) = open_browser(&driver).await;
        let base = app.address.clone();
        let (seed, category) = seed_with_a_busy_card();

        browser.goto(&format!("{base}/signup")).await.expect("signup page");
        browser.find(Locator::Id("name")).await.expect("name").send_keys("Ada").await.expect("typed");
        browser.find(Locator::Id("email")).await.expect("email").send_keys("browser@example.com").await.expect("typed");
        browser.find(Locator::Id("password")).await.expect("password").send_keys(PASSWORD).await.expect("typed");
        browser.find(Locator::Css("form[action='/signup'] button[type=submit]")).await.expect("button").click().await.expect("clicked");
        wait_for_url(&browser, "the dashboard", |url| url.contains("/dashboard")).await;
        browser.wait().for_element(Locator::Css("h1")).await.expect("dashboard");
        assert!(browser.source().await.expect("html").contains("No connections yet"), "an empty state that says what to do");

        browser.find(Locator::Id("options-amex")).await.expect("the options").click().await.expect("opened");
        browser.find(Locator::Id("seed-amex")).await.expect("seed field").send_keys(&seed.to_string()).await.expect("typed");
        browser.find(Locator::Css("button[aria-label='Connect American Express']")).await.expect("Connect").click().await.expect("clicked");
        browser.wait().for_element(Locator::Css("button[value=authorize]")).await.expect("the consent page");
        let consent = browser.source().await.expect("html");
        assert!(consent.contains("Connect American Express") && consent.contains("user_good"));
        save(&browser, "consent").await;
        save_for_docs(&browser, "consent").await;
        browser.find(Locator::Css("button[value=authorize]")).await.expect("Authorize").click().await.expect("clicked");
        browser.wait().for_element(Locator::Css("#accounts-heading")).await.expect("dashboard again");
        let dashboard = browser.source().await.expect("html");
        assert!(dashboard.contains("Connected. Your accounts"), "the flash says what happened");
        assert!(dashboard.contains("/accounts/"), "the accounts are listed");
        assert!(dashboard.contains("****"), "with masked numbers");
        assert!(dashboard.contains("$"), "and balances");
        for chart in ["Spending by category", "Cash flow by month", "Net worth from"] {
            browser.find(Locator::Css(&format!("svg[aria-label^='{chart}']"))).await.unwrap_or_else(|_| panic!("the {chart} chart"));
        }
        assert!(dashboard.contains("Connect American Express again"), "a connected bank says so");
        let recurring = browser.find(Locator::Id("recurring-count")).await.expect("recurring charges found").text().await.expect("text");
        assert!(recurring.parse::<u32>().is_ok_and(|n| n > 0), "{recurring}");
        save(&browser, "dashboard").await;
        save_for_docs(&browser, "dashboard").await;

        browser.goto(&format!("{base}/transactions")).await.expect("transactions page");
        browser.find(Locator::Id("category")).await.expect("category").select_by_value(category.as_str()).await.expect("chosen");
        browser.find(Locator::Id("limit")).await.expect("limit").select_by_value("25").await.expect("chosen");
        browser.find(Locator::Css("form[action='/transactions'] button[type=submit]")).await.expect("Apply").click().await.expect("clicked");
        wait_for_url(&browser, "the filtered listing", |url| url.contains("limit=25")).await;
        browser.wait().for_element(Locator::Css("a[rel=next]")).await.expect("a next page");
        let label = category.as_str().replace('_', " ");
        let cells = |html: String, label: &str| -> Vec<String> {
            let marker = format!("data-label=\"{label}\">");
            html.split(&marker).skip(1).map(|c| c.split('<').next().unwrap_or_default().to_owned()).collect()
        };
        let first = cells(browser.source().await.expect("html"), "Category");
        assert_eq!(first.len(), 25);
        assert!(first.iter().all(|c| *c == label), "only {label}: {first:?}");
        save(&browser, "transactions").await;
        let range = browser.find(Locator::Id("range")).await.expect("the range").text().await.expect("text");
        assert!(range.starts_with("1–25 of "), "{range}");
        browser.find(Locator::Css("a[rel=next]")).await.expect("Next").click().await.expect("clicked");
        browser.wait().for_element(Locator::Css("a[rel=prev]")).await.expect("a previous page");
        let second = cells(browser.source().await.expect("html"), "Category");
        assert!(!second.is_empty() && second.iter().all(|c| *c == label));
        assert!(browser.current_url().await.expect("url").query().is_some_and(|q| q.contains("cursor=")), "the page is in the URL");
        let range = browser.find(Locator::Id("range")).await.expect("the range").text().await.expect("text");
        assert!(range.starts_with("26–"), "{range}");

        // Search: a piece of the first row's merchant, in capitals, from the box.
        browser.goto(&format!("{base}/transactions")).await.expect("transactions page");
        let merchant = cells(browser.source().await.expect("html"), "Merchant").into_iter().next().expect("a row");
        let piece: String = merchant.chars().take(5).collect::<String>().to_uppercase();
        browser.find(Locator::Id("q")).await.expect("the search box").send_keys(&piece).await.expect("typed");
        browser.find(Locator::Css("form[action='/transactions'] button[type=submit]")).await.expect("Apply").click().await.expect("clicked");
        wait_for_url(&browser, "the search", |url| url.contains("q=")).await;
        browser.wait().for_element(Locator::Id("range")).await.expect("results");
        let found = cells(browser.source().await.expect("html"), "Merchant");
        assert!(!found.is_empty() && found.iter().all(|m| m.to_uppercase().contains(&piece)), "{piece}: {found:?}");
        let export = browser.find(Locator::Id("export-csv")).await.expect("Export").attr("href").await.expect("href").expect("an href");
        let export_query: Vec<(String, String)> = serde_urlencoded::from_str(export.split_once('?').map_or("", |(_, q)| q)).expect("a query");
        assert!(export_query.contains(&("q".to_owned(), piece.clone())), "the export keeps the search: {export}");
        save_for_docs(&browser, "transactions").await;

        // A phone: nothing scrolls sideways and the charts stay readable.
        browser.set_window_size(390, 844).await.expect("a phone's width");
        for (page, name, shown) in [("/dashboard", "dashboard-phone", "#insights-heading"), ("/transactions", "transactions-phone", ".summary")] {
            browser.goto(&format!("{base}{page}")).await.expect("the page");
            browser.wait().for_element(Locator::Css("h1")).await.expect("loaded");
            fits_the_width(&browser, page).await;
            evaluate(&browser, &format!("document.querySelector('{shown}').scrollIntoView(); return null;")).await;
            save_for_docs(&browser, name).await;
        }
        browser.set_window_size(1280, 1800).await.expect("a desktop's width");
        browser.goto(&format!("{base}/dashboard")).await.expect("dashboard");
        fits_the_width(&browser, "/dashboard").await;

        browser.goto(&format!("{base}/dashboard")).await.expect("dashboard");
        browser.find(Locator::LinkText("Disconnect")).await.expect("Disconnect").click().await.expect("clicked");
        browser.wait().for_element(Locator::Css("button.danger")).await.expect("the confirmation").click().await.expect("confirmed");
        browser.wait().for_element(Locator::Css("#accounts-heading")).await.expect("dashboard");
        let after = browser.source().await.expect("html");
        assert!(after.contains("Disconnected.") && after.contains("badge disconnected"));
        browser.close().await.expect("closed");
        let _ = std::fs::remove_dir_all(profile);
    }

    async fn a_hosted_link_session_in_a_browser_ends_at_the_completion_uri(app: TestApp) {
        let Some(driver) = start_driver() else { return };
        let plaid = crate::plaid_webhooks::client(&app, "browser-link@example.com").await;
        // Another origin than the page's, so the page must allow its form to lead there.
        let done = format!("{}/healthz?linked=1", app.address.replace("127.0.0.1", "localhost"));
        let created = plaid.ok("/link/token/create", json!({"client_name": "Budgeteer", "language": "en", "country_codes": ["US"],
            "user": {"client_user_id": "u-1"}, "products": ["transactions"], "hosted_link": {"completion_redirect_uri": done}})).await;
        let (browser, profile) = open_browser(&driver).await;

        browser.goto(created["hosted_link_url"].as_str().expect("hosted_link_url")).await.expect("the Link page");
        browser.wait().for_element(Locator::Css("button[value='wells-fargo']")).await.expect("the banks");
        assert!(browser.source().await.expect("html").contains("Connect your bank to Budgeteer"));
        save(&browser, "hosted-link").await;
        browser.find(Locator::Css("button[value='wells-fargo']")).await.expect("Wells Fargo").click().await.expect("clicked");
        browser.wait().for_element(Locator::Css("button[value=authorize]")).await.expect("the consent step");
        assert!(browser.source().await.expect("html").contains("Budgeteer is asking to read your Wells Fargo data"));
        browser.find(Locator::Css("button[value=authorize]")).await.expect("Authorize").click().await.expect("clicked");
        wait_for_url(&browser, "the completion URI", |url| url == done).await;

        let got = plaid.ok("/link/token/get", json!({"link_token": created["link_token"]})).await;
        let success = &got["link_sessions"][0]["on_success"];
        assert_eq!(success["metadata"]["institution"]["institution_id"], "ins_127991", "{got}");
        plaid.ok("/item/public_token/exchange", json!({"public_token": success["public_token"]})).await;
        browser.close().await.expect("closed");
        let _ = std::fs::remove_dir_all(profile);
    }
}
