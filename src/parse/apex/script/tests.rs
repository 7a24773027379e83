use serde_json::json;

use super::*;

fn lowered(text: &str) -> ParsedDocument {
    parse_anonymous(&SourceFile::new("t.apex", text.to_owned())).expect("parses")
}

/// The text a pointer's value span covers.
fn at<'a>(text: &'a str, spans: &SpanTable, pointer: &str) -> &'a str {
    slice(text, spans.get(pointer).expect("span").value)
}

/// Each assignment's assignee and permission-set strings.
fn assigned(value: &Value) -> Vec<(Vec<&str>, Vec<&str>)> {
    value["assignments"]
        .as_array()
        .expect("assignments")
        .iter()
        .map(|a| (strings(&a["assignee"]), strings(&a["permission_set"])))
        .collect()
}

fn strings(side: &Value) -> Vec<&str> {
    side["strings"]
        .as_array()
        .expect("strings")
        .iter()
        .filter_map(Value::as_str)
        .collect()
}

fn has_identifier(side: &Value, name: &str) -> bool {
    side["identifiers"]
        .as_array()
        .expect("identifiers")
        .iter()
        .any(|i| i == name)
}

#[test]
fn identifiers_strings_and_a_guest_assignment() {
    let text = "// give the guest user its permission set\n\
        Site site = [SELECT GuestUserId FROM Site WHERE Name = 'E_Bikes'];\n\
        PermissionSet ps = [SELECT Id FROM PermissionSet WHERE Name = 'EBikes_Guest_Access'];\n\
        insert new PermissionSetAssignment(AssigneeId = site.GuestUserId, PermissionSetId = ps.Id);\n";
    let parsed = lowered(text);
    let expected: Vec<&str> = "AssigneeId FROM GuestUserId Id Name PermissionSet \
                               PermissionSetAssignment PermissionSetId SELECT Site WHERE \
                               insert new ps site"
        .split_whitespace()
        .collect();
    assert_eq!(parsed.value["identifiers"], json!(expected));
    assert_eq!(
        parsed.value["strings"],
        json!(["E_Bikes", "EBikes_Guest_Access"])
    );
    // The SOQL string literals are strings, read through the variables they were stored in.
    assert_eq!(
        assigned(&parsed.value),
        vec![(vec!["E_Bikes"], vec!["EBikes_Guest_Access"])]
    );
    let assignee = &parsed.value["assignments"][0]["assignee"];
    assert!(has_identifier(assignee, "GuestUserId"));
    let spans = &parsed.spans;
    assert_eq!(at(text, spans, "/strings/0"), "E_Bikes");
    assert_eq!(
        at(text, spans, "/assignments/0"),
        "new PermissionSetAssignment(AssigneeId = site.GuestUserId, PermissionSetId = ps.Id)"
    );
    assert_eq!(
        at(text, spans, "/assignments/0/assignee"),
        "site.GuestUserId"
    );
    assert_eq!(
        at(text, spans, "/assignments/0/permission_set/strings/0"),
        "EBikes_Guest_Access"
    );
    // The first occurrence: in the SELECT, not in `site.GuestUserId`.
    let guest = spans.get("/identifiers/2").expect("span").value;
    assert_eq!(slice(text, guest), "GuestUserId");
    assert_eq!(guest.start, text.find("GuestUserId").expect("present"));
    assert_eq!(at(text, spans, ""), text);
}

#[test]
fn a_guest_and_an_administrator_in_one_script_stay_apart() {
    let text = "List<User> guests = [SELECT Id FROM User WHERE UserType = 'Guest' LIMIT 1];\n\
        User admin = [SELECT Id FROM User WHERE Profile.Name = 'System Administrator' LIMIT 1];\n\
        Id guestId = guests.get(0).Id;\n\
        for (PermissionSet ps : [SELECT Id FROM PermissionSet WHERE Name IN ('Shop_Guest', 'Shop_Browse')]) {\n\
            insert new PermissionSetAssignment(AssigneeId = guestId, PermissionSetId = ps.Id);\n\
        }\n\
        PermissionSetAssignment psa = new PermissionSetAssignment();\n\
        psa.AssigneeId = admin.Id;\n\
        psa.PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = 'Shop_Admin'].Id;\n\
        insert psa;\n";
    let parsed = lowered(text);
    assert_eq!(
        assigned(&parsed.value),
        vec![
            (vec!["Guest"], vec!["Shop_Guest", "Shop_Browse"]),
            (vec!["System Administrator"], vec!["Shop_Admin"]),
        ]
    );
    let first = &parsed.value["assignments"][0]["assignee"];
    assert!(has_identifier(first, "UserType"));
    let second = &parsed.value["assignments"][1]["assignee"];
    assert!(!has_identifier(second, "UserType"));
    assert_eq!(at(text, &parsed.spans, "/assignments/1"), "psa.AssigneeId");
}

