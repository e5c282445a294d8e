//! Rustdoc from spec text: one `#[doc]` per line, safe for rustdoc and never a doctest.

use proc_macro2::TokenStream;
use quote::quote;

/// prettyplease puts no blank line between items; this adds one after each item
/// that ends with `}` (or `;` at the top level) and after the module docs.
pub(super) fn space_items(text: &str) -> String {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = String::with_capacity(text.len() + text.len() / 16);
    for (n, line) in lines.iter().enumerate() {
        out.push_str(line);
        out.push('\n');
        let Some(next) = lines.get(n + 1) else {
            continue;
        };
        let indent = |l: &str| l.len() - l.trim_start().len();
        let t = line.trim();
        let nt = next.trim();
        let item_end = t == "}"
            || t == "};"
            || (indent(line) == 0
                && t.ends_with(';')
                && !nt.starts_with("pub mod")
                && !nt.starts_with("mod "));
        let closes = nt.starts_with('}') || nt.starts_with(')') || nt.starts_with("else");
        let docs_end = t.starts_with("//!") && !nt.starts_with("//!");
        if (item_end && !closes && indent(line) == indent(next)) || docs_end {
            out.push('\n');
        }
    }
    out
}

/// Documentation from the spec, printed as `///` comments.
///
/// The tokens hold only a short placeholder (`#[doc = "<doc:7>"]`) and the text
/// waits in this thread's list until [`expand_placeholders`] puts it into the printed
/// file: escaping each description into a literal, parsing it back and printing
/// it again was a tenth of the generator's time, for text that needs none of it.
pub(super) fn doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    if lines.is_empty() {
        return quote!();
    }
    let marker = PENDING_DOCS.with(|docs| {
        let mut docs = docs.borrow_mut();
        docs.push(lines);
        format!("{DOC_MARKER}{}>", docs.len() - 1)
    });
    quote! { #[doc = #marker] }
}

/// How a placeholder starts; a whole printed line `///<doc:N>` is one. Spec
/// text is never printed before expansion, so it cannot forge one.
const DOC_MARKER: &str = "<doc:";

