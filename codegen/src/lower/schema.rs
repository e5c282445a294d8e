//! Lowering of schemas: Rust types, generated models, and SID newtype names.

use super::{At, Lowerer};
use crate::error::Result;
use crate::ir::{EnumValue, Field, Model, ModelKind, Type, Variant};
use crate::merge::Located;
use crate::names::{camel, snake, unraw};
use crate::names_lock::{format_enum_key, type_key, NamesLock};
use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind,
    StringFormat, VariantOrUnknownOrEmpty,
};
use std::collections::{BTreeMap, BTreeSet};

/// What a model is generated from, for its entry in the names lock.
#[derive(Clone, Copy)]
pub(super) enum Owner<'o> {
    /// A component schema.
    Component(&'o crate::merge::ComponentKey),
    /// An inline schema, by the context name it is named after.
    Context(&'o str),
    /// The shared enum of a custom format's value set, by its `format_enum_key`
    /// (locked in the lock's `format_enums`).
    Format(&'o str),
}

impl Owner<'_> {
    /// The owner part of its `type_key` (`twilio_flex_v1.json#flex.v1.flex_flow`,
    /// `ListFlexFlowResponse`), or a format enum's key.
    fn key(&self) -> String {
        match self {
            Owner::Component((file, name)) => {
                let file = file.file_name().unwrap_or(file.as_os_str());
                format!("{}#{name}", file.to_string_lossy())
            }
            Owner::Context(ctx) => ctx.to_string(),
            Owner::Format(key) => key.to_string(),
        }
    }
}

/// The model names `lock` holds, by (module, name): the owner key (see
/// [`Owner::key`]) of each `types` entry, and the key of each format enum.
pub(super) fn locked_type_owners(lock: &NamesLock) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    for (key, name) in lock.types() {
        if let Some((module, owner)) = key.split_once(' ') {
            out.insert((module.to_string(), name.to_string()), owner.to_string());
        }
    }
    for (key, name) in lock.format_enums() {
        if let Some((module, _)) = key.split_once(' ') {
            out.insert((module.to_string(), name.to_string()), key.to_string());
        }
    }
    out
}

