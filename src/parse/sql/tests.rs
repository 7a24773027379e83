use serde_json::json;

use super::*;

fn lower(text: &str) -> (ParsedDocument, String) {
    let source = SourceFile::new("supabase/migrations/1_init.sql", text.to_owned());
    (parse(&source), text.to_owned())
}

fn at<'a>(doc: &ParsedDocument, text: &'a str, pointer: &str) -> &'a str {
    let span = doc.spans.get(pointer).expect(pointer).value;
    &text[span.start..span.end]
}

#[test]
fn tables_rls_and_policies_are_lowered_and_located() {
    let (doc, text) = lower(
        "-- the profiles\ncreate table public.\"Profiles\" (id uuid primary key, Email text);\n\
         alter table \"Profiles\" enable row level security;\n\
         create policy \"read all\" on \"Profiles\" for select to anon, authenticated using ( true );\n\
         create policy p on t as restrictive with check (auth.uid() = id);\n",
    );
    let statements = &doc.value["statements"];
    assert_eq!(statements[0]["statement"], json!("create table"));
    assert_eq!(
        statements[0]["table"],
        json!({"schema": "public", "name": "Profiles"})
    );
    assert_eq!(statements[0]["columns"], json!(["id", "email"]));
    assert_eq!(
        at(&doc, &text, "/statements/0/table"),
        "public.\"Profiles\""
    );
    assert_eq!(statements[1]["operations"], json!([{"op": "enable rls"}]));
    assert_eq!(statements[2]["command"], json!("select"));
    assert_eq!(statements[2]["roles"], json!(["anon", "authenticated"]));
    assert_eq!(statements[2]["using"]["always_true"], json!(true));
    assert_eq!(at(&doc, &text, "/statements/2/using"), "true");
    assert_eq!(at(&doc, &text, "/statements/2/roles/0"), "anon");
    assert_eq!(at(&doc, &text, "/statements/2/policy"), "\"read all\"");
    assert_eq!(statements[3]["permissive"], json!(false));
    assert_eq!(statements[3]["command"], json!("all"));
    assert_eq!(statements[3]["roles"], json!([]));
    assert_eq!(statements[3]["check"]["always_true"], json!(false));
}

#[test]
fn grants_functions_and_buckets() {
    let (doc, text) = lower(
        "grant insert, update on table public.notes to anon;\n\
         revoke all on all tables in schema public from anon, public;\n\
         create function public.f() returns void language sql security definer as $$ select 1; $$;\n\
         insert into storage.buckets (id, name, public) values ('avatars', 'avatars', true);\n",
    );
    let statements = &doc.value["statements"];
    assert_eq!(statements[0]["privileges"], json!(["insert", "update"]));
    assert_eq!(statements[0]["on"], json!("table"));
    assert_eq!(at(&doc, &text, "/statements/0/grantees/0"), "anon");
    assert_eq!(statements[1]["on"], json!("all tables in schema"));
    assert_eq!(statements[1]["grantees"], json!(["anon", "public"]));
    assert_eq!(statements[2]["security_definer"], json!(true));
    assert_eq!(
        statements[3]["rows"],
        json!([{"id": "avatars", "name": "avatars", "public": true}])
    );
    assert_eq!(at(&doc, &text, "/statements/3/rows/0/public"), "true");
}

#[test]
fn a_statement_the_parser_cannot_read_is_kept_with_its_access_words() {
    let (doc, text) =
        lower("create table a (id int);\nalter table a enable row level securityy;\nselect 1;\n");
    let statements = &doc.value["statements"];
    assert_eq!(statements[1]["statement"], json!("unparsed"));
    // `securityy` is not the word `security`.
    assert_eq!(statements[1]["mentions"], json!(["alter table"]));
    assert!(at(&doc, &text, "/statements/1").starts_with("alter table a"));
    assert_eq!(statements[2]["statement"], json!("other"));
}

/// Every prefix of a migration that holds every construct the splitter knows, with a
/// multi-byte character in each: the reader never panics and every span lies inside the text
/// on character boundaries (the fuzz target checks the same on arbitrary text).
#[test]
fn every_prefix_reads_with_spans_inside_the_text() {
    let text = "-- é\ncreate table \"Tä\" (id int, é text);\n/* a /* é */ */\n\
                do $x$ begin if true then create policy \"é\" on t using (true); end if; end $x$;\n\
                grant insert on t to anon; insert into storage.buckets (id, public) values ('é', true);\n\
                select E'é\\'';\ncreate policy p on t for select using (1 = 1";
    for end in (0..=text.len()).filter(|&e| text.is_char_boundary(e)) {
        let (doc, prefix) = lower(&text[..end]);
        for (pointer, spans) in doc.spans.iter() {
            let span = spans.value;
            assert!(
                span.start <= span.end && span.end <= prefix.len(),
                "{pointer} in {prefix:?}"
            );
            assert!(prefix.is_char_boundary(span.start) && prefix.is_char_boundary(span.end));
        }
    }
}