thread_local! {
    /// The doc lines of the placeholders made on this thread since the last
    /// [`take_placeholders`], by number.
    static PENDING_DOCS: std::cell::RefCell<Vec<Vec<String>>> = const { std::cell::RefCell::new(Vec::new()) };
    /// The items of the [`verbatim`] placeholders made on this thread since the
    /// last [`take_placeholders`], by number.
    static PENDING_ITEMS: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// An item written as text, placed like a doc: the tokens hold `__verbatim!(N);`
/// and [`expand_placeholders`] puts `text` in its place. For items whose layout the
/// printer would spoil (a macro call with one entry per line, which
/// prettyplease prints as a wrapped token stream), and which need no parsing.
pub(super) fn verbatim(text: String) -> TokenStream {
    let n = PENDING_ITEMS.with(|items| {
        let mut items = items.borrow_mut();
        items.push(text);
        items.len() - 1
    });
    let n = proc_macro2::Literal::usize_unsuffixed(n);
    quote! { __verbatim!(#n); }
}

/// The placeholders made on this thread: doc lines and verbatim items.
pub(super) struct Pending {
    docs: Vec<Vec<String>>,
    items: Vec<String>,
}

/// Takes (and clears) this thread's pending docs and verbatim items; call
/// before building a file's tokens and again after printing them.
pub(super) fn take_placeholders() -> Pending {
    Pending {
        docs: PENDING_DOCS.with(|docs| std::mem::take(&mut *docs.borrow_mut())),
        items: PENDING_ITEMS.with(|items| std::mem::take(&mut *items.borrow_mut())),
    }
}

/// `printed` with every placeholder line replaced by its doc lines or verbatim
/// item, indented like the placeholder.
pub(super) fn expand_placeholders(printed: &str, pending: &Pending) -> String {
    let extra: usize = pending
        .docs
        .iter()
        .flatten()
        .map(|l| l.len() + 8)
        .sum::<usize>()
        + pending.items.iter().map(String::len).sum::<usize>();
    let mut out = String::with_capacity(printed.len() + extra);
    for line in printed.lines() {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let doc = trimmed
            .strip_prefix("///")
            .and_then(|m| m.strip_prefix(DOC_MARKER))
            .and_then(|m| m.strip_suffix('>'))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| pending.docs.get(n));
        let item = trimmed
            .strip_prefix("__verbatim!(")
            .and_then(|m| m.strip_suffix(");"))
            .and_then(|n| n.parse::<usize>().ok())
            .and_then(|n| pending.items.get(n));
        if let Some(lines) = doc {
            for l in lines {
                out.push_str(indent);
                out.push_str("///");
                // As prettyplease prints them: a blank line has no trailing space.
                out.push_str(l.trim_end());
                out.push('\n');
            }
        } else if let Some(text) = item {
            for l in text.lines() {
                if !l.is_empty() {
                    out.push_str(indent);
                }
                out.push_str(l);
                out.push('\n');
            }
        } else {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// `#![doc = " line"]` per line: `//!` comments for a module or crate.
pub(super) fn inner_doc(text: &str) -> TokenStream {
    let lines = doc_lines(text);
    quote! { #( #![doc = #lines] )* }
}

/// Spec text never becomes a doctest: fenced blocks are marked `text` and
/// lines indented as code blocks are unindented.
pub(super) fn doc_lines(text: &str) -> Vec<String> {
    let mut in_fence = false;
    sanitize_doc(text)
        .lines()
        .map(|l| {
            let t = l.trim();
            if t.starts_with("```") {
                in_fence = !in_fence;
                return if in_fence {
                    " ```text".to_string()
                } else {
                    " ```".to_string()
                };
            }
            if in_fence {
                format!(" {}", l.trim_end())
            } else {
                format!(" {t}")
            }
        })
        .collect()
}

/// Spec text made safe for rustdoc: bare URLs become autolinks, stray brackets and
/// angle brackets are escaped so they are not read as links or HTML.
pub(super) fn sanitize_doc(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let chars: Vec<char> = text.trim().chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let starts_with = |prefix: &str| {
            prefix
                .chars()
                .eq(chars[i..].iter().take(prefix.len()).copied())
        };
        let at_url = starts_with("https://") || starts_with("http://");
        let after_link_paren = i > 0 && chars[i - 1] == '(' && i > 1 && chars[i - 2] == ']';
        if at_url && !after_link_paren && (i == 0 || chars[i - 1] != '<') {
            let end = (i..chars.len())
                .find(|&j| chars[j].is_whitespace() || chars[j] == '>' || chars[j] == ')')
                .unwrap_or(chars.len());
            let mut url: String = chars[i..end].iter().collect();
            let trailing: String = {
                let trimmed = url.trim_end_matches(['.', ',', ';', ':']).to_string();
                let t = url[trimmed.len()..].to_string();
                url = trimmed;
                t
            };
            out.push('<');
            out.push_str(&url);
            out.push('>');
            out.push_str(&trailing);
            i = end;
            continue;
        }
        match chars[i] {
            '[' => {
                // Keep `[text](url)` links; escape every other bracket.
                let close = (i..chars.len()).find(|&j| chars[j] == ']');
                match close {
                    Some(j) if chars.get(j + 1) == Some(&'(') => out.push('['),
                    _ => out.push_str("\\["),
                }
            }
            ']' => {
                if chars.get(i + 1) == Some(&'(') {
                    out.push(']');
                } else {
                    out.push_str("\\]");
                }
            }
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{doc, doc_lines, expand_placeholders, sanitize_doc, take_placeholders};

    #[test]
    fn doc_placeholders_expand_in_place_with_their_indentation() {
        take_placeholders();
        let tokens = doc("First line.\n\nSecond: `code`.");
        assert_eq!(tokens.to_string(), "# [doc = \"<doc:0>\"]");
        let printed = "/// kept\n    ///<doc:0>\n    fn f() {}\n///<doc:9>\n";
        let pending = take_placeholders();
        assert_eq!(
            expand_placeholders(printed, &pending),
            "/// kept\n    /// First line.\n    ///\n    /// Second: `code`.\n    fn f() {}\n///<doc:9>\n"
        );
        assert!(take_placeholders().docs.is_empty());
    }

    #[test]
    fn spec_text_never_becomes_a_doctest() {
        let lines = doc_lines("Example:\n```\nlet x = 1;\n```\n    indented code");
        assert_eq!(
            lines,
            [
                " Example:",
                " ```text",
                " let x = 1;",
                " ```",
                " indented code"
            ]
        );
    }

    #[test]
    fn markdown_links_are_kept() {
        let s = "See the [Conversation resource](https://www.twilio.com/docs/c) for more.";
        assert_eq!(sanitize_doc(s), s);
    }

    #[test]
    fn bare_urls_become_autolinks() {
        assert_eq!(
            sanitize_doc("Docs: https://twilio.com/x."),
            "Docs: <https://twilio.com/x>."
        );
    }

    #[test]
    fn html_and_stray_brackets_are_escaped() {
        assert_eq!(
            sanitize_doc("Use <Say> in [brackets]"),
            "Use &lt;Say&gt; in \\[brackets\\]"
        );
    }
}
