use chrono::TimeZone;

use super::*;

fn at() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 12, 2, 12, 0, 0).single().expect("valid")
}

fn json(event: &WebhookEvent) -> serde_json::Value {
    serde_json::to_value(event).expect("serializes")
}

#[test]
fn the_body_is_id_type_created_at_connection_id_and_data() {
    let connection = ConnectionId::new();
    let event = WebhookEvent::new(connection, at(), EventData::UpdatesAvailable { added: 3, modified: 1, removed: 0 });
    assert_eq!(
        json(&event),
        serde_json::json!({
            "id": event.id.to_string(),
            "type": "transactions.updates_available",
            "createdAt": "2026-12-02T12:00:00Z",
            "connectionId": connection.to_string(),
            "data": {"added": 3, "modified": 1, "removed": 0},
        })
    );
}

#[test]
fn status_changed_carries_from_to_and_the_problem_or_null() {
    let problem = ConnectionProblem { code: "provider_unavailable".into(), message: "Chase is down".into() };
    let data = EventData::StatusChanged {
        from: ConnectionStatus::Connected,
        to: ConnectionStatus::Error,
        error: Some(EventProblem::from(&problem)),
    };
    let event = WebhookEvent::new(ConnectionId::new(), at(), data);
    assert_eq!(event.event_type(), WebhookEventType::StatusChanged);
    assert_eq!(
        json(&event)["data"],
        serde_json::json!({"from": "connected", "to": "error", "error": {"code": "provider_unavailable", "message": "Chase is down"}})
    );
    let back = EventData::StatusChanged { from: ConnectionStatus::Error, to: ConnectionStatus::Connected, error: None };
    let event = WebhookEvent::new(ConnectionId::new(), at(), back);
    assert_eq!(json(&event)["data"], serde_json::json!({"from": "error", "to": "connected", "error": null}));
}

#[test]
fn a_test_event_has_empty_data() {
    let event = WebhookEvent::new(ConnectionId::new(), at(), EventData::Test {});
    assert_eq!(json(&event)["type"], "connection.test");
    assert_eq!(json(&event)["data"], serde_json::json!({}));
}

#[test]
fn a_refused_attempt_retries_with_backoff_until_the_last_then_fails() {
    let policy = webhook_retry_policy(TimeDelta::seconds(30), 3);
    let refused = || AttemptResult::Refused { status_code: Some(500), error: "HTTP 500".into() };
    let first = AttemptOutcome::after(&policy, 1, refused(), at(), 0.999_999);
    assert_eq!(first.status, DeliveryStatus::Retrying);
    assert_eq!(first.next_attempt_at, Some(at() + TimeDelta::seconds(30)));
    let second = AttemptOutcome::after(&policy, 2, refused(), at(), 0.0);
    assert_eq!(second.next_attempt_at, Some(at() + TimeDelta::seconds(30)), "60 s halved by the lowest jitter");
    let last = AttemptOutcome::after(&policy, 3, refused(), at(), 0.5);
    assert_eq!((last.status, last.next_attempt_at, last.status_code), (DeliveryStatus::Failed, None, Some(500)));
    assert_eq!(last.attempts, 3);
}

#[test]
fn delays_grow_to_an_hour_at_most() {
    let policy = webhook_retry_policy(DEFAULT_WEBHOOK_RETRY_BASE, DEFAULT_WEBHOOK_ATTEMPTS);
    let delays: Vec<i64> = (1..=8).map(|n| policy.delay(n, 1.0).num_seconds()).collect();
    assert_eq!(delays, [30, 60, 120, 240, 480, 960, 1920, 3600]);
    assert!(policy.allows_retry(7) && !policy.allows_retry(8));
}

#[test]
fn a_delivered_attempt_succeeds_and_errors_are_bounded() {
    let policy = webhook_retry_policy(TimeDelta::seconds(1), 8);
    let done = AttemptOutcome::after(&policy, 4, AttemptResult::Delivered { status_code: 204 }, at(), 0.3);
    assert_eq!(
        (done.status, done.attempts, done.status_code, done.error),
        (DeliveryStatus::Succeeded, 4, Some(204), None)
    );
    let long = AttemptResult::Refused { status_code: None, error: "é".repeat(2_000) };
    let failed = AttemptOutcome::after(&policy, 1, long, at(), 0.3);
    assert_eq!(failed.error.map(|e| e.chars().count()), Some(MAX_DELIVERY_ERROR_CHARS));
    assert!(DeliveryStatus::Pending.is_open() && DeliveryStatus::Retrying.is_open());
    assert!(!DeliveryStatus::Succeeded.is_open() && !DeliveryStatus::Failed.is_open());
}
