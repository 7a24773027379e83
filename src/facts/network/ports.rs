//! The sensitive ports, in one place: what each serves and over which transport, so a UDP
//! rule on port 22 is not SSH and a TCP rule on 137 is not NetBIOS name service. The values
//! rules are written with (ports, port lists and ranges, protocols) are read here too, as
//! every cloud spells them alike.

use serde_json::Value;

/// Which transport a rule lets through, or a port is served over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
    /// Both, or a protocol that is not known (an unresolved value): a port rule may reach
    /// either.
    Any,
}

impl Transport {
    /// Whether a rule letting `self` through reaches a port served over `served`.
    pub fn reaches(self, served: Transport) -> bool {
        self == Transport::Any || served == Transport::Any || self == served
    }
}

/// The ports `network.admin-ports` holds unless `.doublecheck.yml` says otherwise, with
/// what they serve (for messages) and over which transport: remote administration, file
/// sharing, databases and caches. DNS is not among them: an authoritative name server must
/// answer the whole internet on 53, and the configuration cannot tell it from a resolver.
/// The policies and documentation that list them say the same (see the tests).
pub const DEFAULT_ADMIN_PORTS: &[(u16, &str, Transport)] = &[
    (22, "SSH", Transport::Tcp),
    (23, "Telnet", Transport::Tcp),
    (3389, "RDP", Transport::Any),
    (5900, "VNC", Transport::Tcp),
    (5985, "WinRM", Transport::Tcp),
    (5986, "WinRM over HTTPS", Transport::Tcp),
    (20, "FTP data", Transport::Tcp),
    (21, "FTP", Transport::Tcp),
    (135, "Windows RPC", Transport::Any),
    (137, "NetBIOS name service", Transport::Udp),
    (138, "NetBIOS datagrams", Transport::Udp),
    (139, "NetBIOS sessions", Transport::Tcp),
    (445, "SMB", Transport::Tcp),
    (2049, "NFS", Transport::Any),
    (3306, "MySQL", Transport::Tcp),
    (5432, "PostgreSQL", Transport::Tcp),
    (1433, "SQL Server", Transport::Tcp),
    (1521, "Oracle", Transport::Tcp),
    (27017, "MongoDB", Transport::Tcp),
    (9042, "Cassandra", Transport::Tcp),
    (5984, "CouchDB", Transport::Tcp),
    (6379, "Redis", Transport::Tcp),
    (11211, "Memcached", Transport::Any),
    (9200, "Elasticsearch", Transport::Tcp),
    (9300, "Elasticsearch transport", Transport::Tcp),
];

/// What a default sensitive port serves, for messages.
pub fn service(port: u16) -> Option<&'static str> {
    DEFAULT_ADMIN_PORTS
        .iter()
        .find(|(default, ..)| *default == port)
        .map(|(_, service, _)| *service)
}

/// The transport a port is served over: the table's, else either (a port the settings add).
pub fn served_over(port: u16) -> Transport {
    DEFAULT_ADMIN_PORTS
        .iter()
        .find(|(default, ..)| *default == port)
        .map_or(Transport::Any, |(.., transport)| *transport)
}

/// What a protocol lets through.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    /// Every protocol, so every port (`-1`, `all`, `*`, `any`).
    All,
    /// A transport with ports.
    Ports(Transport),
    /// A protocol whose "ports" are not ports (ICMP types, IPsec, GRE): no port is reached.
    Portless,
}

/// A protocol as written: a name in any case or an IANA number; `None` (not written, or
/// not text) is a protocol with ports over an unknown transport.
pub fn protocol(value: Option<&Value>) -> Protocol {
    let text = match value {
        Some(Value::String(s)) => s.trim().to_ascii_lowercase(),
        Some(Value::Number(n)) => n.to_string(),
        _ => return Protocol::Ports(Transport::Any),
    };
    match text.as_str() {
        "-1" | "all" | "*" | "any" => Protocol::All,
        "tcp" | "6" => Protocol::Ports(Transport::Tcp),
        "udp" | "17" => Protocol::Ports(Transport::Udp),
        // SCTP carries ports but none of the services above.
        "icmp" | "icmpv6" | "1" | "58" | "esp" | "ah" | "50" | "51" | "gre" | "47" | "ipip"
        | "4" | "sctp" | "132" => Protocol::Portless,
        // An unresolved reference, or a protocol written some other way: either transport.
        _ => Protocol::Ports(Transport::Any),
    }
}

