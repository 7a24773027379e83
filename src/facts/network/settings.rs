//! The network pack's settings (`network:` in `.doublecheck.yml`) and their defaults.

use std::collections::BTreeSet;

use super::DEFAULT_ADMIN_PORTS;

/// What the network facts treat as an administrative port.
#[derive(Debug, Clone)]
pub struct NetworkSettings {
    pub admin_ports: BTreeSet<u16>,
}

impl Default for NetworkSettings {
    fn default() -> Self {
        NetworkSettings {
            admin_ports: DEFAULT_ADMIN_PORTS.iter().map(|&(port, ..)| port).collect(),
        }
    }
}
