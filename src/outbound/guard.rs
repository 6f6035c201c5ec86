//! The SSRF guard: which addresses Baton refuses to call, the allow-list that lets an admin reach
//! one on purpose, and the resolvers that turn a host name into the addresses that are checked.
//!
//! An address is refused when it is not a public unicast address: loopback, private (RFC 1918),
//! shared (CGN, 100.64/10), link-local (169.254/16, fe80::/10, so the cloud metadata service
//! 169.254.169.254 too), unique local (fc00::/7), multicast, unspecified, broadcast,
//! documentation, benchmarking and the other reserved ranges. IPv6 forms that carry an IPv4
//! address (IPv4-mapped `::ffff:a.b.c.d`, IPv4-compatible `::a.b.c.d`, NAT64, 6to4) are judged by
//! that IPv4 address or refused outright. IP literals in any notation (`2130706433`,
//! `0177.0.0.1`, `0x7f.1`, `127.1`) are read as the address they denote before they are judged.

use std::fmt;
use std::future::Future;
use std::io;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::pin::Pin;
use std::str::FromStr;

/// One allow-list entry: a host name (matched exactly, case-insensitively, trailing dot ignored;
/// every address it resolves to is allowed) or a network (`10.0.0.0/8`, `192.168.1.20`, `::1`).
#[derive(Clone, PartialEq, Eq)]
pub enum Allow {
    Host(String),
    Net(Cidr),
}

impl Allow {
    /// Loopback, IPv4 and IPv6: where Ollama and llama.cpp listen.
    pub fn loopback() -> Vec<Allow> {
        vec![
            Allow::Net(Cidr::new(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 0)), 8).expect("prefix")),
            Allow::Net(Cidr::new(IpAddr::V6(Ipv6Addr::LOCALHOST), 128).expect("prefix")),
        ]
    }

    /// A comma- or whitespace-separated list; the first invalid entry is the error.
    pub fn parse_list(text: &str) -> Result<Vec<Allow>, String> {
        text.split(|c: char| c == ',' || c.is_whitespace())
            .filter(|s| !s.is_empty())
            .map(str::parse)
            .collect()
    }
}

impl fmt::Debug for Allow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Allow::Host(h) => write!(f, "{h}"),
            Allow::Net(n) => write!(f, "{n}"),
        }
    }
}

impl FromStr for Allow {
    type Err = String;

    fn from_str(s: &str) -> Result<Allow, String> {
        let s = s.trim();
        if s.is_empty() {
            return Err("an empty allow-list entry".into());
        }
        if s.contains('/') {
            return s.parse().map(Allow::Net);
        }
        if let Ok(ip) = s.parse::<IpAddr>() {
            return Ok(Allow::Net(Cidr::host(ip)));
        }
        match url::Host::parse(s) {
            Ok(url::Host::Ipv4(ip)) => Ok(Allow::Net(Cidr::host(IpAddr::V4(ip)))),
            Ok(url::Host::Ipv6(ip)) => Ok(Allow::Net(Cidr::host(IpAddr::V6(ip)))),
            Ok(url::Host::Domain(d))
                if d.chars()
                    .all(|c| c.is_ascii_alphanumeric() || "-._".contains(c)) =>
            {
                Ok(Allow::Host(normalize_host(&d)))
            }
            _ => Err(format!("{s:?} is neither a host name nor an address")),
        }
    }
}

/// An IP network: an address and a prefix length.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    addr: IpAddr,
    prefix: u8,
}

impl Cidr {
    pub fn new(addr: IpAddr, prefix: u8) -> Option<Cidr> {
        let max = if addr.is_ipv4() { 32 } else { 128 };
        (prefix <= max).then_some(Cidr { addr, prefix })
    }

    pub fn host(addr: IpAddr) -> Cidr {
        Cidr {
            addr,
            prefix: if addr.is_ipv4() { 32 } else { 128 },
        }
    }

    /// Whether `ip` is in this network; an IPv4-mapped IPv6 address counts as its IPv4 address.
    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, canonical(ip)) {
            (IpAddr::V4(net), IpAddr::V4(ip)) => prefix_eq(
                u128::from(u32::from(net)) << 96,
                u128::from(u32::from(ip)) << 96,
                self.prefix,
            ),
            (IpAddr::V6(net), IpAddr::V6(ip)) => {
                prefix_eq(u128::from(net), u128::from(ip), self.prefix)
            }
            _ => false,
        }
    }
}

fn prefix_eq(a: u128, b: u128, prefix: u8) -> bool {
    match prefix {
        0 => true,
        p if p >= 128 => a == b,
        p => (a ^ b) >> (128 - u32::from(p)) == 0,
    }
}

impl fmt::Display for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.addr, self.prefix)
    }
}

impl fmt::Debug for Cidr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(s: &str) -> Result<Cidr, String> {
        let invalid = || format!("{s:?} is not a network like 10.0.0.0/8 or fd00::/8");
        let (addr, prefix) = s.trim().split_once('/').ok_or_else(invalid)?;
        let addr: IpAddr = addr.parse().map_err(|_| invalid())?;
        let prefix: u8 = prefix.parse().map_err(|_| invalid())?;
        Cidr::new(addr, prefix).ok_or_else(invalid)
    }
}