#[test]
fn site_get_guest_user_id_and_binds() {
    let text = "Set<String> names = new Set<String>{'Portal_Guest'};\n\
        Id guest = Site.getGuestUserId();\n\
        List<PermissionSetAssignment> rows = new List<PermissionSetAssignment>();\n\
        for (PermissionSet p : [SELECT Id FROM PermissionSet WHERE Name IN :names]) {\n\
            rows.add(new PermissionSetAssignment(PermissionSetId = p.Id, AssigneeId = guest));\n\
        }\n\
        insert rows;\n";
    let parsed = lowered(text);
    assert_eq!(
        assigned(&parsed.value),
        vec![(vec![], vec!["Portal_Guest"])]
    );
    let assignee = &parsed.value["assignments"][0]["assignee"];
    assert!(has_identifier(assignee, "getGuestUserId"));
}

#[test]
fn soql_field_names_are_not_variables() {
    // `Name` in the SOQL is a field, not the local variable `name`.
    let text = "String name = 'Other_Set';\n\
        User u = [SELECT Id FROM User WHERE Name = 'Shop Site Guest User'];\n\
        insert new PermissionSetAssignment(AssigneeId = u.Id, \
        PermissionSetId = [SELECT Id FROM PermissionSet WHERE Name = 'Shop_Guest'].Id);\n";
    let parsed = lowered(text);
    assert_eq!(
        assigned(&parsed.value),
        vec![(vec!["Shop Site Guest User"], vec!["Shop_Guest"])]
    );
}

#[test]
fn no_assignment_without_both_fields() {
    for text in [
        "insert new PermissionSetAssignment(AssigneeId = UserInfo.getUserId());",
        "insert new PermissionSetLicenseAssign(AssigneeId = u.Id, PermissionSetLicenseId = l.Id);",
        "Boolean same = x.AssigneeId == y; if (a != b) { c = d; }",
        "",
    ] {
        assert_eq!(lowered(text).value["assignments"], json!([]), "{text}");
    }
}

#[test]
fn escapes_in_strings() {
    let text = "String a = 'it\\'s'; String b = '\\\\'; String c = 'caf\\u00e9 \u{1F6B2}\\n';";
    let parsed = lowered(text);
    assert_eq!(
        parsed.value["strings"],
        json!(["it's", "\\", "caf\u{e9} \u{1F6B2}\n"])
    );
    assert_eq!(at(text, &parsed.spans, "/strings/0"), "it\\'s");
    assert_eq!(at(text, &parsed.spans, "/strings/1"), "\\\\");
}

#[test]
fn never_panics_and_stays_linear_on_odd_input() {
    for text in [
        "=",
        ":",
        "(:",
        "for (:",
        "a.=",
        "new PermissionSetAssignment(",
        "x = (((",
        ")))= 1",
        "+= 2",
        "new (AssigneeId = 1)",
        "for ( x : y",
        "é = 'ü'",
    ] {
        let _ = parse_anonymous(&SourceFile::new("t.apex", text.to_owned()));
    }
    let sample = "Id g = Site.getGuestUserId(); for (PermissionSet p : [SELECT Id FROM \
                  PermissionSet WHERE Name = :n]) { insert new PermissionSetAssignment(\
                  AssigneeId = g, PermissionSetId = p.Id); } psa.AssigneeId = a;";
    for (cut, _) in sample.char_indices() {
        let _ = parse_anonymous(&SourceFile::new("t.apex", sample[..cut].to_owned()));
        let _ = parse_anonymous(&SourceFile::new("t.apex", sample[cut..].to_owned()));
    }
    // A long chain of variables, each read by many assignments: the work is capped.
    let mut chain = String::from("Id v0 = Site.getGuestUserId();\n");
    for i in 1..20_000 {
        chain.push_str(&format!("Id v{i} = v{};\n", i - 1));
    }
    for _ in 0..2_000 {
        chain.push_str(
            "insert new PermissionSetAssignment(AssigneeId = v19999, PermissionSetId = p);\n",
        );
    }
    let parsed = lowered(&chain);
    assert_eq!(
        parsed.value["assignments"].as_array().map(Vec::len),
        Some(2_000)
    );
}