impl<'a> Lowerer<'a> {
    /// The `format` of the `type: object` schema at `at`, if it has one.
    pub(super) fn object_format(&self, at: &At) -> Option<&'a str> {
        self.merged
            .object_formats
            .get(&(at.file.clone(), at.ptr.as_str().to_string()))
            .map(String::as_str)
    }

    /// The `description`/`nullable` written beside the `$ref` at `at`, if any.
    pub(super) fn ref_siblings(&self, at: &At) -> Option<&'a crate::load::RefSiblings> {
        self.merged
            .ref_siblings
            .get(&(at.file.clone(), at.ptr.as_str().to_string()))
    }

    /// Follows a schema `$ref` to its component (one level; chains are followed too).
    pub(super) fn resolve_schema_ref<'s>(
        &self,
        schema: &'s ReferenceOr<Schema>,
        at: &At,
    ) -> Result<(&'s Schema, At)>
    where
        'a: 's,
    {
        let mut current = schema;
        let mut at = at.clone();
        for _ in 0..32 {
            match current {
                ReferenceOr::Item(s) => return Ok((s, at)),
                ReferenceOr::Reference { reference } => {
                    let (target, _) = self.schema_component(reference, &at)?;
                    at = At::of(target);
                    current = &target.item;
                }
            }
        }
        Err(at.error("`$ref` chain too long (a cycle?)"))
    }

    pub(super) fn schema_component(
        &self,
        reference: &str,
        at: &At,
    ) -> Result<(&'a Located<ReferenceOr<Schema>>, &'a str)> {
        let name = reference
            .strip_prefix("#/components/schemas/")
            .ok_or_else(|| {
                at.push("$ref").error(format!(
                    "unsupported `$ref` `{reference}`: expected `#/components/schemas/NAME`"
                ))
            })?;
        // A `#/…` reference points into the document it is written in.
        let (key, target) = self
            .merged
            .components
            .schemas
            .get_key_value(&(at.file.clone(), name.to_string()))
            .ok_or_else(|| {
                at.push("$ref").error(format!(
                    "broken `$ref`: no schema `{name}` in components.schemas"
                ))
            })?;
        self.referenced.borrow_mut().insert(key.clone());
        Ok((target, key.1.as_str()))
    }

    /// The module and type name a component schema of `file` is generated as:
    /// `flex.v2.flex_user` -> `flex_v2::models::FlexUser` when `flex_v2` is its
    /// version and one of its own file's modules. (A name of another file's
    /// version stays in `module`: content_v2's `content.v1.content` is
    /// `content_v2::models::ContentV1Content` whether or not content_v1's spec
    /// is generated beside it.)
    pub(super) fn component_type_name(
        &self,
        component: &str,
        module: &str,
        file: &std::path::Path,
    ) -> (String, String) {
        let parts: Vec<&str> = component.split('.').collect();
        if parts.len() >= 3 {
            let candidate = snake(&format!("{}_{}", parts[0], parts[1]));
            if self
                .file_modules
                .get(file)
                .is_some_and(|m| m.contains(&candidate))
            {
                return (candidate, camel(&component_type_base(component)));
            }
        }
        (module.to_string(), camel(component))
    }

    /// Reserves each component schema's type name (`flex.v1.flex_team` ->
    /// `FlexTeam` in `flex_v1`; `call_enum_status` -> `CallEnumStatus` in every
    /// module its file's paths are in, as any of them may use it) before anything
    /// is lowered. A type named from its context (`UpdateFlexTeamStatus`) that
    /// would take the same name is the one numbered, whichever is lowered first;
    /// so which paths a spec has, and their order, cannot move a component's
    /// name. Components no path reaches reserve their names too (a later spec
    /// may use them). When components of two files claim one name in a module,
    /// one that some path reaches wins over one that none does (Twilio's
    /// flex_v1 lists `flex.v1.flex_team` without a path; the Teams supplement's
    /// is used), then the first by file name.
    pub(super) fn reserve_component_names(&mut self) {
        type Key = crate::merge::ComponentKey;
        let mut claims: BTreeMap<(String, String), Vec<&Key>> = BTreeMap::new();
        for (key, schema) in &self.merged.components.schemas {
            let ReferenceOr::Item(item) = &schema.item else {
                continue;
            };
            if !is_named_kind(item) {
                continue;
            }
            // Where `component_type_name` puts it, seen from each module: the
            // name the lock gives it there, else its own unless the lock gives
            // that to another model (then `free_name` numbers it).
            for module in self.file_modules.get(&key.0).into_iter().flatten() {
                let (module, base) = self.component_type_name(&key.1, module, &key.0);
                let owner = Owner::Component(key).key();
                let locked = self.lock.type_name(&type_key(&module, &owner));
                let place = (module, locked.map_or(base, String::from));
                if locked.is_none() && self.type_owners.contains_key(&place) {
                    continue;
                }
                claims.entry(place).or_default().push(key);
            }
        }
        // Which components a path reaches matters only between files that
        // claim one name (rare), and a `$ref` stays in its file: only those
        // files are searched.
        let contested: BTreeSet<&std::path::Path> = claims
            .values()
            .filter(|keys| keys.iter().any(|k| k.0 != keys[0].0))
            .flatten()
            .map(|k| k.0.as_path())
            .collect();
        let reached = reached_schemas(self.merged, &contested);
        for (place, mut keys) in claims {
            keys.sort_by_key(|k| (!reached.contains(*k), k.0.file_name(), &k.1));
            self.reserved.insert(place, keys[0].clone());
        }
    }

    /// The name of `owner`'s model in `module`: the lock's, else `base` or,
    /// where that is used in `module`, reserved for another component or held
    /// by another model in the lock, `base` with the first free number. Names
    /// not from the lock are recorded for it (format enums have their own
    /// section).
    pub(super) fn free_name(&mut self, module: &str, base: &str, owner: Owner) -> String {
        let owner_key = owner.key();
        let used = |n: &str| self.models.get(module).is_some_and(|m| m.contains_key(n));
        if !matches!(owner, Owner::Format(_)) {
            if let Some(n) = self.lock.type_name(&type_key(module, &owner_key)) {
                if !used(n) {
                    return n.to_string();
                }
            }
        }
        let component = match owner {
            Owner::Component(k) => Some(k),
            _ => None,
        };
        let taken = |n: &str| {
            let place = (module.to_string(), n.to_string());
            used(n)
                || self
                    .reserved
                    .get(&place)
                    .is_some_and(|k| Some(k) != component)
                || self
                    .type_owners
                    .get(&place)
                    .is_some_and(|o| *o != owner_key)
        };
        let name = std::iter::once(base.to_string())
            .chain((2..).map(|n| format!("{base}{n}")))
            .find(|n| !taken(n))
            .expect("unbounded");
        if !matches!(owner, Owner::Format(_)) {
            self.type_entries
                .push((type_key(module, &owner_key), name.clone()));
        }
        name
    }

    pub(super) fn add_model(&mut self, module: &str, model: Model) {
        self.models
            .entry(module.to_string())
            .or_default()
            .insert(model.name.clone(), model);
    }

    /// The Rust type of a schema. `ctx` names inline objects and enums; `sid_hint` is
    /// the parameter or property name, used to name SID newtypes.
    pub(super) fn schema_type(
        &mut self,
        module: &str,
        ctx: &str,
        sid_hint: Option<&str>,
        schema: &ReferenceOr<Schema>,
        at: &At,
    ) -> Result<Type> {
        let schema = match schema {
            ReferenceOr::Item(s) => s,
            ReferenceOr::Reference { reference } => {
                let (target, component) = self.schema_component(reference, at)?;
                let named_key = (target.file.clone(), component.to_string());
                if let Some(t) = self.named.get(&named_key) {
                    return Ok(t.clone());
                }
                let target_at = At::of(target);
                let (item, item_at) = self.resolve_schema_ref(&target.item, &target_at)?;
                if is_named_kind(item) {
                    let (tmodule, base) = self.component_type_name(component, module, &target.file);
                    let name = self.free_name(&tmodule, &base, Owner::Component(&named_key));
                    let ty = Type::Model {
                        module: tmodule.clone(),
                        name: name.clone(),
                    };
                    // Registered before lowering the body so recursive schemas terminate.
                    self.named.insert(named_key, ty.clone());
                    let placeholder = Model {
                        name: name.clone(),
                        source: component.to_string(),
                        doc: String::new(),
                        kind: ModelKind::Struct { fields: vec![] },
                    };
                    self.add_model(&tmodule, placeholder);
                    let model = self.lower_model(&tmodule, &name, component, item, &item_at)?;
                    self.add_model(&tmodule, model);
                    return Ok(ty);
                }
                // Only named types can contain themselves; `A: {items: {$ref: A}}`
                // has no finite Rust type.
                if !self.inlining.insert(named_key.clone()) {
                    return Err(at.push("$ref").error(format!(
                        "unsupported construct: schema `{component}` contains itself other than through an object"
                    )));
                }
                let ctx = camel(&component_type_base(component));
                let ty = self.schema_type(
                    module,
                    &ctx,
                    sid_hint,
                    &ReferenceOr::Item(item.clone()),
                    &item_at,
                );
                self.inlining.remove(&named_key);
                // The same component lowers to the same type wherever it is used
                // (its context is its own name): an array of an inline enum is
                // one `…Item` enum, not a numbered copy per use, whose numbers
                // would shift as uses come and go.
                let ty = ty?;
                self.named.insert(named_key, ty.clone());
                return Ok(ty);
            }
        };
        if let Some(format) = format_enum(schema) {
            return self.format_enum(module, ctx, format, schema, at);
        }
        if is_named_kind(schema) {
            let name = self.free_name(module, ctx, Owner::Context(ctx));
            let ty = Type::Model {
                module: module.to_string(),
                name: name.clone(),
            };
            let placeholder = Model {
                name: name.clone(),
                source: ctx.to_string(),
                doc: String::new(),
                kind: ModelKind::Struct { fields: vec![] },
            };
            self.add_model(module, placeholder);
            let model = self.lower_model(module, &name, ctx, schema, at)?;
            self.add_model(module, model);
            return Ok(ty);
        }
        Ok(match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) => {
                if let Some(p) = &s.pattern {
                    if let Some(prefixes) = sid_prefixes(p) {
                        let key = prefixes.join("|");
                        if let Some(hint) = sid_hint.map(camel) {
                            // A bare `Sid` is named after its context: the model
                            // (`Thing` + `Sid`) or the operation that carries it.
                            let hint = if hint == "Sid" {
                                format!("{}Sid", ctx.strip_suffix("Sid").unwrap_or(ctx))
                            } else {
                                hint
                            };
                            if hint.ends_with("Sid") {
                                *self
                                    .sid_names
                                    .entry(key.clone())
                                    .or_default()
                                    .entry(hint)
                                    .or_default() += 1;
                            }
                        }
                        self.sid_names.entry(key.clone()).or_default();
                        return Ok(Type::Sid(key));
                    }
                }
                match &s.format {
                    VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => Type::DateTime,
                    VariantOrUnknownOrEmpty::Item(StringFormat::Date) => Type::Date,
                    VariantOrUnknownOrEmpty::Unknown(f) if f == "date-time-rfc-2822" => {
                        Type::DateTimeRfc2822
                    }
                    // `uri`, `phone-number`, `currency`, `http-method`, … are text
                    // with a documented meaning, not a different type.
                    _ => Type::String,
                }
            }
            SchemaKind::Type(openapiv3::Type::Integer(i)) => match &i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => Type::I32,
                _ => Type::I64,
            },
            SchemaKind::Type(openapiv3::Type::Number(n)) => match &n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float | NumberFormat::Double)
                | VariantOrUnknownOrEmpty::Empty => Type::F64,
                // `type: number` with an integer format (OpenAPI generators' test
                // specs use it) is an integer of that width.
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int32" => Type::I32,
                VariantOrUnknownOrEmpty::Unknown(f) if f == "int64" || f == "integer" => Type::I64,
                VariantOrUnknownOrEmpty::Unknown(f) => {
                    return Err(at.push("format").error(format!(
                        "unsupported number format `{f}`; expected float, double, int32, int64 or integer"
                    )))
                }
            },
            SchemaKind::Type(openapiv3::Type::Boolean(_)) => Type::Bool,
            SchemaKind::Type(openapiv3::Type::Array(a)) => {
                let items = match &a.items {
                    Some(items) => self.schema_type(
                        module,
                        &format!("{ctx}Item"),
                        sid_hint,
                        &unbox_ref(items),
                        &at.push("items"),
                    )?,
                    None => Type::Any,
                };
                Type::Array(Box::new(items))
            }
            SchemaKind::Type(openapiv3::Type::Object(o)) => match &o.additional_properties {
                Some(AdditionalProperties::Schema(s)) => {
                    let v = self.schema_type(
                        module,
                        &format!("{ctx}Value"),
                        None,
                        s,
                        &at.push("additionalProperties"),
                    )?;
                    Type::Map(Box::new(v))
                }
                // Twilio's `uri-map` (names to URIs: `subresource_uris`, `links`) and
                // `string-map` (names to text).
                _ if matches!(self.object_format(at), Some("uri-map" | "string-map")) => {
                    Type::Map(Box::new(Type::String))
                }
                // `prefixed-collapsible-map-AddOns`: sent as `AddOns.<key>=<value>`.
                _ if collapsible_prefix(self.object_format(at)).is_some() => Type::CollapsibleMap {
                    prefix: collapsible_prefix(self.object_format(at)).unwrap_or_default().to_string(),
                },
                // Any other object without properties is free-form: its `format`
                // names a helper type in Twilio's SDKs but says nothing of its shape.
                _ => Type::Any,
            },
            SchemaKind::Any(any) => {
                if let Some(typ) = &any.typ {
                    let others: Vec<&str> = any_schema_members(any)
                        .into_iter()
                        .filter(|m| *m != "type")
                        .collect();
                    return Err(at.error(format!(
                        "unsupported construct: `type: {typ}` combined with {}; expected members that belong to that type",
                        if others.is_empty() { "nothing else".to_string() } else { format!("`{}`", others.join("`, `")) }
                    )));
                }
                // A `format` alone does not shape an untyped value: it stays free-form.
                if let Some(member) = any_schema_members(any).into_iter().find(|m| *m != "format") {
                    return Err(at.push(member).error(format!(
                        "unsupported construct: `{member}` on a schema without `type`; expected a typed schema"
                    )));
                }
                Type::Any
            }
            SchemaKind::OneOf { .. } => unreachable!("`oneOf` is a named kind"),
            SchemaKind::AllOf { .. } => unreachable!("`allOf` is a named kind"),
            SchemaKind::AnyOf { .. } => {
                return Err(at.push("anyOf").error("unsupported construct: `anyOf`"))
            }
            SchemaKind::Not { .. } => {
                return Err(at.push("not").error("unsupported construct: `not`"))
            }
        })
    }

    pub(super) fn lower_model(
        &mut self,
        module: &str,
        name: &str,
        source: &str,
        schema: &Schema,
        at: &At,
    ) -> Result<Model> {
        let doc = schema.schema_data.description.clone().unwrap_or_default();
        let kind = match &schema.schema_kind {
            SchemaKind::Type(openapiv3::Type::String(s)) => {
                let mut values = vec![];
                let mut variants = BTreeSet::new();
                let mut seen_wire = BTreeSet::new();
                // An exact duplicate is the same value: listed once.
                for wire in s
                    .enumeration
                    .iter()
                    .flatten()
                    .filter(|w| seen_wire.insert(w.as_str()))
                {
                    let mut variant = camel(wire);
                    if variant == "Other" {
                        variant = "Other_".to_string();
                    }
                    // Values that differ only in case or punctuation (`self`, `Self`)
                    // get a numeric suffix, in spec order.
                    let base = variant.trim_end_matches('_').to_string();
                    let mut n = 2;
                    while !variants.insert(variant.clone()) {
                        variant = format!("{base}V{n}");
                        n += 1;
                    }
                    values.push(EnumValue {
                        wire: wire.clone(),
                        variant,
                    });
                }
                ModelKind::Enum { values }
            }
            SchemaKind::Type(openapiv3::Type::Object(o)) => {
                let mut fields = vec![];
                self.object_fields(module, name, source, o, at, &mut fields)?;
                ModelKind::Struct { fields }
            }
            SchemaKind::AllOf { all_of } => self.lower_all_of(module, name, source, all_of, at)?,
            SchemaKind::OneOf { one_of } => self.lower_one_of(module, name, schema, one_of, at)?,
            _ => {
                unreachable!("is_named_kind admits only objects, string enums, `oneOf` and `allOf`")
            }
        };
        Ok(Model {
            name: name.to_string(),
            source: source.to_string(),
            doc,
            kind,
        })
    }

    /// The fields of object schema `o` (at `at`), appended to `fields`. A name
    /// already in `fields` (from another `allOf` part) is an error.
    fn object_fields(
        &mut self,
        module: &str,
        name: &str,
        source: &str,
        o: &openapiv3::ObjectType,
        at: &At,
        fields: &mut Vec<Field>,
    ) -> Result<()> {
        // `additionalProperties: false` (closed) is what a struct already means;
        // a schema or `true` would be members the struct has no place for.
        if matches!(
            o.additional_properties,
            Some(AdditionalProperties::Schema(_) | AdditionalProperties::Any(true))
        ) {
            return Err(at.push("additionalProperties").error(
                "unsupported construct: `additionalProperties` beside `properties` (an object with both named and arbitrary members); expected one or the other, or `additionalProperties: false`",
            ));
        }
        let props_at = at.push("properties");
        let mut names: BTreeSet<String> = fields.iter().map(|f| f.rust_name.clone()).collect();
        // Properties spelled as their Rust name (`date_created`, as Twilio's
        // are): another spelling of one (`DateCreated`) yields it wherever the
        // two are listed, so that a property added before it renames nothing.
        let canonical: BTreeSet<&str> = o
            .properties
            .keys()
            .filter(|p| unraw(&snake(p)) == p.as_str())
            .map(String::as_str)
            .collect();
        for (prop_name, prop) in &o.properties {
            let prop_at = props_at.push(prop_name);
            if let Some(i) = fields.iter().position(|f| &f.wire_name == prop_name) {
                // Another `allOf` part may annotate a property (a description, an
                // example); giving it a second shape is an error.
                let annotation = match prop {
                    ReferenceOr::Item(extra) => match &extra.schema_kind {
                        SchemaKind::Any(any) if any_schema_members(any).is_empty() => {
                            Some(&extra.schema_data)
                        }
                        _ => None,
                    },
                    ReferenceOr::Reference { .. } => None,
                };
                let Some(annotation) = annotation else {
                    return Err(prop_at.error(format!(
                        "unsupported construct: property `{prop_name}` defined by two `allOf` parts"
                    )));
                };
                if fields[i].doc.is_empty() {
                    fields[i].doc = annotation.description.clone().unwrap_or_default();
                }
                continue;
            }
            let prop = unbox_ref(prop);
            let (resolved, _) = self.resolve_schema_ref(&prop, &prop_at)?;
            let siblings = self.ref_siblings(&prop_at);
            let nullable = siblings.map_or(resolved.schema_data.nullable, |s| {
                s.nullable || resolved.schema_data.nullable
            });
            let pii = siblings.is_some_and(|s| s.pii)
                || resolved
                    .schema_data
                    .extensions
                    .get("x-twilio")
                    .and_then(|x| x.get("pii"))
                    .is_some();
            let doc = siblings
                .and_then(|s| s.description.clone())
                .or_else(|| resolved.schema_data.description.clone())
                .unwrap_or_default();
            let ctx = format!("{name}{}", camel(prop_name));
            // A model's own `sid` suggests the SID type's name from what the
            // model is (`api.v2010.account.call.stream` -> `StreamSid`).
            // Where another SID has that name, the product's (`sync.v1.service`
            // -> `SyncServiceSid`) is next in line: see `NamesLock::extended`.
            let own_sid = format!("{}_sid", source.rsplit('.').next().unwrap_or(source));
            let hint = if camel(prop_name) == "Sid" {
                if let Some((domain, _)) = source.split_once('.') {
                    self.suggest_sid_name(&prop, &format!("{}{}", camel(domain), camel(&own_sid)));
                }
                &own_sid
            } else {
                prop_name
            };
            let ty = self.schema_type(module, &ctx, Some(hint), &prop, &prop_at)?;
            if nested_date(&ty) {
                return Err(prop_at.error(
                    "unsupported construct: dates or date-times inside an array or map property",
                ));
            }
            let mut rust_name = snake(prop_name);
            if unraw(&rust_name) != prop_name && canonical.contains(unraw(&rust_name)) {
                rust_name = format!("{}_", unraw(&rust_name));
            }
            while !names.insert(rust_name.clone()) {
                rust_name = format!("{}_", unraw(&rust_name));
            }
            fields.push(Field {
                wire_name: prop_name.clone(),
                rust_name,
                ty,
                optional: nullable || !o.required.contains(prop_name),
                doc,
                pii,
                boxed: false,
                format: string_format(resolved),
            });
        }
        Ok(())
    }

    /// `allOf` whose parts are all objects (inline or `$ref`): one struct with
    /// every part's properties, in order, each required where its part says so.
    /// Anything else (a part that is not an object, a property in two parts) is
    /// an error.
    fn lower_all_of(
        &mut self,
        module: &str,
        name: &str,
        source: &str,
        all_of: &[ReferenceOr<Schema>],
        at: &At,
    ) -> Result<ModelKind> {
        let list_at = at.push("allOf");
        if all_of.is_empty() {
            return Err(list_at.error("expected at least one `allOf` part"));
        }
        // Every part's `required` applies to the combined object (a part may
        // require what another describes: `allOf: [$ref, {required: [id]}]`).
        let mut required = vec![];
        for (n, part) in all_of.iter().enumerate() {
            let (resolved, _) = self.resolve_schema_ref(part, &list_at.push(n))?;
            if let SchemaKind::Type(openapiv3::Type::Object(o)) = &resolved.schema_kind {
                required.extend(o.required.iter().cloned());
            }
        }
        let mut fields = vec![];
        for (n, part) in all_of.iter().enumerate() {
            let part_at = list_at.push(n);
            let (resolved, resolved_at) = self.resolve_schema_ref(part, &part_at)?;
            let SchemaKind::Type(openapiv3::Type::Object(o)) = &resolved.schema_kind else {
                return Err(part_at.error(
                    "unsupported construct: an `allOf` part that is not an object schema; expected objects to combine",
                ));
            };
            let mut combined = o.clone();
            combined.required = required.clone();
            let o = &combined;
            // A referenced part's properties are copied in, not named: one that
            // (through its properties) combines itself again would never end.
            let key = match part {
                ReferenceOr::Reference { reference } => {
                    let (target, component) = self.schema_component(reference, &part_at)?;
                    let key = (target.file.clone(), component.to_string());
                    if !self.inlining.insert(key.clone()) {
                        return Err(part_at.error(
                            "unsupported construct: an `allOf` part that contains the `allOf` itself",
                        ));
                    }
                    Some(key)
                }
                ReferenceOr::Item(_) => None,
            };
            let result = self.object_fields(module, name, source, o, &resolved_at, &mut fields);
            if let Some(key) = key {
                self.inlining.remove(&key);
            }
            result?;
        }
        Ok(ModelKind::Struct { fields })
    }

    /// A `oneOf`'s variants. With a `discriminator`, each alternative must be a
    /// `$ref` (its tag is the component name unless `mapping` says otherwise);
    /// without one, alternatives are tried in order when decoding.
    fn lower_one_of(
        &mut self,
        module: &str,
        name: &str,
        schema: &Schema,
        one_of: &[ReferenceOr<Schema>],
        at: &At,
    ) -> Result<ModelKind> {
        let list_at = at.push("oneOf");
        if one_of.is_empty() {
            return Err(list_at.error("expected at least one `oneOf` alternative"));
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        let mut variants = vec![];
        let mut names = BTreeSet::new();
        for (n, alt) in one_of.iter().enumerate() {
            let alt_at = list_at.push(n);
            let ty = self.schema_type(
                module,
                &format!("{name}Variant{}", n + 1),
                None,
                alt,
                &alt_at,
            )?;
            if matches!(ty, Type::DateTime | Type::Date | Type::DateTimeRfc2822) || nested_date(&ty)
            {
                return Err(
                    alt_at.error("unsupported construct: a date or date-time `oneOf` alternative")
                );
            }
            let (resolved, _) = self.resolve_schema_ref(alt, &alt_at)?;
            let closed_fields = match &resolved.schema_kind {
                SchemaKind::Type(openapiv3::Type::Object(o))
                    if o.additional_properties == Some(AdditionalProperties::Any(false)) =>
                {
                    Some(o.properties.keys().cloned().collect())
                }
                _ => None,
            };
            let tags = match (discriminator, alt) {
                (None, _) => vec![],
                (Some(d), ReferenceOr::Reference { reference }) => {
                    let mut tags: Vec<String> = d
                        .mapping
                        .iter()
                        .filter(|(_, r)| mapping_ref(r) == *reference)
                        .map(|(tag, _)| tag.clone())
                        .collect();
                    if tags.is_empty() {
                        let component = reference.rsplit('/').next().unwrap_or(reference);
                        tags.push(component.to_string());
                    }
                    tags
                }
                (Some(_), ReferenceOr::Item(_)) => {
                    return Err(alt_at.error(
                        "unsupported construct: an inline `oneOf` alternative beside a `discriminator`; expected a `$ref`",
                    ))
                }
            };
            let base = variant_name(&ty);
            let mut variant = base.clone();
            let mut k = 2;
            while variant == "Other" || !names.insert(variant.clone()) {
                variant = format!("{base}{k}");
                k += 1;
            }
            variants.push(Variant {
                name: variant,
                ty,
                tags,
                closed_fields,
                boxed: false,
            });
        }
        if let Some(d) = discriminator {
            let mut seen = BTreeSet::new();
            for v in &variants {
                for t in &v.tags {
                    if !seen.insert(t.clone()) {
                        return Err(at.push("discriminator").error(format!(
                            "discriminator value `{t}` selects two alternatives"
                        )));
                    }
                }
            }
            for (tag, reference) in &d.mapping {
                let target = mapping_ref(reference);
                if !one_of
                    .iter()
                    .any(|a| matches!(a, ReferenceOr::Reference { reference: r } if *r == target))
                {
                    return Err(at
                        .push("discriminator")
                        .push("mapping")
                        .push(tag)
                        .error(format!(
                            "`{reference}` is not one of the `oneOf` alternatives"
                        )));
                }
            }
        }
        Ok(ModelKind::OneOf {
            discriminator: discriminator.map(|d| d.property_name.clone()),
            variants,
        })
    }

    /// Chooses one Rust name per SID prefix set: the most used field/parameter name,
    /// ties broken by the shorter then the alphabetically first name.
    /// An inline string enum with a custom `format` (`http-method`): one type for
    /// every such enum in the version with the same format and values, e.g. one
    /// `HttpMethod` for api_v2010's 112 `GET`/`POST` method parameters and
    /// properties (Twilio's own libraries share one type too). It is named in
    /// [`name_format_enums`](Self::name_format_enums), once every use is counted;
    /// until then it is a placeholder.
    fn format_enum(
        &mut self,
        module: &str,
        ctx: &str,
        format: &str,
        schema: &Schema,
        at: &At,
    ) -> Result<Type> {
        let model = self.lower_model(module, "", ctx, schema, at)?;
        let ModelKind::Enum { values } = &model.kind else {
            unreachable!("format_enum admits only string enums")
        };
        let wires: Vec<String> = values.iter().map(|v| v.wire.clone()).collect();
        let key = (module.to_string(), format.to_string(), wires.clone());
        let next = self.format_enums.len();
        let entry = self.format_enums.entry(key).or_insert_with(|| FormatEnum {
            wires,
            placeholder: format!("{FORMAT_ENUM_PLACEHOLDER}{next}"),
            uses: 0,
            first_ctx: ctx.to_string(),
            kind: model.kind,
        });
        entry.uses += 1;
        Ok(Type::Model {
            module: module.to_string(),
            name: entry.placeholder.clone(),
        })
    }

    /// Names the shared format enums and adds them to their versions' models. A
    /// value set named in `lock` keeps that name. Of the rest, per version and
    /// format, the value set used most (then the one with fewer values, then
    /// alphabetically first) is named after the format (`HttpMethod`) unless a
    /// locked set holds that name; any other after its first use
    /// (`CreateCallMethod`), as an unshared enum would be. Returns each
    /// placeholder's name and the lock entries of the sets named here, so that
    /// a later update which makes another value set more used renames nothing.
    pub(super) fn name_format_enums(
        &mut self,
        lock: &NamesLock,
    ) -> (BTreeMap<String, String>, Vec<(String, String)>) {
        let mut groups: BTreeMap<(String, String), Vec<FormatEnum>> = BTreeMap::new();
        for ((module, format, _), e) in std::mem::take(&mut self.format_enums) {
            groups.entry((module, format)).or_default().push(e);
        }
        let mut names = BTreeMap::new();
        let mut entries = vec![];
        for ((module, format), mut sets) in groups {
            sets.sort_by(|a, b| {
                b.uses
                    .cmp(&a.uses)
                    .then(a.wires.len().cmp(&b.wires.len()))
                    .then(a.wires.cmp(&b.wires))
            });
            let key = |e: &FormatEnum| format_enum_key(&module, &format, &e.wires);
            // Locked sets first, so they take their names before any other.
            let (locked, unlocked): (Vec<_>, Vec<_>) = sets
                .into_iter()
                .partition(|e| lock.format_enum(&key(e)).is_some());
            let format_name = camel(format.as_str());
            let mut format_name_free = !locked
                .iter()
                .any(|e| lock.format_enum(&key(e)) == Some(format_name.as_str()));
            for e in locked.into_iter().chain(unlocked) {
                let k = key(&e);
                let base = match lock.format_enum(&k) {
                    Some(name) => name.to_string(),
                    None if std::mem::take(&mut format_name_free) => format_name.clone(),
                    None => e.first_ctx.clone(),
                };
                let name = self.free_name(&module, &base, Owner::Format(&k));
                self.add_model(
                    &module,
                    Model {
                        name: name.clone(),
                        source: format!("format: {format}"),
                        doc: format!("A value of `format: {format}`."),
                        kind: e.kind,
                    },
                );
                names.insert(e.placeholder, name.clone());
                entries.push((k, name));
            }
        }
        (names, entries)
    }

    /// Counts `name` as a suggestion for the SID type of `schema`, if it is one.
    fn suggest_sid_name(&mut self, schema: &ReferenceOr<Schema>, name: &str) {
        let ReferenceOr::Item(s) = schema else { return };
        let SchemaKind::Type(openapiv3::Type::String(s)) = &s.schema_kind else {
            return;
        };
        if let Some(prefixes) = s.pattern.as_deref().and_then(sid_prefixes) {
            *self
                .sid_names
                .entry(prefixes.join("|"))
                .or_default()
                .entry(name.to_string())
                .or_default() += 1;
        }
    }

    /// Each SID prefix set's type name (from `lock`, which has them all) and
    /// what it identifies, for its docs (`TeamSid` -> `team`).
    pub(super) fn name_sids(&self, lock: &NamesLock) -> BTreeMap<String, (String, String)> {
        self.sid_names
            .keys()
            .map(|key| {
                let name = lock
                    .get(key)
                    .unwrap_or_else(|| unreachable!("the lock was extended with `{key}`"));
                let what = super::sid_what(name);
                (key.clone(), (name.to_string(), what))
            })
            .collect()
    }
}

