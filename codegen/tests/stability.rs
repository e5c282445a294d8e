//! Names that only change when what they name changes. Each case generates a crate
//! from a spec set S and from S plus additive changes (new paths, new operations on
//! existing paths, new fields, new specs), all built from the real specs, and checks
//! that every public item of the first crate is still there, with the same kind, in
//! the second. The public items are read from the generated files with `syn`, not
//! from the IR: what a caller can name is what the printed code declares.
//!
//! SID types and resources are named through the names lock: S is generated
//! from an empty lock, as if it were the first release, and S plus the changes
//! from the lock that generation left, as `cargo xtask generate` would. The other
//! names follow rules with no lock.

use codegen::NamesLock;

use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use syn::{Fields, ImplItem, Item, UseTree, Visibility};

/// A public item's path (`flex_v1::teams::TeamsResource::list`) and its kind;
/// a field's kind has its type, a function's or method's its return type and
/// each argument (`…::list(0: self)`) its type, so that a name taken over by
/// another member (`date_created` now the new `DateCreated` property's, a
/// string) shows as a change. A SID type's prefixes are an entry too
/// (`sids::FlexFlowSid#prefixes`).
type Items = BTreeMap<String, String>;

/// The tokens of `t`, as a kind's detail.
fn tokens(t: impl quote::ToTokens) -> String {
    t.to_token_stream().to_string()
}

/// A function or method at `path`: its kind (`{kind}` with its generics and
/// return type) and an entry per argument, by position and name.
fn function(path: String, kind: &str, sig: &syn::Signature, out: &mut Items) {
    for (i, arg) in sig.inputs.iter().enumerate() {
        let (name, ty) = match arg {
            syn::FnArg::Receiver(r) => ("self".to_string(), tokens(&r.ty)),
            syn::FnArg::Typed(t) => (tokens(&t.pat), tokens(&t.ty)),
        };
        out.insert(format!("{path}({i}: {name})"), format!("arg: {ty}"));
    }
    let generics = &sig.generics;
    let output = &sig.output;
    out.insert(
        path,
        format!("{kind}{} {}", tokens(generics), tokens(output)),
    );
}

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn corpus(name: &str) -> PathBuf {
    root().join("codegen/tests/corpus").join(name)
}

fn spec(name: &str) -> PathBuf {
    root().join("specs").join(name)
}

/// Writes `doc` where a test can hand it to the generator, named like its source.
fn write_temp(case: &str, name: &str, doc: &Value) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("codegen-stability-{}-{case}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, serde_json::to_string(doc).unwrap()).unwrap();
    path
}

