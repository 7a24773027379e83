//! Built-in policies: the YAML files under `policies/`, embedded at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/builtin_policies.rs"));

/// `(path relative to the repository, YAML text)` of every built-in policy, sorted by path.
pub fn builtin_sources() -> &'static [(&'static str, &'static str)] {
    BUILTIN_POLICIES
}