/// The `<Prefix>` of Twilio's `prefixed-collapsible-map-<Prefix>` object format.
fn collapsible_prefix(format: Option<&str>) -> Option<&str> {
    format
        .and_then(|f| f.strip_prefix("prefixed-collapsible-map-"))
        .filter(|p| !p.is_empty())
}

/// A discriminator `mapping` value as a `$ref`: a bare name means a component schema.
fn mapping_ref(value: &str) -> String {
    if value.starts_with('#') {
        value.to_string()
    } else {
        format!("#/components/schemas/{value}")
    }
}

/// The variant name for a `oneOf` alternative of type `t`.
fn variant_name(t: &Type) -> String {
    match t {
        Type::Model { name, .. } => name.clone(),
        // Named after the prefixes: the SID type's own name is chosen later.
        Type::Sid(key) => format!("{}Sid", camel(&key.replace('|', "_"))),
        Type::String => "String".into(),
        Type::I32 | Type::I64 => "Integer".into(),
        Type::F64 => "Number".into(),
        Type::Bool => "Boolean".into(),
        Type::Array(i) => format!("{}List", variant_name(i)),
        Type::Map(i) => format!("{}Map", variant_name(i)),
        Type::Any => "Value".into(),
        Type::CollapsibleMap { .. } => "ValueMap".into(),
        Type::DateTime | Type::DateTimeRfc2822 => "DateTime".into(),
        Type::Date => "Date".into(),
    }
}