/// S from a whole spec: drops every `stride`th path (from `offset`), every
/// operation but the first of every other remaining path, and the last optional
/// property of every other component schema that has more than one. The whole spec is then S plus new
/// paths, new operations on existing paths and new fields.
fn reduced(doc: &Value, stride: usize, offset: usize) -> Value {
    let mut doc = doc.clone();
    let paths = doc["paths"].as_object_mut().expect("paths");
    let names: Vec<String> = paths.keys().cloned().collect();
    for (i, name) in names.iter().enumerate() {
        if i % stride == offset {
            paths.remove(name);
            continue;
        }
        if i % 2 == 0 {
            let item = paths[name].as_object_mut().expect("path item");
            let methods: Vec<String> = ["get", "post", "put", "patch", "delete"]
                .into_iter()
                .filter(|m| item.contains_key(*m))
                .map(String::from)
                .collect();
            for m in methods.iter().skip(1) {
                item.remove(m);
            }
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        for (i, schema) in schemas.values_mut().enumerate() {
            if i % 2 == 1 {
                continue;
            }
            let required: Vec<Value> = schema["required"].as_array().cloned().unwrap_or_default();
            // An object keeps at least one property: one without any is free-form
            // JSON, another type rather than a smaller one.
            let props = schema.get_mut("properties").and_then(Value::as_object_mut);
            if let Some(props) = props.filter(|p| p.len() > 1) {
                let optional = props
                    .keys()
                    .rev()
                    .find(|k| !required.contains(&Value::String((*k).clone())))
                    .cloned();
                if let Some(k) = optional {
                    props.remove(&k);
                }
            }
        }
    }
    doc
}

/// The public items of the crate generated from `specs` with SID names from
/// `lock`, and the lock extended with the prefixes it lacked.
fn public_items(specs: &[PathBuf], lock: &NamesLock) -> (Items, NamesLock) {
    crate_items(specs, lock, false)
}

/// Like [`public_items`], for the catalogue crate of `specs` (one crate, a
/// cargo feature per product).
fn catalogue_items(specs: &[PathBuf], lock: &NamesLock) -> (Items, NamesLock) {
    crate_items(specs, lock, true)
}

fn crate_items(specs: &[PathBuf], lock: &NamesLock, features: bool) -> (Items, NamesLock) {
    let info = codegen::CrateInfo {
        name: "stability".into(),
        version: "0.1.0".into(),
        description: "Stability test crate.".into(),
        sources: codegen::source_names(specs),
        standalone: true,
        features,
        runtime: codegen::RuntimeSource::path("../codegen/runtime"),
        runtime_sids: codegen::NamesLock::default(),
    };
    let (files, lock) =
        codegen::generate_with(specs, &info, lock).unwrap_or_else(|e| panic!("{e}"));
    let mut items = Items::new();
    for (path, text) in &files {
        let Some(module) = module_path(path) else {
            continue;
        };
        let file = syn::parse_file(text).unwrap_or_else(|e| panic!("{path}: {e}"));
        collect(&module, &file.items, &mut items);
    }
    assert!(
        items.len() > 10,
        "too few public items to prove anything: {items:?}"
    );
    (items, lock)
}

/// `src/flex_v1/teams.rs` -> `flex_v1::teams`; `src/lib.rs` -> `` (the crate root).
fn module_path(file: &str) -> Option<String> {
    let rel = file.strip_prefix("src/")?.strip_suffix(".rs")?;
    let rel = rel.strip_suffix("/mod").unwrap_or(rel);
    Some(if rel == "lib" {
        String::new()
    } else {
        rel.replace('/', "::")
    })
}

fn join(module: &str, name: impl std::fmt::Display) -> String {
    if module.is_empty() {
        name.to_string()
    } else {
        format!("{module}::{name}")
    }
}

fn is_pub(v: &Visibility) -> bool {
    matches!(v, Visibility::Public(_))
}

fn collect(module: &str, items: &[Item], out: &mut Items) {
    for item in items {
        match item {
            Item::Struct(s) if is_pub(&s.vis) => {
                let path = join(module, &s.ident);
                if let Fields::Named(f) = &s.fields {
                    for field in f.named.iter().filter(|f| is_pub(&f.vis)) {
                        let name = field.ident.as_ref().expect("named");
                        out.insert(
                            format!("{path}.{name}"),
                            format!("field: {}", tokens(&field.ty)),
                        );
                    }
                }
                out.insert(path, "struct".into());
            }
            Item::Enum(e) if is_pub(&e.vis) => {
                let path = join(module, &e.ident);
                for v in &e.variants {
                    out.insert(format!("{path}::{}", v.ident), "variant".into());
                }
                out.insert(path, "enum".into());
            }
            Item::Fn(f) if is_pub(&f.vis) => {
                function(join(module, &f.sig.ident), "fn", &f.sig, out);
            }
            Item::Type(t) if is_pub(&t.vis) => {
                out.insert(join(module, &t.ident), "type".into());
            }
            Item::Trait(t) if is_pub(&t.vis) => {
                out.insert(join(module, &t.ident), "trait".into());
            }
            Item::Const(c) if is_pub(&c.vis) => {
                out.insert(join(module, &c.ident), "const".into());
            }
            Item::Mod(m) if is_pub(&m.vis) => {
                let path = join(module, &m.ident);
                if let Some((_, inner)) = &m.content {
                    collect(&path, inner, out);
                }
                out.insert(path, "mod".into());
            }
            Item::Use(u) if is_pub(&u.vis) => uses(module, &u.tree, out),
            Item::Impl(i) => {
                let ty = type_name(&i.self_ty);
                match &i.trait_ {
                    // What a caller can rely on from a trait impl is that it exists.
                    Some((_, t, _)) => {
                        let t = t.segments.last().map(|s| s.ident.to_string());
                        out.insert(
                            format!("impl {} for {}", t.unwrap_or_default(), join(module, &ty)),
                            "impl".into(),
                        );
                    }
                    None => {
                        for f in &i.items {
                            if let ImplItem::Fn(f) = f {
                                if is_pub(&f.vis) {
                                    let path = format!("{}::{}", join(module, &ty), f.sig.ident);
                                    function(path, "method", &f.sig, out);
                                }
                            }
                        }
                    }
                }
            }
            // `crate::sid_type!(#[doc = …] AcSid, ["AC"])` declares a public struct.
            Item::Macro(m)
                if m.mac
                    .path
                    .segments
                    .last()
                    .is_some_and(|s| s.ident == "sid_type") =>
            {
                let name = m.mac.tokens.clone().into_iter().find_map(|t| match t {
                    proc_macro2::TokenTree::Ident(i) => Some(i.to_string()),
                    _ => None,
                });
                let name = name.expect("sid_type! names its type");
                // The last bracketed group (the first is the `#[doc]`).
                let prefixes = m.mac.tokens.clone().into_iter().filter_map(|t| match t {
                    proc_macro2::TokenTree::Group(g) => Some(g.stream().to_string()),
                    _ => None,
                });
                let prefixes = prefixes.last().expect("sid_type! lists prefixes");
                out.insert(format!("{}#prefixes", join(module, &name)), prefixes);
                out.insert(join(module, name), "struct".into());
            }
            _ => {}
        }
    }
}

/// Re-exports (`pub use runtime::{Client, Error}`): the names they make public.
fn uses(module: &str, tree: &UseTree, out: &mut Items) {
    match tree {
        UseTree::Path(p) => uses(module, &p.tree, out),
        UseTree::Name(n) => {
            out.insert(join(module, &n.ident), "use".into());
        }
        UseTree::Rename(r) => {
            out.insert(join(module, &r.rename), "use".into());
        }
        UseTree::Glob(_) => {
            out.insert(join(module, "*"), "use".into());
        }
        UseTree::Group(g) => g.items.iter().for_each(|t| uses(module, t, out)),
    }
}

fn type_name(ty: &syn::Type) -> String {
    match ty {
        syn::Type::Path(p) => p
            .path
            .segments
            .last()
            .map(|s| s.ident.to_string())
            .unwrap_or_default(),
        _ => quote::quote!(#ty).to_string(),
    }
}

/// The prefixes of the SID type `name` (the last segment of a type path) in
/// `items`, as the `sid_type!` call lists them (`"FO" , "FX"`).
fn sid_prefixes<'i>(items: &'i Items, name: &str) -> Option<Vec<&'i str>> {
    let key = format!("::{name}#prefixes");
    let (_, list) = items.iter().find(|(k, _)| k.ends_with(&key))?;
    Some(list.split(',').map(str::trim).collect())
}

