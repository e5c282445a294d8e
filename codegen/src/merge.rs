//! Merge: the vendor spec and any supplements become one API. A path+method or a
//! component name defined twice with different content is an error, never an override.

use crate::error::{Error, Pointer, Result};
use crate::load::Spec;
use openapiv3::{PathItem, ReferenceOr};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// Something taken from a spec file, with where it came from.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub file: PathBuf,
    pub pointer: Pointer,
    pub item: T,
}

impl<T> Located<T> {
    pub fn error(&self, message: impl Into<String>) -> Error {
        self.pointer.error(&self.file, message)
    }
}

/// One path of the merged API.
#[derive(Debug, Clone)]
pub struct MergedPath {
    pub item: Located<PathItem>,
    /// The servers that apply to this path (its own, else its document's), and where
    /// they are written.
    pub servers: Located<Vec<openapiv3::Server>>,
    /// The document-level security, for operations that do not set their own.
    pub security: Option<Vec<openapiv3::SecurityRequirement>>,
}

/// A path's key in the merged API: its template and the URL of the server it is
/// served from (`("/v1/Credentials", "https://chat.twilio.com")`). Twilio's
/// catalogue has the same template on several hosts (chat_v1's and
/// accounts_v1's `/v1/Credentials`): those are different paths. The template
/// comes first so that paths are visited in template order, whatever their host.
pub type PathKey = (String, String);

/// The union of all input specs.
#[derive(Debug, Clone, Default)]
pub struct Merged {
    pub paths: BTreeMap<PathKey, MergedPath>,
    pub components: Components,
    /// Every file's [`RefSiblings`](crate::load::RefSiblings), by file and pointer.
    pub ref_siblings: BTreeMap<(PathBuf, String), crate::load::RefSiblings>,
    /// Every file's object formats (see [`Spec::object_formats`]), by file and pointer.
    pub object_formats: BTreeMap<(PathBuf, String), String>,
}

/// A component's key: the file that defines it and its name. A `$ref` such as
/// `#/components/schemas/X` points into its own document, so two specs may both
/// define `X` (Twilio's `call_enum_status`-style enum names recur across its
/// specs) without one replacing the other.
pub type ComponentKey = (PathBuf, String);

/// Every component section a `$ref` can point into, by file and name.
#[derive(Debug, Clone, Default)]
pub struct Components {
    pub schemas: BTreeMap<ComponentKey, Located<ReferenceOr<openapiv3::Schema>>>,
    pub parameters: BTreeMap<ComponentKey, Located<ReferenceOr<openapiv3::Parameter>>>,
    pub request_bodies: BTreeMap<ComponentKey, Located<ReferenceOr<openapiv3::RequestBody>>>,
    pub responses: BTreeMap<ComponentKey, Located<ReferenceOr<openapiv3::Response>>>,
    pub headers: BTreeMap<ComponentKey, Located<ReferenceOr<openapiv3::Header>>>,
    pub security_schemes: BTreeMap<ComponentKey, Located<ReferenceOr<openapiv3::SecurityScheme>>>,
}

pub fn merge(specs: Vec<Spec>) -> Result<Merged> {
    // The specs are taken by value and moved in: cloning api_v2010's paths and
    // components was a tenth of its generation time.
    let mut merged = Merged::default();
    for spec in specs {
        let Spec {
            file,
            doc,
            ref_siblings,
            object_formats,
        } = spec;
        for (pointer, s) in ref_siblings {
            merged.ref_siblings.insert((file.clone(), pointer), s);
        }
        for (pointer, f) in object_formats {
            merged.object_formats.insert((file.clone(), pointer), f);
        }
        let paths_ptr = Pointer::root().push("paths");
        for (path, item) in doc.paths.paths {
            let pointer = paths_ptr.push(&path);
            let ReferenceOr::Item(item) = item else {
                return Err(pointer.error(
                    &file,
                    "unsupported construct: a `$ref` path item; expected an inline path item",
                ));
            };
            // With no servers anywhere, the error points at this path's (missing)
            // `servers`, so it names the path that has no base URL.
            let (servers, servers_at) = if item.servers.is_empty() && !doc.servers.is_empty() {
                (doc.servers.clone(), Pointer::root().push("servers"))
            } else {
                (item.servers.clone(), pointer.push("servers"))
            };
            let new = MergedPath {
                item: Located {
                    file: file.clone(),
                    pointer,
                    item,
                },
                servers: Located {
                    file: file.clone(),
                    pointer: servers_at,
                    item: servers,
                },
                security: doc.security.clone(),
            };
            let key = (path, server_key(&new.servers.item));
            match merged.paths.get_mut(&key) {
                None => {
                    merged.paths.insert(key, new);
                }
                Some(existing) => merge_path_item(existing, new)?,
            }
        }
        if let Some(c) = doc.components {
            let at = Pointer::root().push("components");
            let into = &mut merged.components;
            add_all(&mut into.schemas, c.schemas, &file, &at.push("schemas"));
            add_all(
                &mut into.parameters,
                c.parameters,
                &file,
                &at.push("parameters"),
            );
            add_all(
                &mut into.request_bodies,
                c.request_bodies,
                &file,
                &at.push("requestBodies"),
            );
            add_all(
                &mut into.responses,
                c.responses,
                &file,
                &at.push("responses"),
            );
            add_all(&mut into.headers, c.headers, &file, &at.push("headers"));
            add_all(
                &mut into.security_schemes,
                c.security_schemes,
                &file,
                &at.push("securitySchemes"),
            );
        }
    }
    Ok(merged)
}

/// The server part of a path's [`PathKey`]: its first server's URL without a
/// trailing `/` (lowering reports a path with no server, or a server it cannot use).
fn server_key(servers: &[openapiv3::Server]) -> String {
    servers
        .first()
        .map(|s| s.url.trim_end_matches('/').to_string())
        .unwrap_or_default()
}