/// A date or date-time inside an array or map (models decode those only directly).
pub(super) fn nested_date(t: &Type) -> bool {
    match t {
        Type::Array(i) | Type::Map(i) => {
            matches!(**i, Type::DateTime | Type::Date | Type::DateTimeRfc2822) || nested_date(i)
        }
        _ => false,
    }
}

/// What a shared format enum's type is called until it is named: no Rust name
/// or spec name can contain a space.
pub(super) const FORMAT_ENUM_PLACEHOLDER: &str = "format enum ";

/// One shared format enum (see `Lowerer::format_enum`).
pub(super) struct FormatEnum {
    /// Its values, as sent.
    wires: Vec<String>,
    placeholder: String,
    uses: usize,
    /// The context (type name) of its first use, in lowering order.
    first_ctx: String,
    kind: ModelKind,
}

/// The custom `format` of an inline string enum (`http-method`); `None` for
/// other schemas and for the standard string formats.
fn format_enum(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) if !s.enumeration.is_empty() => {
            match &s.format {
                VariantOrUnknownOrEmpty::Unknown(f) if !f.is_empty() => Some(f),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Objects with properties and string enums become named types; everything else is inline.
pub(super) fn is_named_kind(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(openapiv3::Type::String(s)) => !s.enumeration.is_empty(),
        SchemaKind::Type(openapiv3::Type::Object(o)) => !o.properties.is_empty(),
        SchemaKind::OneOf { .. } | SchemaKind::AllOf { .. } => true,
        _ => false,
    }
}

/// `flex.v2.flex_user` -> `flex_user`: the part after `domain.version.`.
pub(super) fn component_type_base(component: &str) -> String {
    let parts: Vec<&str> = component.split('.').collect();
    if parts.len() >= 3 {
        parts[2..].join("_")
    } else {
        component.to_string()
    }
}

/// `^FU[0-9a-fA-F]{32}$` -> `["FU"]`; `^(SM|MM)[0-9a-fA-F]{32}$` -> `["MM", "SM"]`.
pub(super) fn sid_prefixes(pattern: &str) -> Option<Vec<String>> {
    let body = pattern
        .strip_prefix('^')?
        .strip_suffix("[0-9a-fA-F]{32}$")?;
    let alts = body
        .strip_prefix('(')
        .and_then(|b| b.strip_suffix(')'))
        .unwrap_or(body);
    let mut prefixes: Vec<String> = alts.split('|').map(String::from).collect();
    let ok = prefixes
        .iter()
        .all(|p| p.len() == 2 && p.chars().all(|c| c.is_ascii_uppercase()));
    prefixes.sort();
    prefixes.dedup();
    ok.then_some(prefixes)
}

pub(super) fn unbox_ref(r: &ReferenceOr<Box<Schema>>) -> ReferenceOr<Schema> {
    match r {
        ReferenceOr::Item(s) => ReferenceOr::Item((**s).clone()),
        ReferenceOr::Reference { reference } => ReferenceOr::Reference {
            reference: reference.clone(),
        },
    }
}

/// The members of a schema openapiv3 could not classify that would constrain or shape the value.
pub(super) fn any_schema_members(any: &openapiv3::AnySchema) -> Vec<&'static str> {
    [
        (any.typ.is_some(), "type"),
        (any.format.is_some(), "format"),
        (any.pattern.is_some(), "pattern"),
        (!any.properties.is_empty(), "properties"),
        (any.additional_properties.is_some(), "additionalProperties"),
        (any.items.is_some(), "items"),
        (!any.enumeration.is_empty(), "enum"),
        (
            any.min_length.is_some() || any.max_length.is_some(),
            "minLength",
        ),
        (any.minimum.is_some() || any.maximum.is_some(), "minimum"),
        (!any.one_of.is_empty(), "oneOf"),
        (!any.all_of.is_empty(), "allOf"),
        (!any.any_of.is_empty(), "anyOf"),
        (any.not.is_some(), "not"),
    ]
    .into_iter()
    .filter_map(|(present, name)| present.then_some(name))
    .collect()
}

