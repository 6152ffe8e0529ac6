//! Conditional GETs of listings: a page carries its tag as `ETag` (with `Cache-Control:
//! private, no-cache`, so a client asks again each time), and a request whose `If-None-Match`
//! holds the page's current tag is answered `304 Not Modified` with no body.

use actix_web::HttpResponse;
use actix_web::http::header::{CacheControl, CacheDirective, ETag, EntityTag, IfNoneMatch};
use sandbank_services::use_cases::transactions::PageTag;

/// Whether `if_none_match` names `tag` (the weak comparison RFC 9110 asks for; `*` names any).
pub fn holds(if_none_match: Option<&IfNoneMatch>, tag: &PageTag) -> bool {
    match if_none_match {
        None => false,
        Some(IfNoneMatch::Any) => true,
        Some(IfNoneMatch::Items(held)) => {
            let current = entity_tag(tag);
            held.iter().any(|h| h.weak_eq(&current))
        }
    }
}

/// `304 Not Modified` for `tag`.
pub fn not_modified(tag: &PageTag) -> HttpResponse {
    tagged(HttpResponse::NotModified(), tag).finish()
}

/// A response builder carrying `tag` and the revalidate-every-time cache policy.
pub fn tagged(mut builder: actix_web::HttpResponseBuilder, tag: &PageTag) -> actix_web::HttpResponseBuilder {
    builder
        .insert_header(ETag(entity_tag(tag)))
        .insert_header(CacheControl(vec![CacheDirective::Private, CacheDirective::NoCache]));
    builder
}

fn entity_tag(tag: &PageTag) -> EntityTag {
    EntityTag::new_strong(tag.as_str().to_owned())
}
