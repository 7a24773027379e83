//! Kubernetes Services of type `LoadBalancer`: the cloud's load balancer listens on each
//! listed `port` (TCP unless the port says otherwise). Whether the load balancer is
//! internal or limited to some addresses is the policies' business, as for the other
//! clouds' rules. `NodePort` Services are not read: whether a node port is reachable
//! depends on the nodes' firewall, which the manifest does not say.

use serde_json::Value;

use super::ingress::{IngressRule, Ports};
use super::ports::{Protocol, Transport, port_number, protocol};
use crate::document::child_pointer;

/// The ingress rule of a core (`v1`) Service of type `LoadBalancer`, at its `spec`.
pub(super) fn service_rules(service: &Value) -> Vec<IngressRule> {
    let core = service.get("apiVersion").and_then(Value::as_str) == Some("v1");
    let Some(spec) = service.get("spec").filter(|_| core) else {
        return Vec::new();
    };
    if spec.get("type").and_then(Value::as_str) != Some("LoadBalancer") {
        return Vec::new();
    }
    let Some(ports) = spec.get("ports").and_then(Value::as_array) else {
        return Vec::new();
    };
    let mut rule = IngressRule {
        pointer: "/spec".to_owned(),
        ..IngressRule::default()
    };
    for (i, port) in ports.iter().enumerate() {
        // A Service port is TCP unless it says otherwise.
        let over = match port.get("protocol") {
            None => Protocol::Ports(Transport::Tcp),
            written => protocol(written),
        };
        if let Some(number) = port.get("port").and_then(port_number) {
            let at = child_pointer(&format!("/spec/ports/{i}"), "port");
            rule.open(at, over, Ports::Range(number, number));
        }
    }
    vec![rule]
}

#[cfg(test)]
mod tests {
    use super::super::tests::{owned, reached};
    use super::*;
    use serde_json::json;

    #[test]
    fn load_balancer_ports_over_tcp() {
        let service = |api: &str, kind: &str, ports: Value| {
            json!({"apiVersion": api, "kind": "Service",
                   "spec": {"type": kind, "ports": ports}})
        };
        let ports = json!([
            {"port": 80},
            {"port": 22, "protocol": "UDP"},
            {"port": "5432", "protocol": "TCP"},
        ]);
        assert_eq!(
            reached(service_rules(&service("v1", "LoadBalancer", ports.clone()))),
            owned(&[(
                "/spec",
                "/spec/ports/2/port",
                "allows port 5432 (PostgreSQL)"
            )])
        );
        for (api, kind) in [
            ("v1", "NodePort"),
            ("v1", "ClusterIP"),
            ("serving.knative.dev/v1", "LoadBalancer"),
        ] {
            assert!(service_rules(&service(api, kind, ports.clone())).is_empty());
        }
        assert!(
            reached(service_rules(&service(
                "v1",
                "LoadBalancer",
                json!([{"port": 443}])
            )))
            .is_empty()
        );
    }
}
