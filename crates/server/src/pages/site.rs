//! What the site answers beside its pages: the favicon, the Swagger UI address without its
//! slash, and the 404 for a path nothing answers (a page for browsers, JSON for the rest).

use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};

use crate::error::ApiError;
use crate::pages::view::Nav;
use crate::pages::{MessagePage, html};

/// Registers the Swagger UI redirect, the favicon and the stylesheet.
pub fn routes(cfg: &mut web::ServiceConfig) {
    cfg.route("/swagger-ui", web::get().to(swagger_ui_slash))
        .route("/favicon.ico", web::get().to(favicon))
        .route("/static/sandbank.css", web::get().to(stylesheet));
}

/// `GET /favicon.ico`: the Sandbank mark, an SVG.
pub async fn favicon() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "image/svg+xml"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=86400"))
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .body(include_str!("../../static/favicon.svg"))
}

/// `GET /static/sandbank.css`: the stylesheet, served by the binary.
pub async fn stylesheet() -> HttpResponse {
    HttpResponse::Ok()
        .insert_header((header::CONTENT_TYPE, "text/css; charset=utf-8"))
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(include_str!("../../static/sandbank.css"))
}

/// `GET /swagger-ui`: a permanent redirect to `/swagger-ui/`.
pub async fn swagger_ui_slash() -> HttpResponse {
    HttpResponse::PermanentRedirect().insert_header((header::LOCATION, "/swagger-ui/")).finish()
}

/// Whether the request is a browser's for a page (it accepts HTML and is not for the API).
fn wants_page(req: &HttpRequest) -> bool {
    let accepts_html = req
        .headers()
        .get_all(header::ACCEPT)
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.split(',').any(|kind| kind.split(';').next().is_some_and(|k| k.trim() == "text/html")));
    accepts_html && !req.path().starts_with("/api/")
}

/// The answer for a path nothing answers: an HTML 404 page for a browser, the JSON 404 otherwise.
pub async fn not_found(req: HttpRequest) -> Result<HttpResponse, ApiError> {
    if !wants_page(&req) {
        return Err(ApiError::route_not_found());
    }
    let page = MessagePage {
        nav: Nav::default(),
        title: "Not found".into(),
        message: "There is no page at this address.".into(),
        link_href: "/".into(),
        link_text: "Go to the start page".into(),
    };
    Ok(html(StatusCode::NOT_FOUND, &page))
}

#[cfg(test)]
mod tests {
    use super::*;
    use actix_web::test::TestRequest;

    #[test]
    fn only_browsers_asking_for_a_page_get_html() {
        let browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8";
        let wants = |path: &str, accept: Option<&str>| {
            let mut request = TestRequest::get().uri(path);
            if let Some(accept) = accept {
                request = request.insert_header((header::ACCEPT, accept));
            }
            wants_page(&request.to_http_request())
        };
        assert!(wants("/nowhere", Some(browser)));
        assert!(wants("/nowhere", Some("text/html")));
        assert!(!wants("/api/nowhere", Some(browser)));
        assert!(!wants("/nowhere", Some("application/json")));
        assert!(!wants("/nowhere", Some("*/*")));
        assert!(!wants("/nowhere", Some("text/htmlx")));
        assert!(!wants("/nowhere", None));
    }
}