/// `::ffff:a.b.c.d` is `a.b.c.d`; every other address is itself.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

/// Lower case, without a trailing dot.
pub(crate) fn normalize_host(host: &str) -> String {
    host.trim_end_matches('.').to_ascii_lowercase()
}

/// Why `ip` is refused (e.g. "loopback"), or `None` for a public unicast address.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b, c) {
        (0, _, _) => "unspecified (0.0.0.0/8)",
        (10, _, _) => "private (RFC 1918)",
        (100, 64..=127, _) => "shared (carrier-grade NAT, 100.64.0.0/10)",
        (127, _, _) => "loopback",
        (169, 254, _) => "link-local (169.254.0.0/16, cloud metadata)",
        (172, 16..=31, _) => "private (RFC 1918)",
        (192, 0, 0) => "reserved (IETF protocol assignments)",
        (192, 0, 2) | (198, 51, 100) | (203, 0, 113) => "documentation",
        (192, 88, 99) => "reserved (6to4 relay anycast)",
        (192, 168, _) => "private (RFC 1918)",
        (198, 18..=19, _) => "reserved (benchmarking)",
        (224..=239, _, _) => "multicast",
        (240..=255, _, _) => "reserved (240.0.0.0/4, broadcast)",
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    let seg = ip.segments();
    let bits = u128::from(ip);
    let v4_at = |shift: u32| Ipv4Addr::from(((bits >> shift) & 0xffff_ffff) as u32);
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    if let Some(v4) = ip.to_ipv4_mapped() {
        return forbidden_v4(v4);
    }
    // ::a.b.c.d, deprecated and routed unpredictably: refused whatever it embeds.
    if bits >> 32 == 0 {
        return Some("IPv4-compatible IPv6 (deprecated)");
    }
    match seg[0] {
        // NAT64 (64:ff9b::/96) reaches the IPv4 address it embeds.
        0x0064 if seg[1] == 0xff9b && seg[2..6] == [0, 0, 0, 0] => forbidden_v4(v4_at(0)),
        0x0064 if seg[1] == 0xff9b && seg[2] == 1 => Some("reserved (local-use NAT64)"),
        0x0100 if seg[1..4] == [0, 0, 0] => Some("reserved (discard-only)"),
        // 2001::/23: Teredo, benchmarking, ORCHID and other IETF assignments.
        0x2001 if seg[1] < 0x0200 => Some("reserved (IETF protocol assignments, Teredo)"),
        0x2001 if seg[1] == 0x0db8 => Some("documentation"),
        // 6to4 reaches the IPv4 address in bits 16..48.
        0x2002 => forbidden_v4(v4_at(80)),
        0x3fff if seg[1] < 0x1000 => Some("documentation"),
        0x5f00 => Some("reserved (SRv6)"),
        s if s & 0xfe00 == 0xfc00 => Some("unique local (fc00::/7)"),
        s if s & 0xffc0 == 0xfe80 => Some("link-local"),
        s if s & 0xffc0 == 0xfec0 => Some("site-local (deprecated)"),
        s if s & 0xff00 == 0xff00 => Some("multicast"),
        // Only 2000::/3 is global unicast.
        s if s & 0xe000 != 0x2000 => Some("reserved"),
        _ => None,
    }
}

/// Turns a host name into addresses. The real one asks the system ([`SystemResolver`]); tests
/// plug in a fixed map.
pub trait Resolver: Send + Sync + 'static {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send + 'a>>;
}

/// The system resolver, through `tokio::net::lookup_host`.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemResolver;

impl Resolver for SystemResolver {
    fn lookup<'a>(
        &'a self,
        host: &'a str,
    ) -> Pin<Box<dyn Future<Output = io::Result<Vec<IpAddr>>> + Send + 'a>> {
        Box::pin(async move {
            let addrs = tokio::net::lookup_host((host, 0)).await?;
            let mut ips: Vec<IpAddr> = Vec::new();
            for addr in addrs {
                if !ips.contains(&addr.ip()) {
                    ips.push(addr.ip());
                }
            }
            Ok(ips)
        })
    }
}

