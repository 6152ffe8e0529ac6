//! `ClientAddress`: who sent a request. The peer's address, unless the peer is a trusted proxy
//! (`SANDBANK_TRUSTED_PROXIES`); then the right-most address of `X-Forwarded-For` that is not
//! itself a trusted proxy.

use std::future::{Ready, ready};
use std::net::IpAddr;
use std::str::FromStr;

use actix_web::dev::Payload;
use actix_web::{FromRequest, HttpRequest, web};
use ipnet::IpNet;

use crate::error::ApiError;
use crate::state::AppState;

/// The networks whose requests may name the client in `X-Forwarded-For`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TrustedProxies(Vec<IpNet>);

impl TrustedProxies {
    /// Trusts these networks.
    pub fn new(networks: Vec<IpNet>) -> Self {
        Self(networks)
    }

    /// Whether `address` is inside a trusted network.
    pub fn trusts(&self, address: IpAddr) -> bool {
        self.0.iter().any(|network| network.contains(&address))
    }

    /// The client behind `peer`, given the `X-Forwarded-For` values in the order received.
    pub fn client(&self, peer: IpAddr, forwarded_for: &[&str]) -> IpAddr {
        let mut client = peer;
        let hops = forwarded_for.iter().flat_map(|value| value.split(',')).collect::<Vec<_>>();
        for hop in hops.iter().rev() {
            if !self.trusts(client) {
                break;
            }
            match IpAddr::from_str(hop.trim()) {
                Ok(address) => client = address,
                Err(_) => break,
            }
        }
        client
    }
}

impl FromStr for TrustedProxies {
    type Err = String;

    /// Comma-separated networks (`10.0.0.0/8`) or single addresses (`127.0.0.1`).
    fn from_str(text: &str) -> Result<Self, String> {
        let network = |item: &str| {
            IpNet::from_str(item)
                .or_else(|_| IpAddr::from_str(item).map(IpNet::from))
                .map_err(|_| format!("not a network or address: {item:?}"))
        };
        text.split(',').map(str::trim).filter(|item| !item.is_empty()).map(network).collect::<Result<_, _>>().map(Self)
    }
}

/// The address a request came from (see the module's documentation).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddress(pub IpAddr);

impl FromRequest for ClientAddress {
    type Error = ApiError;
    type Future = Ready<Result<Self, ApiError>>;

    fn from_request(req: &HttpRequest, _: &mut Payload) -> Self::Future {
        let Some(peer) = req.peer_addr().map(|socket| socket.ip()) else {
            return ready(Err(ApiError::internal()));
        };
        let Some(state) = req.app_data::<web::Data<AppState>>() else {
            return ready(Err(ApiError::internal()));
        };
        let forwarded_for =
            req.headers().get_all("x-forwarded-for").filter_map(|value| value.to_str().ok()).collect::<Vec<_>>();
        ready(Ok(Self(state.trusted_proxies.client(peer, &forwarded_for))))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("address")
    }

    #[test]
    fn forwarded_for_counts_only_behind_a_trusted_proxy() {
        let none = TrustedProxies::default();
        assert_eq!(none.client(ip("127.0.0.1"), &["203.0.113.9"]), ip("127.0.0.1"));
        let proxies: TrustedProxies = "127.0.0.1, 10.0.0.0/8".parse().expect("parsed");
        assert_eq!(proxies.client(ip("127.0.0.1"), &[]), ip("127.0.0.1"));
        assert_eq!(proxies.client(ip("192.0.2.1"), &["203.0.113.9"]), ip("192.0.2.1"));
        // The right-most untrusted hop: what the client wrote on the left is not believed.
        assert_eq!(proxies.client(ip("127.0.0.1"), &["6.6.6.6, 203.0.113.9", "10.1.2.3"]), ip("203.0.113.9"));
        assert_eq!(proxies.client(ip("127.0.0.1"), &["junk, 10.1.2.3"]), ip("10.1.2.3"));
        assert!("10.0.0.0/33".parse::<TrustedProxies>().is_err());
        assert_eq!("".parse::<TrustedProxies>(), Ok(TrustedProxies::default()));
    }
}
