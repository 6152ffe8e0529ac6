//! The HTTP server: actix's HTTP/1 service over [`GuardedIo`] connections, configured as
//! `HttpServer` would be (which cannot wrap the connection).

use std::fmt;
use std::net::TcpListener;
use std::time::Duration;

use actix_http::{HttpService, Protocol, Request, Response};
use actix_server::Server;
use actix_service::{IntoServiceFactory, Service, ServiceFactory, ServiceFactoryExt, fn_service, map_config};
use actix_web::body::MessageBody;
use actix_web::dev::AppConfig;
use actix_web::rt::net::TcpStream;

use super::connection::GuardedIo;

/// How long a client may take to send a request's head (as `HttpServer`).
const CLIENT_REQUEST_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a closing connection may take to shut down (as `HttpServer`).
const CLIENT_DISCONNECT_TIMEOUT: Duration = Duration::from_secs(1);

/// Serves the apps `factory` makes on `listener` with `workers` threads (0: one per core). The
/// apps get actix's default `AppConfig` (a request with no `Host` header is taken as for
/// `localhost:8080`); timeouts and keep-alive are `HttpServer`'s.
pub fn serve<F, I, S, B>(listener: TcpListener, workers: usize, factory: F) -> std::io::Result<Server>
where
    F: Fn() -> I + Send + Clone + 'static,
    I: IntoServiceFactory<S, Request>,
    S: ServiceFactory<Request, Config = AppConfig> + 'static,
    S::Error: Into<actix_web::Error> + 'static,
    S::InitError: fmt::Debug,
    S::Response: Into<Response<B>> + 'static,
    <S::Service as Service<Request>>::Future: 'static,
    S::Service: 'static,
    B: MessageBody + 'static,
{
    let mut builder = Server::build();
    if workers > 0 {
        builder = builder.workers(workers);
    }
    let name = format!("sandbank-{}", listener.local_addr()?);
    let builder = builder.listen(name, listener, move || {
        let app = factory().into_factory().map_err(|error| error.into().error_response());
        let http = HttpService::build()
            .client_request_timeout(CLIENT_REQUEST_TIMEOUT)
            .client_disconnect_timeout(CLIENT_DISCONNECT_TIMEOUT)
            .h1_allow_half_closed(true)
            .finish(map_config(app, |_| AppConfig::default()));
        fn_service(|stream: TcpStream| async move {
            let peer = stream.peer_addr().ok();
            Ok::<_, actix_http::error::DispatchError>((GuardedIo::new(stream), Protocol::Http1, peer))
        })
        .and_then(http)
    })?;
    Ok(builder.run())
}