/// Whether the allow-list lets `host` (already normalized) at `ip` through.
pub(crate) fn allowed(allow: &[Allow], host: Option<&str>, ip: IpAddr) -> bool {
    allow.iter().any(|a| match a {
        Allow::Host(h) => host.is_some_and(|host| host == h),
        Allow::Net(n) => n.contains(ip),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().expect(s)
    }

    #[test]
    fn refuses_every_non_public_range() {
        for (addr, kind) in [
            ("127.0.0.1", "loopback"),
            ("127.255.255.254", "loopback"),
            ("10.0.0.1", "private"),
            ("10.255.255.255", "private"),
            ("172.16.0.1", "private"),
            ("172.31.255.255", "private"),
            ("192.168.1.1", "private"),
            ("100.64.0.1", "shared"),
            ("100.127.255.255", "shared"),
            ("169.254.169.254", "link-local"),
            ("169.254.0.1", "link-local"),
            ("0.0.0.0", "unspecified"),
            ("0.1.2.3", "unspecified"),
            ("224.0.0.1", "multicast"),
            ("239.255.255.250", "multicast"),
            ("192.0.2.10", "documentation"),
            ("198.51.100.7", "documentation"),
            ("203.0.113.99", "documentation"),
            ("240.0.0.1", "reserved"),
            ("255.255.255.255", "reserved"),
            ("198.18.0.1", "benchmarking"),
            ("192.0.0.8", "reserved"),
            ("::1", "loopback"),
            ("::", "unspecified"),
            ("fc00::1", "unique local"),
            ("fd12:3456::1", "unique local"),
            ("fe80::1", "link-local"),
            ("ff02::1", "multicast"),
            ("ff0e::1", "multicast"),
            ("2001:db8::1", "documentation"),
            ("3fff::1", "documentation"),
            ("::ffff:127.0.0.1", "loopback"),
            ("::ffff:10.1.2.3", "private"),
            ("::ffff:169.254.169.254", "link-local"),
            ("::127.0.0.1", "IPv4-compatible"),
            ("::8.8.8.8", "IPv4-compatible"),
            ("64:ff9b::7f00:1", "loopback"),
            ("64:ff9b::a00:1", "private"),
            ("2002:7f00:1::", "loopback"),
            ("2002:a9fe:a9fe::1", "link-local"),
            ("2001::1", "Teredo"),
            ("100::1", "discard"),
            ("fec0::1", "site-local"),
            ("4000::1", "reserved"),
        ] {
            let got = forbidden(ip(addr));
            assert!(
                got.is_some_and(|g| g.contains(kind)),
                "{addr}: expected {kind}, got {got:?}"
            );
        }
    }

    #[test]
    fn allows_public_addresses() {
        for addr in [
            "8.8.8.8",
            "1.1.1.1",
            "93.184.215.14",
            "172.32.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700:4700::1111",
            "2a00:1450:4007:80e::200e",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ] {
            assert_eq!(forbidden(ip(addr)), None, "{addr}");
        }
    }

    #[test]
    fn literals_in_any_notation_denote_the_address() {
        // What the URL parser (WHATWG rules) makes of them, and so what the guard judges.
        for (raw, want) in [
            ("http://2130706433/", "127.0.0.1"),
            ("http://0177.0.0.1/", "127.0.0.1"),
            ("http://0x7f.0.0.1/", "127.0.0.1"),
            ("http://0x7f000001/", "127.0.0.1"),
            ("http://127.1/", "127.0.0.1"),
            ("http://0/", "0.0.0.0"),
            ("http://017700000001/", "127.0.0.1"),
            ("http://10.1/", "10.0.0.1"),
            ("http://[::ffff:7f00:1]/", "::ffff:127.0.0.1"),
        ] {
            let url = url::Url::parse(raw).expect(raw);
            let host = match url.host() {
                Some(url::Host::Ipv4(v4)) => IpAddr::V4(v4),
                Some(url::Host::Ipv6(v6)) => IpAddr::V6(v6),
                other => panic!("{raw}: not a literal: {other:?}"),
            };
            assert_eq!(host, ip(want), "{raw}");
            assert!(forbidden(host).is_some(), "{raw}");
        }
    }

    #[test]
    fn allow_list_entries() {
        let allow =
            Allow::parse_list("10.0.0.0/8, ollama.LAN. 192.168.1.20 [fd00::1] ::1").unwrap();
        assert_eq!(allow.len(), 5);
        assert!(allowed(&allow, None, ip("10.9.8.7")));
        assert!(allowed(&allow, None, ip("::ffff:10.9.8.7")));
        assert!(!allowed(&allow, None, ip("11.0.0.1")));
        assert!(allowed(&allow, None, ip("192.168.1.20")));
        assert!(!allowed(&allow, None, ip("192.168.1.21")));
        assert!(allowed(&allow, None, ip("fd00::1")));
        assert!(!allowed(&allow, None, ip("fd00::2")));
        assert!(allowed(&allow, Some("ollama.lan"), ip("192.168.7.7")));
        assert!(!allowed(&allow, Some("other.lan"), ip("192.168.7.7")));
        assert!(Allow::parse_list("10.0.0.0/33").is_err());
        assert!(Allow::parse_list("fd00::/129").is_err());
        assert!(Allow::parse_list("not a host!").is_err());
        let loopback = Allow::loopback();
        assert!(allowed(&loopback, None, ip("127.0.0.1")));
        assert!(allowed(&loopback, None, ip("127.8.9.10")));
        assert!(allowed(&loopback, None, ip("::1")));
        assert!(!allowed(&loopback, None, ip("10.0.0.1")));
        assert!(Cidr::new(ip("0.0.0.0"), 0).unwrap().contains(ip("8.8.8.8")));
    }
}