/// The `format` of a string schema (`uri`, `date-time`), as the spec spells it.
pub(super) fn string_format(schema: &Schema) -> Option<String> {
    use openapiv3::{StringFormat, VariantOrUnknownOrEmpty as V};
    let SchemaKind::Type(openapiv3::Type::String(s)) = &schema.schema_kind else {
        return None;
    };
    match &s.format {
        V::Item(f) => Some(
            match f {
                StringFormat::Date => "date",
                StringFormat::DateTime => "date-time",
                StringFormat::Password => "password",
                StringFormat::Byte => "byte",
                StringFormat::Binary => "binary",
            }
            .to_string(),
        ),
        V::Unknown(f) => Some(f.clone()),
        V::Empty => None,
    }
}

/// The component schemas of `files` a `$ref` reaches from some path, directly or through
/// other components (of any section: a parameter's schema, a response's).
/// Read from the documents as JSON: only `#/components/…` references exist
/// (lowering rejects any other), each into its own file.
fn reached_schemas(
    merged: &crate::merge::Merged,
    files: &BTreeSet<&std::path::Path>,
) -> BTreeSet<crate::merge::ComponentKey> {
    use serde_json::Value;
    let c = &merged.components;
    let component = |file: &std::path::Path, section: &str, name: &str| -> Option<Value> {
        let key = (file.to_path_buf(), name.to_string());
        match section {
            "schemas" => c.schemas.get(&key).map(|l| to_json(&l.item)),
            "parameters" => c.parameters.get(&key).map(|l| to_json(&l.item)),
            "requestBodies" => c.request_bodies.get(&key).map(|l| to_json(&l.item)),
            "responses" => c.responses.get(&key).map(|l| to_json(&l.item)),
            "headers" => c.headers.get(&key).map(|l| to_json(&l.item)),
            _ => None,
        }
    };
    let mut seen: BTreeSet<(std::path::PathBuf, String, String)> = BTreeSet::new();
    let mut todo: Vec<(std::path::PathBuf, Value)> = merged
        .paths
        .values()
        .filter(|mp| files.contains(mp.item.file.as_path()))
        .map(|mp| (mp.item.file.clone(), to_json(&mp.item.item)))
        .collect();
    while let Some((file, value)) = todo.pop() {
        let mut refs = vec![];
        collect_refs(&value, &mut refs);
        for r in refs {
            let Some(rest) = r.strip_prefix("#/components/") else {
                continue;
            };
            let Some((section, name)) = rest.split_once('/') else {
                continue;
            };
            if seen.insert((file.clone(), section.to_string(), name.to_string())) {
                if let Some(v) = component(&file, section, name) {
                    todo.push((file.clone(), v));
                }
            }
        }
    }
    seen.into_iter()
        .filter(|(_, section, _)| section == "schemas")
        .map(|(file, _, name)| (file, name))
        .collect()
}

/// Every `$ref` string in `value`.
fn collect_refs<'v>(value: &'v serde_json::Value, out: &mut Vec<&'v str>) {
    match value {
        serde_json::Value::Object(m) => {
            for (k, v) in m {
                match (k.as_str(), v) {
                    ("$ref", serde_json::Value::String(r)) => out.push(r),
                    _ => collect_refs(v, out),
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}

/// An OpenAPI node as JSON (what `reached_schemas` searches).
fn to_json<T: serde::Serialize>(node: &T) -> serde_json::Value {
    serde_json::to_value(node).unwrap_or(serde_json::Value::Null)
}
