//! The docs a user reads: no public item of a generated crate is documented by
//! a schema id alone (`flex.v1.flex_team.`), for the Flex specs, the four
//! Twilio specs of the corpus and every fixture. (`cargo doc -D warnings` of the
//! generated crate, in `cargo xtask test`, checks that the docs build.)

use std::path::{Path, PathBuf};

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    specs.sort();
    specs
}

/// Whether `text` says nothing but an id such as `` `flex.v1.flex_team`. ``.
fn is_only_a_schema_id(text: &str) -> bool {
    let t = text.trim().trim_end_matches('.').trim_matches('`');
    t.contains('.')
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_' || c == '.')
}

fn doc_of(attrs: &[syn::Attribute]) -> String {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("doc"))
        .filter_map(|a| match &a.meta {
            syn::Meta::NameValue(nv) => match &nv.value {
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(s),
                    ..
                }) => Some(s.value()),
                _ => None,
            },
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

fn is_pub(v: &syn::Visibility) -> bool {
    matches!(v, syn::Visibility::Public(_))
}

/// Public items (and their public fields, variants and methods) whose docs are
/// only a schema id, as `file: name: doc`.
fn offenders(file: &str, items: &[syn::Item], out: &mut Vec<String>) {
    fn check(
        out: &mut Vec<String>,
        file: &str,
        name: &dyn std::fmt::Display,
        attrs: &[syn::Attribute],
    ) {
        let d = doc_of(attrs);
        if is_only_a_schema_id(&d) {
            out.push(format!("{file}: {name}: {d:?}"));
        }
    }
    let check = |out: &mut Vec<String>, name: &dyn std::fmt::Display, attrs: &[syn::Attribute]| {
        check(out, file, name, attrs)
    };
    for item in items {
        match item {
            syn::Item::Struct(s) if is_pub(&s.vis) => {
                check(out, &s.ident, &s.attrs);
                for f in s.fields.iter().filter(|f| is_pub(&f.vis)) {
                    let name = f.ident.as_ref().map(|i| format!("{}.{i}", s.ident));
                    check(out, &name.unwrap_or_default(), &f.attrs);
                }
            }
            syn::Item::Enum(e) if is_pub(&e.vis) => {
                check(out, &e.ident, &e.attrs);
                for v in &e.variants {
                    check(out, &format!("{}::{}", e.ident, v.ident), &v.attrs);
                }
            }
            syn::Item::Type(t) if is_pub(&t.vis) => check(out, &t.ident, &t.attrs),
            syn::Item::Fn(f) if is_pub(&f.vis) => check(out, &f.sig.ident, &f.attrs),
            syn::Item::Impl(i) => {
                for m in &i.items {
                    if let syn::ImplItem::Fn(f) = m {
                        if is_pub(&f.vis) {
                            check(out, &f.sig.ident, &f.attrs);
                        }
                    }
                }
            }
            syn::Item::Mod(m) if is_pub(&m.vis) => {
                check(out, &m.ident, &m.attrs);
                if let Some((_, inner)) = &m.content {
                    offenders(file, inner, out);
                }
            }
            _ => {}
        }
    }
}

#[test]
fn the_check_recognises_a_schema_id() {
    assert!(is_only_a_schema_id("`flex.v1.flex_team`."));
    assert!(is_only_a_schema_id("api.v2010.account.call"));
    assert!(!is_only_a_schema_id(
        "Returned by `client.flex_v1().teams(…).fetch(…)` (schema `flex.v1.flex_team`)."
    ));
    assert!(!is_only_a_schema_id("The page size."));
}

#[test]
fn no_public_item_is_documented_by_a_schema_id_alone() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut sets = vec![json_files(&root.join("../specs"))];
    for dir in ["tests/corpus", "tests/fixtures"] {
        sets.extend(json_files(&root.join(dir)).into_iter().map(|s| vec![s]));
    }
    let mut bad = vec![];
    let mut models = 0;
    for specs in sets {
        let info = codegen::CrateInfo {
            name: "docs-check".into(),
            version: "0.1.0".into(),
            description: "Docs check.".into(),
            sources: codegen::source_names(&specs),
            standalone: true,
            runtime: codegen::RuntimeSource::path("../codegen/runtime"),
        };
        let files = codegen::generate(&specs, &info).unwrap_or_else(|e| panic!("{e}"));
        for (path, text) in files.iter().filter(|(p, _)| p.ends_with(".rs")) {
            let parsed = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
            if path.ends_with("models.rs") {
                models += parsed.items.len();
            }
            let file = format!("{:?} {path}", codegen::source_names(&specs));
            offenders(&file, &parsed.items, &mut bad);
        }
    }
    // The check saw the models it is about.
    assert!(models > 500, "only {models} model items checked");
    assert!(
        bad.is_empty(),
        "{} items documented by a schema id alone:\n{}",
        bad.len(),
        bad.join("\n")
    );
}
