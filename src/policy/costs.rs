//! What each policy cost a scan (`scan --policy-costs`, a hidden option for the benchmark
//! kit): the time spent checking documents against it, summed over every thread, and how
//! many documents it was checked on, and how many findings it gave before findings of one
//! fingerprint were merged. A built-in policy is compiled on first use, so its first check
//! includes compiling it; a selection several policies share is paid by the first of them
//! on each document. Off by default: a scan that does not ask reads no clock.

use std::fmt::Write;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

/// What checks of one policy have cost so far; every policy carries one, shared by every
/// set that holds the policy (a run's configuration makes a set of its own).
#[derive(Debug, Default)]
pub(super) struct CostCounters {
    nanos: AtomicU64,
    documents: AtomicU64,
    findings: AtomicU64,
}

/// One policy's total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PolicyCost {
    pub id: String,
    pub time: Duration,
    pub documents: u64,
    pub findings: u64,
}

impl CostCounters {
    /// Adds one check on one document.
    pub(super) fn add(&self, time: Duration, findings: usize) {
        let nanos = u64::try_from(time.as_nanos()).unwrap_or(u64::MAX);
        self.nanos.fetch_add(nanos, Ordering::Relaxed);
        self.documents.fetch_add(1, Ordering::Relaxed);
        self.findings.fetch_add(findings as u64, Ordering::Relaxed);
    }

    pub(super) fn total(&self, id: &str) -> PolicyCost {
        PolicyCost {
            id: id.to_owned(),
            time: Duration::from_nanos(self.nanos.load(Ordering::Relaxed)),
            documents: self.documents.load(Ordering::Relaxed),
            findings: self.findings.load(Ordering::Relaxed),
        }
    }
}

/// The policies of `costs` checked at least once, the costliest first (ties by id).
pub fn costliest(costs: impl Iterator<Item = PolicyCost>) -> Vec<PolicyCost> {
    let mut costs: Vec<PolicyCost> = costs.filter(|cost| cost.documents > 0).collect();
    costs.sort_by(|a, b| b.time.cmp(&a.time).then_with(|| a.id.cmp(&b.id)));
    costs
}

/// The `top` costliest of `costs` as a table, with each one's share of the time of all.
pub fn costs_table(costs: &[PolicyCost], top: usize) -> String {
    let total: Duration = costs.iter().map(|c| c.time).sum();
    let share = |time: Duration| {
        if total.is_zero() {
            0.0
        } else {
            100.0 * time.as_secs_f64() / total.as_secs_f64()
        }
    };
    let mut out = format!(
        "policy costs: {} policies checked, {:.1} ms in all (every thread's time summed)\n",
        costs.len(),
        total.as_secs_f64() * 1e3
    );
    let width = (costs.iter().take(top))
        .map(|c| c.id.len())
        .max()
        .unwrap_or(0)
        .max("policy".len());
    let _ = writeln!(
        out,
        "{:<width$}  {:>10}  {:>6}  {:>10}  {:>10}  {:>8}",
        "policy", "ms", "share", "documents", "µs/doc", "findings"
    );
    for cost in costs.iter().take(top) {
        let ms = cost.time.as_secs_f64() * 1e3;
        let per_document = cost.time.as_secs_f64() * 1e6 / cost.documents as f64;
        let _ = writeln!(
            out,
            "{:<width$}  {ms:>10.1}  {:>5.1}%  {:>10}  {per_document:>10.1}  {:>8}",
            cost.id,
            share(cost.time),
            cost.documents,
            cost.findings
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_are_kept_per_policy_and_sorted_costliest_first() {
        let counters: [CostCounters; 3] = Default::default();
        counters[0].add(Duration::from_micros(5), 0);
        counters[2].add(Duration::from_micros(40), 1);
        counters[2].add(Duration::from_micros(60), 2);
        let ids = ["A-1", "B-2", "C-3"];
        let sorted = costliest(ids.iter().zip(&counters).map(|(id, c)| c.total(id)));
        assert_eq!(
            sorted,
            [
                PolicyCost {
                    id: "C-3".into(),
                    time: Duration::from_micros(100),
                    documents: 2,
                    findings: 3,
                },
                PolicyCost {
                    id: "A-1".into(),
                    time: Duration::from_micros(5),
                    documents: 1,
                    findings: 0,
                },
            ]
        );
    }

    #[test]
    fn the_table_shows_the_top_rows_with_their_share() {
        let costs = [
            PolicyCost {
                id: "K8S-001".into(),
                time: Duration::from_millis(3),
                documents: 1000,
                findings: 4,
            },
            PolicyCost {
                id: "TF-9".into(),
                time: Duration::from_millis(1),
                documents: 10,
                findings: 0,
            },
        ];
        let table = costs_table(&costs, 1);
        assert_eq!(
            table,
            "policy costs: 2 policies checked, 4.0 ms in all (every thread's time summed)\n\
             policy           ms   share   documents      µs/doc  findings\n\
             K8S-001         3.0   75.0%        1000         3.0         4\n"
        );
    }
}
