//! `GuardedIo`: the connection under actix's HTTP/1 codec. The codec answers a request it cannot
//! parse itself — a URL over 64 KB (400), a head over 128 KB (431), a head that does not arrive in
//! time (408) — with an empty response that never reaches the app. This wrapper recognises those
//! answers as they are written (an error status without the `X-Request-Id` every app response
//! carries) and writes the contract's JSON error in their place: 414 when the request line was
//! too long.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll, ready};

use actix_web::body::MessageBody;
use actix_web::http::StatusCode;
use actix_web::rt::net::TcpStream;
use bytes::{Buf, Bytes};
use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};

use super::MAX_URI_BYTES;
use crate::error::{ApiError, EdgeError};

/// The length of the line that starts a request (counted from the last response written).
#[derive(Debug, Default)]
struct RequestLine {
    done: bool,
    len: usize,
}

impl RequestLine {
    fn observe(&mut self, bytes: &[u8]) {
        if self.done {
            return;
        }
        match bytes.iter().position(|b| *b == b'\n') {
            Some(end) => {
                self.len += end;
                self.done = true;
            }
            None => self.len += bytes.len(),
        }
    }
}

/// A connection whose codec-made error answers become the contract's JSON errors.
#[derive(Debug)]
pub struct GuardedIo<T = TcpStream> {
    inner: T,
    request_line: RequestLine,
    /// The JSON answer still to be written.
    replacement: Bytes,
    /// How many bytes of the codec's answer to report written once `replacement` is out.
    owed: Option<usize>,
}

impl<T> GuardedIo<T> {
    /// Wraps a freshly accepted connection.
    pub fn new(inner: T) -> Self {
        Self { inner, request_line: RequestLine::default(), replacement: Bytes::new(), owed: None }
    }
}

/// The status and head length of an answer the codec made itself, if `buf` starts with one.
fn codec_answer(buf: &[u8]) -> Option<(StatusCode, usize)> {
    let rest = buf.strip_prefix(b"HTTP/1.1 ").or_else(|| buf.strip_prefix(b"HTTP/1.0 "))?;
    let status = StatusCode::from_bytes(rest.get(..3)?).ok()?;
    if ![StatusCode::BAD_REQUEST, StatusCode::REQUEST_TIMEOUT, StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE]
        .contains(&status)
    {
        return None;
    }
    let head_len = buf.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = String::from_utf8_lossy(&buf[..head_len]).to_ascii_lowercase();
    let ours = head.contains("\r\nx-request-id:") || !head.contains("\r\ncontent-length: 0\r\n");
    (!ours).then_some((status, head_len))
}

/// What the codec's answer meant, given the length of the request line.
fn edge_error(status: StatusCode, request_line_len: usize) -> EdgeError {
    match status {
        StatusCode::REQUEST_TIMEOUT => EdgeError::RequestTimeout,
        _ if request_line_len > MAX_URI_BYTES => EdgeError::UriTooLong,
        StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE => EdgeError::HeadTooLarge,
        _ => EdgeError::MalformedRequest,
    }
}

/// The whole JSON answer for `error`, closing the connection.
fn json_answer(error: EdgeError) -> Bytes {
    let request_id = uuid::Uuid::new_v4().to_string();
    let error = ApiError::from(error);
    let status = error.status();
    let body = error.render(Some(&request_id)).into_body().try_into_bytes().unwrap_or_default();
    tracing::info!(%request_id, status = status.as_u16(), "request refused before routing");
    let head = format!(
        "HTTP/1.1 {} {}\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\
         x-request-id: {request_id}\r\n\r\n",
        status.as_u16(),
        status.canonical_reason().unwrap_or_default(),
        body.len()
    );
    [Bytes::from(head), body].concat().into()
}

