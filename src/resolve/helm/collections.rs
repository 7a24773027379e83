//! Sprig's list and map functions. Maps are shared, as Go's are: `set` and `merge` change
//! the map they are given.

use std::collections::BTreeMap;

use super::value::{Val, equal};

/// The list or map function `name` applied to `args`; `None` when it is not one.
pub fn call(name: &str, args: &[Val]) -> Option<Val> {
    let arg = |i: usize| args.get(i).cloned().unwrap_or(Val::Nil);
    let text = |i: usize| args.get(i).map(Val::display).unwrap_or_default();
    Some(match name {
        // Lists
        "reverse" => {
            let mut all = items(&arg(0));
            all.reverse();
            Val::list(all)
        }
        "first" => items(&arg(0)).first().cloned().unwrap_or(Val::Nil),
        "last" => items(&arg(0)).last().cloned().unwrap_or(Val::Nil),
        "rest" => Val::list(items(&arg(0)).into_iter().skip(1).collect()),
        "initial" => {
            let mut all = items(&arg(0));
            all.pop();
            Val::list(all)
        }
        "append" | "push" => {
            let mut all = items(&arg(0));
            all.push(arg(1));
            Val::list(all)
        }
        "prepend" => {
            let mut all = vec![arg(1)];
            all.extend(items(&arg(0)));
            Val::list(all)
        }
        "concat" => Val::list(args.iter().flat_map(items).collect()),
        "has" => Val::Bool(
            items(&arg(1))
                .iter()
                .any(|v| equal(v, &arg(0)) == Some(true)),
        ),
        "compact" => Val::list(
            items(&arg(0))
                .into_iter()
                .filter(|v| v.truth() != Some(false))
                .collect(),
        ),
        "uniq" => {
            let mut seen: Vec<Val> = Vec::new();
            for v in items(&arg(0)) {
                if !seen.iter().any(|s| equal(s, &v) == Some(true)) {
                    seen.push(v);
                }
            }
            Val::list(seen)
        }
        "without" => Val::list(
            items(&arg(0))
                .into_iter()
                .filter(|v| !args[1..].iter().any(|w| equal(v, w) == Some(true)))
                .collect(),
        ),
        "sortAlpha" => {
            let mut all: Vec<String> = items(&arg(0)).iter().map(Val::display).collect();
            all.sort();
            Val::list(all.into_iter().map(Val::str).collect())
        }
        // Maps
        "hasKey" => match arg(0) {
            Val::Map(map) => Val::Bool(map.borrow().contains_key(&text(1))),
            unknown @ Val::Unknown(_) => unknown,
            _ => Val::Bool(false),
        },
        "get" => arg(0).field(&text(1)),
        "set" => {
            if let Val::Map(map) = arg(0) {
                // The key and value first: either may be this very map (`set $m $m 1`), and
                // showing it while it is borrowed for writing would panic.
                let (key, value) = (text(1), arg(2));
                map.borrow_mut().insert(key, value);
            }
            arg(0)
        }
        "unset" => {
            if let Val::Map(map) = arg(0) {
                let key = text(1);
                map.borrow_mut().remove(&key);
            }
            arg(0)
        }
        "keys" => Val::list(
            args.iter()
                .flat_map(|m| match m {
                    Val::Map(map) => map.borrow().keys().map(|k| Val::str(k.as_str())).collect(),
                    _ => Vec::new(),
                })
                .collect(),
        ),
        "values" => match arg(0) {
            Val::Map(map) => Val::list(map.borrow().values().cloned().collect()),
            _ => Val::list(Vec::new()),
        },
        "pick" | "omit" => match arg(0) {
            Val::Map(map) => {
                let names: Vec<String> = args[1..].iter().map(Val::display).collect();
                Val::map(
                    map.borrow()
                        .iter()
                        .filter(|(k, _)| names.contains(k) == (name == "pick"))
                        .map(|(k, v)| (k.clone(), v.clone()))
                        .collect(),
                )
            }
            _ => Val::map(BTreeMap::new()),
        },
        "merge" | "mergeOverwrite" => merge(args, name == "mergeOverwrite"),
        "deepCopy" => arg(0).deep_copy(0),
        "index" => {
            let mut value = arg(0);
            for key in &args[1.min(args.len())..] {
                value = match (&value, key) {
                    (Val::List(items), Val::Int(i)) => usize::try_from(*i)
                        .ok()
                        .and_then(|i| items.get(i).cloned())
                        .unwrap_or(Val::Nil),
                    (Val::Map(_), key) => value.field(&key.display()),
                    _ => Val::Nil,
                };
            }
            value
        }
        "len" => match arg(0) {
            Val::Str(s) => Val::Int(s.len() as i64),
            Val::List(items) => Val::Int(items.len() as i64),
            Val::Map(map) => Val::Int(map.borrow().len() as i64),
            unknown @ Val::Unknown(_) => unknown,
            _ => Val::Int(0),
        },
        _ => return None,
    })
}

pub fn items(value: &Val) -> Vec<Val> {
    match value {
        Val::List(items) => items.as_ref().clone(),
        _ => Vec::new(),
    }
}

/// Sprig's `merge` (the first map wins) and `mergeOverwrite` (the later maps win): deep,
/// into the first map, which is changed and returned.
fn merge(args: &[Val], overwrite: bool) -> Val {
    if let Some(unknown) = Val::first_unknown(args) {
        return unknown;
    }
    let Some(Val::Map(target)) = args.first() else {
        return Val::Nil;
    };
    for source in &args[1..] {
        if let Val::Map(source) = source {
            if std::rc::Rc::ptr_eq(target, source) {
                continue;
            }
            let source = source.borrow().clone();
            merge_into(&mut target.borrow_mut(), &source, overwrite, 0);
        }
    }
    Val::Map(target.clone())
}

pub fn merge_into(
    target: &mut BTreeMap<String, Val>,
    source: &BTreeMap<String, Val>,
    overwrite: bool,
    depth: usize,
) {
    if depth > crate::parse::MAX_DEPTH {
        return;
    }
    for (key, value) in source {
        match (target.get(key), value) {
            (Some(Val::Map(inner)), Val::Map(from)) if !std::rc::Rc::ptr_eq(inner, from) => {
                let from = from.borrow().clone();
                // A map that holds itself (`set $m "a" $m`) is already borrowed for writing
                // further up: there is nothing new to merge into it.
                if let Ok(mut inner) = inner.try_borrow_mut() {
                    merge_into(&mut inner, &from, overwrite, depth + 1);
                }
            }
            (Some(existing), _) if !overwrite && !matches!(existing, Val::Nil) => {}
            _ => {
                target.insert(key.clone(), value.deep_copy(0));
            }
        }
    }
}