/// Adds a second file's operations to a path that an earlier file already has.
fn merge_path_item(existing: &mut MergedPath, new_path: MergedPath) -> Result<()> {
    let new = new_path.item;
    let methods = |p: &PathItem| p.iter().map(|(m, _)| m.to_string()).collect::<Vec<_>>();
    let have = methods(&existing.item.item);
    if let Some(dup) = methods(&new.item).into_iter().find(|m| have.contains(m)) {
        return Err(new.pointer.push(&dup).error(
            &new.file,
            format!(
                "`{dup}` on this path is already defined in {}; a supplement may add operations, not redefine them",
                existing.item.file.display()
            ),
        ));
    }
    let shared = |p: &PathItem| (json(&p.parameters), json(&p.extensions));
    if shared(&existing.item.item) != shared(&new.item) {
        return Err(new.error(format!(
            "this path's parameters or `x-` extensions differ from its definition in {}",
            existing.item.file.display()
        )));
    }
    let urls = |s: &[openapiv3::Server]| s.iter().map(|s| s.url.clone()).collect::<Vec<_>>();
    if urls(&existing.servers.item) != urls(&new_path.servers.item) {
        return Err(new_path.servers.error(format!(
            "these servers differ from those that apply to the same path in {}",
            existing.item.file.display()
        )));
    }
    if json(&existing.security) != json(&new_path.security) {
        return Err(Error::new(
            &new.file,
            "/security",
            format!(
                "the document-level security differs from that of {}, which defines the same path",
                existing.item.file.display()
            ),
        ));
    }
    copy_operations(&mut existing.item.item, &new.item);
    Ok(())
}

/// Copies every operation `src` defines into `target`.
fn copy_operations(target: &mut PathItem, src: &PathItem) {
    for (slot, op) in [
        (&mut target.get, &src.get),
        (&mut target.put, &src.put),
        (&mut target.post, &src.post),
        (&mut target.delete, &src.delete),
        (&mut target.options, &src.options),
        (&mut target.head, &src.head),
        (&mut target.patch, &src.patch),
        (&mut target.trace, &src.trace),
    ] {
        if op.is_some() {
            slot.clone_from(op);
        }
    }
}

fn add_all<T>(
    into: &mut BTreeMap<ComponentKey, Located<T>>,
    from: indexmap::IndexMap<String, T>,
    file: &std::path::Path,
    at: &Pointer,
) {
    for (name, item) in from {
        let pointer = at.push(&name);
        into.insert(
            (file.to_path_buf(), name),
            Located {
                file: file.to_path_buf(),
                pointer,
                item,
            },
        );
    }
}

fn json<T: Serialize>(v: &T) -> serde_json::Value {
    serde_json::to_value(v).unwrap_or(serde_json::Value::Null)
}

/// The merged API as one OpenAPI document (for tools that take a single file,
/// such as the mock server). Clashes are errors exactly as in [`merge`].
pub fn merged_document(specs: &[Spec]) -> Result<openapiv3::OpenAPI> {
    merge(specs.to_vec())?;
    let Some((first, rest)) = specs.split_first() else {
        return Err(Error::new("", "", "no spec files given"));
    };
    let mut doc = first.doc.clone();
    for spec in rest {
        for (path, item) in &spec.doc.paths.paths {
            let ReferenceOr::Item(new) = item else {
                continue;
            };
            match doc.paths.paths.get_mut(path) {
                Some(ReferenceOr::Item(existing)) => {
                    // `merge` above checked that the methods do not overlap.
                    copy_operations(existing, new);
                }
                _ => {
                    let mut new = new.clone();
                    // Keep the supplement's servers on its own paths.
                    if new.servers.is_empty() {
                        new.servers = spec.doc.servers.clone();
                    }
                    doc.paths.paths.insert(path.clone(), ReferenceOr::Item(new));
                }
            }
        }
        if let Some(c) = &spec.doc.components {
            let into = doc.components.get_or_insert_with(Default::default);
            // One document has one namespace: a name both files define differently
            // cannot be written into it without replacing one of them.
            clash(&into.schemas, &c.schemas, spec, "schemas")?;
            clash(&into.parameters, &c.parameters, spec, "parameters")?;
            clash(
                &into.request_bodies,
                &c.request_bodies,
                spec,
                "requestBodies",
            )?;
            clash(&into.responses, &c.responses, spec, "responses")?;
            clash(&into.headers, &c.headers, spec, "headers")?;
            clash(&into.examples, &c.examples, spec, "examples")?;
            clash(
                &into.security_schemes,
                &c.security_schemes,
                spec,
                "securitySchemes",
            )?;
            into.schemas.extend(c.schemas.clone());
            into.parameters.extend(c.parameters.clone());
            into.request_bodies.extend(c.request_bodies.clone());
            into.responses.extend(c.responses.clone());
            into.headers.extend(c.headers.clone());
            into.examples.extend(c.examples.clone());
            into.security_schemes.extend(c.security_schemes.clone());
        }
    }
    Ok(doc)
}

/// The error for a component `new` defines with a name `have` already holds differently.
fn clash<T: Serialize>(
    have: &indexmap::IndexMap<String, T>,
    new: &indexmap::IndexMap<String, T>,
    spec: &Spec,
    section: &str,
) -> Result<()> {
    for (name, item) in new {
        if have.get(name).is_some_and(|h| json(h) != json(item)) {
            return Err(Pointer::root()
                .push("components")
                .push(section)
                .push(name)
                .error(
                    &spec.file,
                    format!("component `{name}` is also defined, differently, in an earlier spec; one merged document cannot hold both"),
                ));
        }
    }
    Ok(())
}