/// Whether a caller's argument for a parameter of type `before` still
/// compiles when the parameter is of type `after`: the same type, or a SID
/// parameter (`impl IntoSid<X>`) become text (`impl Into<String>`: every SID
/// type and reference to one converts) or a SID type of more prefixes (the
/// generated `sid_widening!` converts): see the runtime's
/// `what_a_sid_parameter_took_a_wider_one_takes`.
fn accepts(before: &str, after: &str, before_items: &Items, after_items: &Items) -> bool {
    const SID: &str = "arg: impl crate :: IntoSid < crate :: sids :: ";
    if before == after {
        return true;
    }
    let Some(x) = before.strip_prefix(SID).and_then(|r| r.strip_suffix(" >")) else {
        return false;
    };
    if after == "arg: impl Into < String >" {
        return true;
    }
    let Some(y) = after.strip_prefix(SID).and_then(|r| r.strip_suffix(" >")) else {
        return false;
    };
    match (sid_prefixes(before_items, x), sid_prefixes(after_items, y)) {
        (Some(narrow), Some(wide)) => narrow.iter().all(|p| wide.contains(p)),
        _ => false,
    }
}

/// Every public item of `before` is in `after` with the same kind (an
/// argument: of a type that takes what it took, see [`accepts`]).
fn assert_kept(case: &str, before: &Items, after: &Items) {
    let lost: Vec<String> = before
        .iter()
        .filter(|(path, kind)| match after.get(*path) {
            Some(now) if kind.starts_with("arg: ") => !accepts(kind, now, before, after),
            now => now != Some(*kind),
        })
        .map(|(path, kind)| match after.get(path) {
            Some(now) => format!("{path}: {kind}, now {now}"),
            None => format!("{path}: {kind}, now gone"),
        })
        .collect();
    assert!(
        lost.is_empty(),
        "{case}: {} of {} public items renamed or changed kind by an additive change:\n  {}",
        lost.len(),
        before.len(),
        lost.join("\n  ")
    );
}

/// Reduced versions of `name` (several strides, so every path is left out by one
/// of them) against the whole spec.
fn reduced_vs_whole(name: &str, whole: &Path) {
    let doc = read(whole);
    let mut smallest = usize::MAX;
    let mut largest = 0;
    for (stride, offset) in [(2, 0), (2, 1), (3, 2)] {
        let case = format!("{name}-{stride}-{offset}");
        let part = write_temp(&case, name, &reduced(&doc, stride, offset));
        let (before, lock) = public_items(&[part], &NamesLock::default());
        let (after, _) = public_items(&[whole.to_path_buf()], &lock);
        assert_kept(&case, &before, &after);
        smallest = smallest.min(before.len());
        largest = after.len();
    }
    assert!(smallest < largest, "{name}: no reduction left anything out");
}

#[test]
fn api_v2010_subsets() {
    reduced_vs_whole("twilio_api_v2010.json", &corpus("twilio_api_v2010.json"));
}

#[test]
fn flex_v1_messaging_v1_and_numbers_v1_subsets() {
    for name in [
        "twilio_flex_v1.json",
        "twilio_messaging_v1.json",
        "twilio_numbers_v1.json",
    ] {
        reduced_vs_whole(name, &corpus(name));
    }
}

/// The fixture specs, each of which exercises one construct (several fixtures
/// declare the same resource on two paths, or a component of another version).
#[test]
fn fixture_subsets() {
    let dir = root().join("codegen/tests/fixtures");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".json"))
        .collect();
    names.sort();
    for name in names {
        reduced_vs_whole(&name, &dir.join(&name));
    }
}

#[test]
fn flex_teams_supplement_subsets() {
    reduced_vs_whole(
        "twilio_flex_v1_teams.json",
        &spec("twilio_flex_v1_teams.json"),
    );
}

/// A path whose resource name another path already has: `/v1/Services/{Sid}/Roles`
/// alone, then `/v1/Roles` beside it (as Twilio's conversations_v1 has both).
#[test]
fn a_resource_of_the_same_name_renames_nothing() {
    let conversations = read(&root().join("codegen/tests/fixtures/names.json"));
    let mut before = conversations.clone();
    let paths = before["paths"].as_object_mut().unwrap();
    let roles = |path: &str| {
        serde_json::json!({
            "x-twilio": {"pathType": "list"},
            "get": {
                "operationId": format!("List{}Role", if path.contains("Services") { "Service" } else { "" }),
                "description": "Roles.",
                "responses": {"200": {"description": "OK"}},
                "parameters": path.contains("{ServiceSid}").then(|| serde_json::json!([{
                    "name": "ServiceSid", "in": "path", "required": true,
                    "schema": {"type": "string"}
                }])).unwrap_or(serde_json::json!([]))
            }
        })
    };
    paths.insert(
        "/v1/Services/{ServiceSid}/Roles".into(),
        roles("/v1/Services/{ServiceSid}/Roles"),
    );
    let mut after = before.clone();
    after["paths"]
        .as_object_mut()
        .unwrap()
        .insert("/v1/Roles".into(), roles("/v1/Roles"));
    let (before_items, lock) = public_items(
        &[write_temp("roles-before", "names.json", &before)],
        &NamesLock::default(),
    );
    let (after_items, _) = public_items(&[write_temp("roles-after", "names.json", &after)], &lock);
    assert_kept(
        "/v1/Roles beside /v1/Services/{ServiceSid}/Roles",
        &before_items,
        &after_items,
    );
    assert!(after_items.len() > before_items.len());
}