/// A port number written as a number or a numeric string; `None` for anything else (an
/// unresolved reference, a parameter).
pub fn port_number(value: &Value) -> Option<i64> {
    match value {
        Value::Number(n) => n.as_i64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

/// Ports as one value writes them: a number, `*`, `22`, `1000-2000`, or Azure's lists of
/// those (`"3389,3391"`, `"3388-3390, 23000"`). `None` inside: every port (`*`); an
/// unreadable part (a reference) is left out.
pub fn port_ranges(value: &Value) -> Vec<Option<(i64, i64)>> {
    if let Some(n) = value.as_i64() {
        return vec![Some((n, n))];
    }
    let Some(text) = value.as_str() else {
        return Vec::new();
    };
    text.split(',')
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .filter_map(|part| {
            if part == "*" {
                return Some(None);
            }
            match part.split_once('-') {
                Some((from, to)) => {
                    Some(Some((from.trim().parse().ok()?, to.trim().parse().ok()?)))
                }
                None => part.parse().ok().map(|n| Some((n, n))),
            }
        })
        .collect()
}

/// Whether an address is the whole internet: any IPv4 or IPv6 network of prefix length 0
/// (`0.0.0.0/0`, `10.0.0.0/0`, `::/0`), or Azure's `*`, `Internet` and `Any`, in any case.
pub fn whole_internet(value: &Value) -> bool {
    let Some(text) = value.as_str() else {
        return false;
    };
    let text = text.trim();
    if ["*", "internet", "any"]
        .iter()
        .any(|word| text.eq_ignore_ascii_case(word))
    {
        return true;
    }
    match text.split_once('/') {
        Some((address, "0")) => address.parse::<std::net::IpAddr>().is_ok(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn every_network_of_length_zero_is_the_internet() {
        for open in [
            "0.0.0.0/0",
            " 10.0.0.0/0",
            "::/0",
            "::0/0",
            "2001:db8::/0",
            "*",
            "Internet",
            "ANY",
        ] {
            assert!(whole_internet(&json!(open)), "{open}");
        }
        for closed in [
            "10.0.0.0/8",
            "0.0.0.0/1",
            "0.0.0.0",
            "VirtualNetwork",
            "x/0",
            "/0",
            "::/00",
        ] {
            assert!(!whole_internet(&json!(closed)), "{closed}");
        }
        assert!(!whole_internet(&json!(["0.0.0.0/0"])));
    }

    #[test]
    fn azure_port_lists_and_ranges() {
        assert_eq!(
            port_ranges(&json!("3389,3391")),
            [Some((3389, 3389)), Some((3391, 3391))]
        );
        assert_eq!(
            port_ranges(&json!("3388-3390, 23000")),
            [Some((3388, 3390)), Some((23000, 23000))]
        );
        assert_eq!(port_ranges(&json!("*")), [None]);
        assert_eq!(port_ranges(&json!(22)), [Some((22, 22))]);
        assert_eq!(port_ranges(&json!("${var.port}, 80")), [Some((80, 80))]);
        assert!(port_ranges(&json!(null)).is_empty());
    }

    #[test]
    fn protocols() {
        for all in ["-1", "all", "*", "Any"] {
            assert_eq!(protocol(Some(&json!(all))), Protocol::All);
        }
        assert_eq!(protocol(Some(&json!(6))), Protocol::Ports(Transport::Tcp));
        assert_eq!(
            protocol(Some(&json!("Udp"))),
            Protocol::Ports(Transport::Udp)
        );
        assert_eq!(protocol(Some(&json!("icmp"))), Protocol::Portless);
        assert_eq!(protocol(None), Protocol::Ports(Transport::Any));
        assert_eq!(
            protocol(Some(&json!("${var.p}"))),
            Protocol::Ports(Transport::Any)
        );
    }

    #[test]
    fn ssh_is_tcp_only_and_netbios_names_are_udp() {
        assert!(!Transport::Udp.reaches(served_over(22)));
        assert!(Transport::Tcp.reaches(served_over(22)));
        assert!(Transport::Any.reaches(served_over(22)));
        assert!(Transport::Udp.reaches(served_over(137)));
        assert!(!Transport::Tcp.reaches(served_over(137)));
        assert!(Transport::Udp.reaches(served_over(3389)));
        assert!(Transport::Udp.reaches(served_over(8443)));
        assert_eq!(service(22), Some("SSH"));
        assert_eq!(service(8443), None);
    }
}
