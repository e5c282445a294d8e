//! Markdown rendering of a [`Report`], for a pull-request comment.

use super::{HttpImpact, Report, RustImpact};
use std::collections::BTreeMap;

pub(super) fn markdown(r: &Report) -> String {
    let mut s = format!("## API changes: `{}` → `{}`\n\n", r.old, r.new);
    if r.groups.is_empty() {
        s.push_str("No API changes: both sides lower to the same API.\n");
        return s;
    }
    let version = match (&r.crate_version, &r.suggested_version) {
        (Some(cur), Some(next)) if cur == next => format!(" (version stays `{cur}`)"),
        (Some(cur), Some(next)) => format!(": next version `{next}` (from `{cur}`)"),
        _ => String::new(),
    };
    s.push_str("| | verdict | changes |\n|---|---|---|\n");
    s.push_str(&format!(
        "| HTTP callers | **{}** | {} |\n",
        verdict(http_word(r.http)),
        counts(r.changes().map(|c| http_word(c.http)))
    ));
    s.push_str(&format!(
        "| Rust crate | **{}**{version} | {} |\n",
        verdict(rust_word(r.rust)),
        counts(r.changes().map(|c| rust_word(c.rust)))
    ));
    for g in &r.groups {
        let title = match (g.version.as_str(), &g.resource) {
            ("", _) => "Crate-wide".to_string(),
            (v, None) => format!("`{v}` (version-wide and shared models)"),
            (v, Some(res)) => format!("`{v}` · `{res}`"),
        };
        s.push_str(&format!(
            "\n### {title}\n\n| HTTP | Rust | where | change |\n|---|---|---|---|\n"
        ));
        for c in &g.changes {
            // An operation's row names everything a reviewer may search for:
            // the Rust method, the spec's operationId, the method and path.
            let place = match &c.operation {
                Some(op) => format!(
                    "`{}`<br>`{}`<br>`{} {}`",
                    cell(&c.target),
                    cell(&op.operation_id),
                    op.method,
                    cell(&op.path)
                ),
                None => format!("`{}`", cell(&c.target)),
            };
            s.push_str(&format!(
                "| {} | {} | {place} | {} |\n",
                http_word(c.http),
                rust_word(c.rust),
                cell(&c.detail)
            ));
        }
    }
    s.push_str(
        "\n<sub>HTTP: what the change means for code calling the API directly. \
         Rust: what it means for code using the generated crate (semver; in 0.x a major \
         change bumps the minor number). `-`: no effect on that side.</sub>\n",
    );
    s
}

fn verdict(word: &str) -> &str {
    if word == "-" {
        "none"
    } else {
        word
    }
}

/// `2 breaking, 1 docs`, most severe first.
fn counts<'a>(words: impl Iterator<Item = &'a str>) -> String {
    let mut n: BTreeMap<&str, usize> = BTreeMap::new();
    for w in words {
        *n.entry(w).or_default() += 1;
    }
    let order = [
        "breaking",
        "non-breaking",
        "docs",
        "major",
        "minor",
        "patch",
        "-",
    ];
    order
        .iter()
        .filter_map(|w| {
            n.get(w)
                .map(|k| format!("{k} {}", if *w == "-" { "none" } else { w }))
        })
        .collect::<Vec<_>>()
        .join(", ")
}

fn http_word(h: HttpImpact) -> &'static str {
    match h {
        HttpImpact::None => "-",
        HttpImpact::Docs => "docs",
        HttpImpact::NonBreaking => "non-breaking",
        HttpImpact::Breaking => "breaking",
    }
}

fn rust_word(r: RustImpact) -> &'static str {
    match r {
        RustImpact::None => "-",
        RustImpact::Patch => "patch",
        RustImpact::Minor => "minor",
        RustImpact::Major => "major",
    }
}

/// Text safe inside a table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace('\n', " ")
}

/// Which changes go in a changelog section.
type Wanted = fn(&super::Change) -> bool;

/// A `CHANGELOG.md` entry for `version`: a sentence with the verdicts, then the
/// changes in words, breaking ones first (for HTTP callers or for the crate), then
/// additions, then fixes and documentation, then notes with no effect.
pub(super) fn changelog(r: &Report, version: &str, sources: &[String]) -> String {
    let files: Vec<String> = sources.iter().map(|s| format!("`{s}`")).collect();
    let mut s = format!(
        "## {version}\n\nSpec update: {}. Rust crate: {} change; HTTP callers: {}.\n",
        files.join(", "),
        verdict(rust_word(r.rust)),
        verdict(http_word(r.http))
    );
    let sections: [(&str, Wanted); 4] = [
        ("Breaking changes", |c| {
            c.rust == RustImpact::Major || c.http == HttpImpact::Breaking
        }),
        ("Added", |c| c.rust == RustImpact::Minor),
        ("Fixed and documented", |c| c.rust == RustImpact::Patch),
        ("Notes", |c| c.rust == RustImpact::None),
    ];
    let mut done = vec![false; r.changes().count()];
    for (title, wanted) in sections {
        let mut lines = vec![];
        for (i, (g, c)) in r
            .groups
            .iter()
            .flat_map(|g| g.changes.iter().map(move |c| (g, c)))
            .enumerate()
        {
            if done[i] || !wanted(c) {
                continue;
            }
            done[i] = true;
            let mut place = vec![];
            if !g.version.is_empty() {
                place.push(format!("`{}`", g.version));
            }
            if let Some(res) = &g.resource {
                place.push(format!("`{res}`"));
            }
            let item = match &c.operation {
                Some(op) => format!(
                    "`{}` (`{}`, `{} {}`)",
                    c.target, op.operation_id, op.method, op.path
                ),
                None => format!("`{}`", c.target),
            };
            place.push(item);
            lines.push(format!("- {}: {}.\n", place.join(" · "), c.detail));
        }
        if !lines.is_empty() {
            s.push_str(&format!("\n### {title}\n\n"));
            s.extend(lines);
        }
    }
    s
}