impl<T: AsyncWrite + Unpin> GuardedIo<T> {
    /// Writes out what is left of the replacement.
    fn poll_replacement(&mut self, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        while !self.replacement.is_empty() {
            let written = ready!(Pin::new(&mut self.inner).poll_write(cx, &self.replacement))?;
            if written == 0 {
                return Poll::Ready(Err(io::ErrorKind::WriteZero.into()));
            }
            self.replacement.advance(written);
        }
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncRead + Unpin> AsyncRead for GuardedIo<T> {
    fn poll_read(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &mut ReadBuf<'_>) -> Poll<io::Result<()>> {
        let before = buf.filled().len();
        ready!(Pin::new(&mut self.inner).poll_read(cx, buf))?;
        self.request_line.observe(&buf.filled()[before..]);
        Poll::Ready(Ok(()))
    }
}

impl<T: AsyncWrite + Unpin> AsyncWrite for GuardedIo<T> {
    fn poll_write(mut self: Pin<&mut Self>, cx: &mut Context<'_>, buf: &[u8]) -> Poll<io::Result<usize>> {
        let this = &mut *self;
        if this.owed.is_none()
            && let Some((status, head_len)) = codec_answer(buf)
        {
            this.replacement = json_answer(edge_error(status, this.request_line.len));
            this.owed = Some(head_len);
        }
        ready!(this.poll_replacement(cx))?;
        if let Some(owed) = this.owed.take() {
            return Poll::Ready(Ok(owed));
        }
        this.request_line = RequestLine::default();
        Pin::new(&mut this.inner).poll_write(cx, buf)
    }

    fn poll_flush(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.inner).poll_flush(cx)
    }

    fn poll_shutdown(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        ready!(self.poll_replacement(cx))?;
        Pin::new(&mut self.inner).poll_shutdown(cx)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognises_only_the_codecs_own_error_answers() {
        let codec = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\ndate: x\r\n\r\n";
        assert_eq!(codec_answer(codec), Some((StatusCode::BAD_REQUEST, codec.len())));
        let too_large = b"HTTP/1.1 431 Request Header Fields Too Large\r\ncontent-length: 0\r\n\r\nmore";
        assert_eq!(codec_answer(too_large), Some((StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, too_large.len() - 4)));
        let ours = b"HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nx-request-id: r\r\n\r\n";
        assert_eq!(codec_answer(ours), None);
        assert_eq!(codec_answer(b"HTTP/1.1 400 Bad Request\r\ncontent-length: 12\r\n\r\n"), None);
        assert_eq!(codec_answer(b"HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n"), None);
        assert_eq!(codec_answer(b"HTTP/1.1 400 Bad Request\r\ncontent-len"), None);
    }

    #[test]
    fn a_long_request_line_is_a_414() {
        assert_eq!(edge_error(StatusCode::BAD_REQUEST, MAX_URI_BYTES + 1), EdgeError::UriTooLong);
        assert_eq!(edge_error(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, 200_000), EdgeError::UriTooLong);
        assert_eq!(edge_error(StatusCode::REQUEST_HEADER_FIELDS_TOO_LARGE, 30), EdgeError::HeadTooLarge);
        assert_eq!(edge_error(StatusCode::BAD_REQUEST, 30), EdgeError::MalformedRequest);
        assert_eq!(edge_error(StatusCode::REQUEST_TIMEOUT, 200_000), EdgeError::RequestTimeout);
    }

    #[test]
    fn measures_the_request_line_across_reads() {
        let mut line = RequestLine::default();
        line.observe(b"GET /aaaa");
        line.observe(b"aaaa HTTP/1.1\r\nHost: x\r\n");
        line.observe(b"more stuff without end");
        assert_eq!(line.len, "GET /aaaaaaaa HTTP/1.1\r".len());
    }

    #[test]
    fn the_json_answer_is_a_whole_response() {
        let answer = json_answer(EdgeError::UriTooLong);
        let text = String::from_utf8_lossy(&answer);
        let (head, body) = text.split_once("\r\n\r\n").expect("a head");
        assert!(head.starts_with("HTTP/1.1 414 URI Too Long\r\n"), "{head}");
        assert!(head.contains(&format!("content-length: {}\r\n", body.len())), "{head}");
        let json: serde_json::Value = serde_json::from_str(body).expect("JSON");
        assert_eq!(json["error"]["code"], "uri_too_long");
        let id = head.split("x-request-id: ").nth(1).expect("an id");
        assert_eq!(json["error"]["requestId"], id);
    }
}