#[test]
fn a_new_spec_renames_nothing() {
    let v2 = spec("twilio_flex_v2.json");
    let teams = spec("twilio_flex_v1_teams.json");
    let (flex, lock) = public_items(std::slice::from_ref(&v2), &NamesLock::default());
    let (merged, lock) = public_items(&[v2.clone(), teams.clone()], &lock);
    assert_kept("flex_v2 + teams supplement", &flex, &merged);
    assert!(merged.len() > flex.len());
    let (more, _) = public_items(
        &[
            v2,
            teams,
            corpus("twilio_messaging_v1.json"),
            corpus("twilio_numbers_v1.json"),
        ],
        &lock,
    );
    assert_kept("flex + messaging_v1 + numbers_v1", &merged, &more);
    assert!(more.len() > merged.len());
}

/// A value set of a custom format that becomes the most used one: the shared
/// enum named after the format (`HttpMethod`) keeps its values, and the other
/// set keeps its name, because both are in the lock the first crate left.
#[test]
fn a_format_value_set_used_more_renames_nothing() {
    let before = read(&root().join("codegen/tests/fixtures/format_enum.json"));
    let mut after = before.clone();
    let schema = &mut after["paths"]["/v1/Hooks"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"]["properties"];
    for n in 0..8 {
        let name = format!("ExtraMethod{n}");
        schema[name.as_str()] = serde_json::json!({
            "type": "string", "format": "http-method", "enum": ["GET", "POST", "PUT"],
            "description": "More uses of the less common set."
        });
    }
    let (before_items, lock) = public_items(
        &[write_temp("format-before", "format_enum.json", &before)],
        &NamesLock::default(),
    );
    let key = |values: &[&str]| {
        let values: Vec<String> = values.iter().map(|v| v.to_string()).collect();
        codegen::names_lock::format_enum_key("test_v1", "http-method", &values)
    };
    // The fixture has a component `HttpMethod` too, so the format's name is
    // `HttpMethod` or, where that is taken, `HttpMethod2`.
    let format_name = lock
        .format_enum(&key(&["GET", "POST"]))
        .expect("the most used value set is locked")
        .to_string();
    assert!(format_name.starts_with("HttpMethod"), "{format_name}");
    let other = lock
        .format_enum(&key(&["GET", "POST", "PUT"]))
        .expect("the second value set is locked")
        .to_string();
    let (after_items, after_lock) = public_items(
        &[write_temp("format-after", "format_enum.json", &after)],
        &lock,
    );
    assert_kept("a format value set used more", &before_items, &after_items);
    assert_eq!(
        after_lock.format_enum(&key(&["GET", "POST"])),
        Some(format_name.as_str())
    );
    assert_eq!(
        after_lock.format_enum(&key(&["GET", "POST", "PUT"])),
        Some(other.as_str())
    );
    // Without the lock the more used set would take the format's name.
    let (_, fresh) = public_items(
        &[write_temp("format-fresh", "format_enum.json", &after)],
        &NamesLock::default(),
    );
    assert_eq!(
        fresh.format_enum(&key(&["GET", "POST", "PUT"])),
        Some(format_name.as_str())
    );
}

/// The specs committed in this repository: Twilio's api_v2010, flex_v1 and
/// iam_organizations (`codegen/tests/corpus`) and the Flex crate's own
/// (`specs/`: flex_v2 and the Teams supplement).
fn committed_specs() -> Vec<PathBuf> {
    let mut specs: Vec<PathBuf> = [
        "twilio_api_v2010.json",
        "twilio_flex_v1.json",
        "twilio_iam_organizations.json",
    ]
    .into_iter()
    .map(corpus)
    .collect();
    specs.extend(["twilio_flex_v2.json", "twilio_flex_v1_teams.json"].map(spec));
    specs
}

/// Twilio's whole catalogue where it sits beside the repository (as in this
/// project's CI), plus the Teams supplement: what `cargo xtask test` generates
/// the catalogue crate from.
fn whole_catalogue() -> Option<Vec<PathBuf>> {
    let dir = root().join("../shared/corpus/twilio-oai");
    let mut specs: Vec<PathBuf> = std::fs::read_dir(&dir)
        .ok()?
        .map(|e| e.unwrap().path())
        .filter(|p| codegen::load::is_spec_file(p))
        .collect();
    specs.push(spec("twilio_flex_v1_teams.json"));
    specs.sort_by(|a, b| a.file_name().cmp(&b.file_name()));
    Some(specs)
}

/// One crate for many products calls everything what each spec's own crate
/// calls it: every public item of each spec's crate is in the catalogue crate,
/// with the same kind (so moving from `twilio-flex` to the catalogue crate's
/// `flex` feature renames nothing). Both are generated with the repository's
/// names lock, as `cargo xtask generate` does, and the catalogue adds nothing
/// to it (the committed lock holds every name). Over the committed specs, and
/// Twilio's whole catalogue where it is beside the repository.
#[test]
fn the_catalogue_crate_names_things_as_each_specs_crate_does() {
    let lock = NamesLock::read(&root().join("specs/names.lock")).unwrap();
    let mut sets = vec![("committed specs", committed_specs())];
    match whole_catalogue() {
        Some(all) => sets.push(("Twilio's whole catalogue", all)),
        None => eprintln!("no catalogue beside the repository: committed specs only"),
    }
    for (label, specs) in sets {
        let (catalogue, extended) = catalogue_items(&specs, &lock);
        assert_eq!(
            extended.added_to(&lock),
            vec![],
            "{label}: specs/names.lock lacks names of the catalogue crate (run `cargo xtask generate --catalogue DIR …`)"
        );
        for spec in &specs {
            let (own, _) = public_items(std::slice::from_ref(spec), &lock);
            let name = spec.file_name().unwrap().to_string_lossy();
            assert_kept(
                &format!("{label}: {name} alone vs the catalogue crate"),
                &own,
                &catalogue,
            );
        }
    }
}

/// A user of the catalogue crate upgrading to a spec drop that adds paths,
/// operations, fields and whole products sees no name move: the catalogue of
/// reduced specs, generated from an empty lock, against the whole committed
/// set generated from the lock the first left.
#[test]
fn a_catalogue_update_renames_nothing() {
    let before: Vec<PathBuf> = ["twilio_api_v2010.json", "twilio_flex_v1.json"]
        .into_iter()
        .map(|name| {
            write_temp(
                "catalogue-before",
                name,
                &reduced(&read(&corpus(name)), 2, 0),
            )
        })
        .collect();
    let (before_items, lock) = catalogue_items(&before, &NamesLock::default());
    let (after_items, _) = catalogue_items(&committed_specs(), &lock);
    assert_kept("a catalogue update", &before_items, &after_items);
    assert!(after_items.len() > before_items.len());
}

/// The same path template on two hosts (Twilio's chat_v1 and accounts_v1 both
/// have `/v1/Credentials`), each spec with a component of the same name and
/// different content: two paths, two models, one per version module, each
/// named as in its spec's own crate.
#[test]
fn one_path_on_two_hosts_is_two_resources() {
    let preview = read(&root().join("codegen/tests/fixtures/unversioned.json"));
    let mut hosted = preview.clone();
    hosted["servers"][0]["url"] = "https://hosted-api.twilio.com".into();
    hosted["components"]["schemas"]["preview.hosted_numbers.order"]["properties"]["status"] =
        serde_json::json!({"type": "string", "description": "Only this host's orders have it."});
    let specs = [
        write_temp("hosts", "preview.json", &preview),
        write_temp("hosts", "hosted.json", &hosted),
    ];
    let (items, _) = catalogue_items(&specs, &NamesLock::default());
    for (module, model) in [
        ("preview", "PreviewHostedNumbersOrder"),
        ("hosted", "PreviewHostedNumbersOrder"),
    ] {
        let resource = format!("{module}::hosted_number_orders::HostedNumberOrdersResource::fetch");
        assert!(
            items
                .get(&resource)
                .is_some_and(|k| k.starts_with("method")),
            "{resource} in {items:#?}"
        );
        let model = format!("{module}::models::{model}");
        assert_eq!(
            items.get(&model).map(String::as_str),
            Some("struct"),
            "{model}"
        );
    }
    assert!(items
        .get("hosted::models::PreviewHostedNumbersOrder.status")
        .is_some_and(|k| k.starts_with("field")));
    assert_eq!(
        items.get("preview::models::PreviewHostedNumbersOrder.status"),
        None
    );
    for spec in &specs {
        let (own, _) = public_items(std::slice::from_ref(spec), &NamesLock::default());
        assert_kept("one spec's crate vs both hosts' catalogue", &own, &items);
    }
}

/// `doc` and `doc` after `change`, each generated alone: the first from an
/// empty lock (the first release), the second from the lock the first left.
/// Every public item of the first is in the second, and the second has more.
fn additive(case: &str, name: &str, doc: &Value, change: impl FnOnce(&mut Value)) {
    let (before, after) = additive_counts(case, name, doc, change);
    assert!(after > before, "{case}: the change added no public item");
}

/// Like [`additive`], without asserting that the change added public items
/// (a component no path uses adds none); returns both counts.
fn additive_counts(
    case: &str,
    name: &str,
    doc: &Value,
    change: impl FnOnce(&mut Value),
) -> (usize, usize) {
    let mut after = doc.clone();
    change(&mut after);
    assert_ne!(&after, doc, "{case}: the change changed nothing");
    let (before_items, lock) = public_items(
        &[write_temp(&format!("{case}-before"), name, doc)],
        &NamesLock::default(),
    );
    let (after_items, _) =
        public_items(&[write_temp(&format!("{case}-after"), name, &after)], &lock);
    assert_kept(case, &before_items, &after_items);
    (before_items.len(), after_items.len())
}

/// `map` with `key: value` first, as a spec update may insert it (the order of
/// a spec's members is kept, and names are given in that order).
fn insert_first(map: &mut Value, key: &str, value: Value) {
    let old = std::mem::take(map.as_object_mut().expect("an object"));
    let mut new = serde_json::Map::new();
    new.insert(key.to_string(), value);
    new.extend(old);
    *map = Value::Object(new);
}

fn flex_v1() -> Value {
    read(&corpus("twilio_flex_v1.json"))
}

/// A plain JSON `200` response of `schema`.
fn ok(schema: Value) -> Value {
    serde_json::json!({
        "description": "OK",
        "content": {"application/json": {"schema": schema}}
    })
}

/// A second operation with a verb the resource already has: a `put` on the
/// path whose `post` is `UpdateFlexFlow`, and a new list path mounted as the
/// same resource whose `get` is another `List…`. The existing `update` and
/// `list` keep their names.
#[test]
fn a_second_operation_with_the_same_verb_renames_nothing() {
    let doc = flex_v1();
    additive("same verb, same path", "twilio_flex_v1.json", &doc, |d| {
        let mut put = d["paths"]["/v1/FlexFlows/{Sid}"]["post"].clone();
        put["operationId"] = "UpdateFlexFlowReplacing".into();
        d["paths"]["/v1/FlexFlows/{Sid}"]["put"] = put;
    });
    additive("same verb, new path", "twilio_flex_v1.json", &doc, |d| {
        let mut list = d["paths"]["/v1/FlexFlows"].clone();
        list.as_object_mut().unwrap().remove("post");
        list["get"]["operationId"] = "ListFlexFlowArchived".into();
        insert_first(&mut d["paths"], "/v1/ArchivedFlexFlows", list);
    });
}

/// Components whose type names are those of every existing model (a new
/// component `FlexFlow` beside `flex.v1.flex_flow`, one named like an inline
/// enum), first unused, then used by a new path listed first.
#[test]
fn a_component_named_like_an_existing_type_renames_nothing() {
    let doc = flex_v1();
    let (items, _) = public_items(&[corpus("twilio_flex_v1.json")], &NamesLock::default());
    let models: Vec<String> = items
        .iter()
        .filter(|(_, kind)| **kind == "struct" || **kind == "enum")
        .filter_map(|(path, _)| path.strip_prefix("flex_v1::models::"))
        .filter(|name| !name.contains("::") && !name.contains('.'))
        .map(String::from)
        .collect();
    assert!(models.len() > 20, "{models:?}");
    let component = |name: &str| {
        serde_json::json!({
            "type": "object",
            "description": format!("A new type called {name}."),
            "properties": {"new_member": {"type": "string"}}
        })
    };
    additive_counts(
        "components named like types",
        "twilio_flex_v1.json",
        &doc,
        |d| {
            for name in &models {
                insert_first(&mut d["components"]["schemas"], name, component(name));
            }
        },
    );
    additive(
        "used components named like types",
        "twilio_flex_v1.json",
        &doc,
        |d| {
            for (i, name) in models.iter().enumerate() {
                insert_first(&mut d["components"]["schemas"], name, component(name));
                let path = format!("/v1/NewThings{i}");
                let op = serde_json::json!({
                    "x-twilio": {"pathType": "list"},
                    "get": {
                        "operationId": format!("ListNewThing{i}"),
                        "responses": {"200": ok(serde_json::json!({"$ref": format!("#/components/schemas/{name}")}))}
                    }
                });
                insert_first(&mut d["paths"], &path, op);
            }
        },
    );
}

/// A new member whose Rust name an existing one has (`DateCreated` beside
/// `date_created`), listed before it: on a model and as a request parameter.
#[test]
fn a_member_of_the_same_rust_name_renames_nothing() {
    let doc = flex_v1();
    additive(
        "a property of the same Rust name",
        "twilio_flex_v1.json",
        &doc,
        |d| {
            let props = &mut d["components"]["schemas"]["flex.v1.flex_flow"]["properties"];
            insert_first(props, "DateCreated", serde_json::json!({"type": "string"}));
            insert_first(props, "Sid", serde_json::json!({"type": "string"}));
        },
    );
    additive(
        "a parameter of the same Rust name",
        "twilio_flex_v1.json",
        &doc,
        |d| {
            let form = &mut d["paths"]["/v1/FlexFlows/{Sid}"]["post"]["requestBody"]["content"]
                ["application/x-www-form-urlencoded"]["schema"]["properties"];
            let first = form.as_object().unwrap().keys().next().unwrap().clone();
            let alias = heck_like_alias(&first);
            insert_first(form, &alias, serde_json::json!({"type": "string"}));
            let params = d["paths"]["/v1/FlexFlows"]["get"]["parameters"]
                .as_array_mut()
                .unwrap();
            let first = params[0]["name"].as_str().unwrap().to_string();
            params.insert(
            0,
            serde_json::json!({"name": heck_like_alias(&first), "in": "query", "schema": {"type": "string"}}),
        );
        },
    );
}

/// Another spelling of `name` with the same snake_case (`FriendlyName` ->
/// `friendly-name`).
fn heck_like_alias(name: &str) -> String {
    let mut out = String::new();
    for (i, c) in name.chars().enumerate() {
        if c.is_ascii_uppercase() && i > 0 {
            out.push('-');
        }
        out.push(c.to_ascii_lowercase());
    }
    assert_ne!(out, name);
    out
}

/// New inline enums of a custom format (`http-method`) whose values an existing
/// format enum has, or a new set of them; and new inline enums with the values
/// of an existing component enum, on a model and as a parameter.
#[test]
fn a_new_enum_with_known_values_renames_nothing() {
    let doc = flex_v1();
    let method = |values: &[&str]| serde_json::json!({"type": "string", "format": "http-method", "enum": values});
    let mut with_methods = doc.clone();
    let form = &mut with_methods["paths"]["/v1/FlexFlows/{Sid}"]["post"]["requestBody"]["content"]
        ["application/x-www-form-urlencoded"]["schema"]["properties"];
    form["CallbackMethod"] = method(&["GET", "POST"]);
    additive(
        "format enums sharing",
        "twilio_flex_v1.json",
        &with_methods,
        |d| {
            let form = &mut d["paths"]["/v1/FlexFlows"]["post"]["requestBody"]["content"]
                ["application/x-www-form-urlencoded"]["schema"]["properties"];
            for n in 0..4 {
                insert_first(
                    form,
                    &format!("StatusMethod{n}"),
                    method(&["GET", "POST", "PUT"]),
                );
            }
            insert_first(form, "FallbackMethod", method(&["GET", "POST"]));
        },
    );
    additive(
        "inline enums with a component's values",
        "twilio_flex_v1.json",
        &doc,
        |d| {
            let values = d["components"]["schemas"]["flex_flow_enum_channel_type"].clone();
            let props = &mut d["components"]["schemas"]["flex.v1.flex_flow"]["properties"];
            insert_first(props, "channel_kind", values.clone());
            let form = &mut d["paths"]["/v1/FlexFlows"]["post"]["requestBody"]["content"]
                ["application/x-www-form-urlencoded"]["schema"]["properties"];
            insert_first(form, "ChannelKind", values);
        },
    );
}

/// A new response code on existing operations: a `202` beside a `200`, and an
/// error response with its own schema.
#[test]
fn a_new_response_code_renames_nothing() {
    let doc = flex_v1();
    additive("new response codes", "twilio_flex_v1.json", &doc, |d| {
        let update = &mut d["paths"]["/v1/FlexFlows/{Sid}"]["post"]["responses"];
        update["202"] = update["200"].clone();
        update["400"] = serde_json::json!({
            "description": "Bad request",
            "content": {"application/json": {"schema": {
                "type": "object", "properties": {"code": {"type": "integer"}, "message": {"type": "string"}}
            }}}
        });
        // Something new to see, so that the case proves it generated.
        d["components"]["schemas"]["flex.v1.flex_flow"]["properties"]["new_member"] =
            serde_json::json!({"type": "string"});
    });
}

/// A new resource under an existing one, named like a resource that exists
/// (`/v1/FlexFlows/{FlexFlowSid}/Channels`, mounted as `channel` like
/// `/v1/Channels`), listed first.
#[test]
fn a_nested_resource_of_a_known_name_renames_nothing() {
    let doc = flex_v1();
    additive("nested resource", "twilio_flex_v1.json", &doc, |d| {
        let mut nested = d["paths"]["/v1/Channels"].clone();
        nested["parameters"] = serde_json::json!([{
            "name": "FlexFlowSid", "in": "path", "required": true,
            "schema": {"type": "string", "pattern": "^FO[0-9a-fA-F]{32}$"}
        }]);
        for (m, op) in nested.as_object_mut().unwrap() {
            if let Some(id) = op.get("operationId").and_then(Value::as_str) {
                op["operationId"] = format!("{id}OfFlexFlow{m}").into();
            }
        }
        insert_first(
            &mut d["paths"],
            "/v1/FlexFlows/{FlexFlowSid}/Channels",
            nested,
        );
    });
}

/// A SID parameter that now takes a second prefix (`FO` or `FX`), and a new
/// SID field of a new prefix on an existing model.
#[test]
fn a_new_sid_prefix_renames_nothing() {
    let doc = flex_v1();
    additive("a second prefix", "twilio_flex_v1.json", &doc, |d| {
        let sid = &mut d["paths"]["/v1/FlexFlows/{Sid}"]["post"]["parameters"][0]["schema"];
        sid["pattern"] = "^(FO|FX)[0-9a-fA-F]{32}$".into();
        d["components"]["schemas"]["flex.v1.flex_flow"]["properties"]["archive_sid"] =
            serde_json::json!({"type": "string", "pattern": "^FX[0-9a-fA-F]{32}$"});
    });
}

/// A spec added for a version that has one (the Teams supplement beside
/// Twilio's flex_v1), and a new version of a product (flex_v3 beside flex_v2).
#[test]
fn a_new_spec_for_a_known_or_new_version_renames_nothing() {
    let v1 = corpus("twilio_flex_v1.json");
    let (before, lock) = public_items(std::slice::from_ref(&v1), &NamesLock::default());
    let (after, _) = public_items(&[v1.clone(), spec("twilio_flex_v1_teams.json")], &lock);
    assert_kept("flex_v1 + its Teams supplement", &before, &after);
    let v2 = spec("twilio_flex_v2.json");
    let text = std::fs::read_to_string(&v2)
        .unwrap()
        .replace("/v2/", "/v3/")
        .replace("flex.v2.", "flex.v3.");
    let v3 = write_temp(
        "flex-v3",
        "twilio_flex_v3.json",
        &serde_json::from_str(&text).unwrap(),
    );
    let (before, lock) = public_items(&[v1.clone(), v2.clone()], &NamesLock::default());
    let (after, _) = public_items(&[v1, v2, v3], &lock);
    assert_kept("flex_v1 + flex_v2, then flex_v3", &before, &after);
    assert!(after.keys().any(|k| k.starts_with("flex_v3::")));
}

/// The `$ref`s to components anywhere in `v`, by component name.
fn refs(v: &Value, out: &mut Vec<String>) {
    match v {
        Value::Object(m) => {
            for (k, x) in m {
                match (k.as_str(), x) {
                    ("$ref", Value::String(r)) => {
                        if let Some(name) = r.strip_prefix("#/components/schemas/") {
                            out.push(name.to_string());
                        }
                    }
                    _ => refs(x, out),
                }
            }
        }
        Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
        _ => {}
    }
}

/// An earlier release of `doc`, as Twilio's histories have them: whole
/// resources missing (every path of every `stride`th group, from `offset`,
/// where a group is the paths that share their first two literal segments
/// after the version, `Accounts/Calls`), and with them every component
/// schema that only they used (so no schema the earlier release lacked
/// reserves its name in it).
fn earlier_release(doc: &Value, stride: usize, offset: usize) -> Value {
    let mut doc = doc.clone();
    let group = |path: &str| -> String {
        path.split('/')
            .skip(2)
            .filter(|s| !s.starts_with('{') && !s.is_empty())
            .take(2)
            .map(|s| s.trim_end_matches(".json"))
            .collect::<Vec<_>>()
            .join("/")
    };
    let paths = doc["paths"].as_object_mut().expect("paths");
    let mut groups: Vec<String> = paths.keys().map(|p| group(p)).collect();
    groups.sort();
    groups.dedup();
    let gone: Vec<&String> = groups.iter().skip(offset).step_by(stride).collect();
    paths.retain(|p, _| !gone.contains(&&group(p)));
    let mut reached: std::collections::BTreeSet<String> = Default::default();
    let mut todo = vec![];
    refs(&doc["paths"], &mut todo);
    while let Some(name) = todo.pop() {
        if reached.insert(name.clone()) {
            refs(&doc["components"]["schemas"][name.as_str()], &mut todo);
        }
    }
    if let Some(schemas) = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    {
        schemas.retain(|name, _| reached.contains(name));
    }
    doc
}

/// A spec's history, simulated: earlier releases that lack whole resources and
/// the schemas only they used (three, so that every group is missing from one),
/// each generated from an empty lock, against the spec as it is, generated from
/// the lock the earlier release left.
#[test]
fn earlier_releases_of_real_specs() {
    for name in [
        "twilio_flex_v1.json",
        "twilio_messaging_v1.json",
        "twilio_numbers_v1.json",
        "twilio_api_v2010.json",
    ] {
        let whole = corpus(name);
        let doc = read(&whole);
        for offset in 0..3 {
            let case = format!("{name} without a third of its resources ({offset})");
            let earlier = earlier_release(&doc, 3, offset);
            assert!(
                earlier["paths"].as_object().unwrap().len()
                    < doc["paths"].as_object().unwrap().len(),
                "{case}: nothing removed"
            );
            let (before, lock) = public_items(
                &[write_temp(&format!("history-{offset}"), name, &earlier)],
                &NamesLock::default(),
            );
            let (after, _) = public_items(std::slice::from_ref(&whole), &lock);
            assert_kept(&case, &before, &after);
        }
    }
}

/// Every kind of addition above at once, over whole real specs: a second
/// operation of its verb on every resource that updates (a `put` beside each
/// `post` on an instance path), a member of the same Rust name first in every
/// component object, and a used component named like every model.
#[test]
fn every_kind_of_addition_over_real_specs() {
    for name in [
        "twilio_flex_v1.json",
        "twilio_messaging_v1.json",
        "twilio_numbers_v1.json",
    ] {
        let doc = read(&corpus(name));
        let (items, _) = public_items(&[corpus(name)], &NamesLock::default());
        let models: Vec<String> = items
            .iter()
            .filter(|(_, kind)| **kind == "struct" || **kind == "enum")
            .filter_map(|(path, _)| path.split_once("::models::").map(|(_, n)| n))
            .filter(|name| !name.contains("::") && !name.contains('.'))
            .map(String::from)
            .collect();
        additive(&format!("{name}: every addition"), name, &doc, |d| {
            let paths = d["paths"].as_object_mut().unwrap();
            for (path, item) in paths.iter_mut() {
                if path.ends_with('}') && item.get("put").is_none() {
                    if let Some(post) = item.get("post").cloned() {
                        let mut put = post;
                        let id = put["operationId"].as_str().unwrap_or("Put").to_string();
                        put["operationId"] = format!("{id}Replacing").into();
                        item["put"] = put;
                    }
                }
            }
            let schemas = d["components"]["schemas"].as_object_mut().unwrap();
            for schema in schemas.values_mut() {
                let first = schema
                    .get("properties")
                    .and_then(Value::as_object)
                    .and_then(|p| p.keys().next().cloned());
                if let Some(first) = first.filter(|f| f.chars().any(|c| c.is_ascii_lowercase())) {
                    let alias = first.to_ascii_uppercase();
                    insert_first(
                        &mut schema["properties"],
                        &alias,
                        serde_json::json!({"type": "string"}),
                    );
                }
            }
            for (i, model) in models.iter().enumerate() {
                insert_first(
                    &mut d["components"]["schemas"],
                    model,
                    serde_json::json!({"type": "object", "properties": {"new_member": {"type": "string"}}}),
                );
                let version = d["paths"]
                    .as_object()
                    .unwrap()
                    .keys()
                    .next()
                    .unwrap()
                    .split('/')
                    .nth(1)
                    .unwrap()
                    .to_string();
                let op = serde_json::json!({
                    "x-twilio": {"pathType": "list"},
                    "get": {
                        "operationId": format!("ListNewThing{i}"),
                        "responses": {"200": ok(serde_json::json!({"$ref": format!("#/components/schemas/{model}")}))}
                    }
                });
                insert_first(&mut d["paths"], &format!("/{version}/NewThings{i}"), op);
            }
        });
    }
}
