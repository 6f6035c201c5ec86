//! Sanitising an uploaded SVG before any visitor sees it: the document is parsed (an
//! ill-formed one is refused) and written out again with only allow-listed elements and
//! attributes. What goes: scripts, `foreignObject`, `style` elements, images, links, filters,
//! every `on…` event attribute, every reference outside the document (`href`s that are not
//! `#id`, `url(…)` that is not `url(#id)`), `javascript:` and `data:` values, the doctype
//! (and with it any entity it declares), comments and processing instructions.
//!
//! An allow-list rather than a block-list: what an SVG renderer may do with an element we
//! did not think of is not our guess to make.

use quick_xml::events::Event;
use quick_xml::Reader;

const ELEMENTS: &[&str] = &[
    "svg",
    "g",
    "path",
    "circle",
    "ellipse",
    "line",
    "polyline",
    "polygon",
    "rect",
    "defs",
    "linearGradient",
    "radialGradient",
    "stop",
    "clipPath",
    "mask",
    "symbol",
    "use",
    "title",
    "desc",
    "text",
    "tspan",
    "pattern",
];

const ATTRIBUTES: &[&str] = &[
    "id",
    "class",
    "viewBox",
    "width",
    "height",
    "x",
    "y",
    "x1",
    "y1",
    "x2",
    "y2",
    "cx",
    "cy",
    "r",
    "rx",
    "ry",
    "fx",
    "fy",
    "d",
    "points",
    "transform",
    "fill",
    "fill-opacity",
    "fill-rule",
    "stroke",
    "stroke-width",
    "stroke-linecap",
    "stroke-linejoin",
    "stroke-miterlimit",
    "stroke-dasharray",
    "stroke-dashoffset",
    "stroke-opacity",
    "opacity",
    "clip-path",
    "clip-rule",
    "mask",
    "gradientUnits",
    "gradientTransform",
    "spreadMethod",
    "offset",
    "stop-color",
    "stop-opacity",
    "preserveAspectRatio",
    "version",
    "xmlns",
    "xmlns:xlink",
    "href",
    "xlink:href",
    "font-family",
    "font-size",
    "font-weight",
    "text-anchor",
    "dominant-baseline",
    "letter-spacing",
    "patternUnits",
    "patternContentUnits",
    "patternTransform",
    "maskUnits",
    "maskContentUnits",
    "clipPathUnits",
    "display",
    "visibility",
    "color",
    "style",
];

const SVG_NS: &str = "http://www.w3.org/2000/svg";
const XLINK_NS: &str = "http://www.w3.org/1999/xlink";

/// The sanitised document and what was removed (`<script>`, `onload`, …), or why the file
/// is not an SVG.
pub fn sanitize(input: &str) -> Result<(String, Vec<String>), String> {
    let mut reader = Reader::from_str(input);
    reader.config_mut().check_end_names = true;
    let mut out = String::with_capacity(input.len());
    let mut removed: Vec<String> = Vec::new();
    let mut note = |what: String| {
        if !removed.contains(&what) {
            removed.push(what);
        }
    };
    // Elements open in the output; `skipping` counts open elements inside a removed one.
    let mut open = 0usize;
    let mut skipping = 0usize;
    let mut seen_root = false;
    let mut closed_root = false;
    loop {
        let event = reader
            .read_event()
            .map_err(|e| format!("not a well-formed SVG: {e}"))?;
        let (start, empty) = match &event {
            Event::Start(e) => (Some(e), false),
            Event::Empty(e) => (Some(e), true),
            _ => (None, false),
        };
        if let Some(e) = start {
            if skipping > 0 {
                // `<a/>` has no end; only `<a>` nests deeper.
                if !empty {
                    skipping += 1;
                }
                continue;
            }
            {
                let name = e.name().as_ref().to_owned();
                let local = name.strip_prefix("svg:").unwrap_or(&name);
                if !seen_root && local != "svg" {
                    return Err("the file's root element is not <svg>".into());
                }
                if closed_root {
                    note(format!("<{name}> after the end of the image"));
                    if !empty {
                        skipping = 1;
                    }
                    continue;
                }
                if !ELEMENTS.contains(&local) {
                    note(format!("<{name}>"));
                    if !empty {
                        skipping = 1;
                    }
                    continue;
                }
                let root = !seen_root;
                seen_root = true;
                out.push('<');
                out.push_str(local);
                let mut has_ns = false;
                for a in e.attributes().with_checks(false) {
                    let a = a.map_err(|e| format!("not a well-formed SVG: {e}"))?;
                    let key = a.key.as_ref();
                    match attribute(key, &a.value) {
                        Ok(()) => {
                            if key == "xmlns" {
                                if a.value != SVG_NS {
                                    note(format!("{key}=\"{}\"", a.value));
                                    continue;
                                }
                                has_ns = true;
                            }
                            if key == "xmlns:xlink" && a.value != XLINK_NS {
                                note(format!("{key}=\"{}\"", a.value));
                                continue;
                            }
                            out.push(' ');
                            out.push_str(key);
                            out.push_str("=\"");
                            // The raw value is already escaped; only the quote may differ.
                            out.push_str(&a.value.replace('"', "&quot;"));
                            out.push('"');
                        }
                        Err(why) => note(why),
                    }
                }
                if root && !has_ns {
                    out.push_str(" xmlns=\"");
                    out.push_str(SVG_NS);
                    out.push('"');
                }
                if empty {
                    out.push_str("/>");
                    if root {
                        closed_root = true;
                    }
                } else {
                    out.push('>');
                    open += 1;
                }
            }
            continue;
        }
        match event {
            Event::Eof => break,
            Event::End(_) if skipping > 0 => skipping -= 1,
            Event::End(e) => {
                let name = e.name().as_ref().to_owned();
                let local = name.strip_prefix("svg:").unwrap_or(&name);
                out.push_str("</");
                out.push_str(local);
                out.push('>');
                open = open.saturating_sub(1);
                if open == 0 {
                    closed_root = true;
                }
            }
            Event::Text(t) if skipping == 0 && open > 0 => out.push_str(&t),
            Event::CData(t) if skipping == 0 && open > 0 => {
                // Written as escaped text: a CDATA section inside <svg> is only text.
                out.push_str(
                    &t.replace('&', "&amp;")
                        .replace('<', "&lt;")
                        .replace('>', "&gt;"),
                );
            }
            Event::GeneralRef(r) if skipping == 0 && open > 0 => {
                let name: &str = &r;
                let known = matches!(name, "amp" | "lt" | "gt" | "quot" | "apos")
                    || (name.starts_with('#')
                        && name[1..]
                            .trim_start_matches('x')
                            .chars()
                            .all(|c| c.is_ascii_hexdigit()));
                if known {
                    out.push('&');
                    out.push_str(name);
                    out.push(';');
                } else {
                    note(format!("the entity &{name};"));
                }
            }
            Event::DocType(_) => note("the doctype".into()),
            Event::Comment(_) | Event::PI(_) | Event::Decl(_) => {}
            _ => {}
        }
    }
    if !seen_root {
        return Err("the file has no <svg> element".into());
    }
    if open > 0 || skipping > 0 {
        return Err("not a well-formed SVG: it ends inside an element".into());
    }
    Ok((out, removed))
}

/// Whether an attribute may stay, or what to report about it.
fn attribute(key: &str, raw: &str) -> Result<(), String> {
    if key.to_ascii_lowercase().starts_with("on") {
        return Err(format!("the event attribute {key}"));
    }
    if !ATTRIBUTES.contains(&key) {
        return Err(format!("the attribute {key}"));
    }
    let lower = raw.to_ascii_lowercase();
    // An escaped character could hide a scheme ("&#106;avascript:"): values that could
    // reach outside the document are refused when they carry any reference.
    let refers = matches!(key, "href" | "xlink:href" | "style") || lower.contains("url(");
    if refers && raw.contains('&') {
        return Err(format!("{key} with an escaped character"));
    }
    if lower.contains("javascript:") || lower.contains("data:") || lower.contains("vbscript:") {
        return Err(format!("{key} with a script or data address"));
    }
    if matches!(key, "href" | "xlink:href") && !raw.trim_start().starts_with('#') {
        return Err(format!("{key} to an outside address"));
    }
    if let Some(why) = outside_url(&lower) {
        return Err(format!("{key} with {why}"));
    }
    if key == "style"
        && (lower.contains("@import") || lower.contains("expression") || raw.contains('\\'))
    {
        return Err("a style attribute that loads or runs something".into());
    }
    Ok(())
}

/// `url(…)` that is not `url(#id)`.
fn outside_url(lower: &str) -> Option<&'static str> {
    let mut rest = lower;
    while let Some(i) = rest.find("url(") {
        let arg = rest[i + 4..].trim_start_matches([' ', '\'', '"']);
        if !arg.starts_with('#') {
            return Some("an outside url(…)");
        }
        rest = &rest[i + 4..];
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scripts_events_foreign_objects_and_outside_references_go() {
        let evil = r##"<?xml version="1.0"?>
<!DOCTYPE svg [<!ENTITY x "boom">]>
<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 24 24" onload="alert(1)">
  <script>alert(2)</script>
  <foreignObject width="10" height="10"><div xmlns="http://www.w3.org/1999/xhtml"><img src="x" onerror="alert(3)"/></div></foreignObject>
  <a href="javascript:alert(4)"><circle cx="5" cy="5" r="4"/></a>
  <image href="https://tracker.example/pixel.png" width="1" height="1"/>
  <use xlink:href="https://evil.example/sprite.svg#i"/>
  <use href="#dot"/>
  <rect id="dot" width="2" height="2" fill="url(https://evil.example/p)" style="fill:red"/>
  <path d="M0 0h4" stroke="url(#grad)" onclick="steal()"/>
  <style>@import url(https://evil.example/x.css);</style>
  <text>Fish &amp; chips &x;</text>
</svg>"##;
        let (out, removed) = sanitize(evil).unwrap();
        for gone in [
            "script",
            "alert",
            "onload",
            "foreignObject",
            "onerror",
            "javascript",
            "<a",
            "<image",
            "tracker",
            "evil.example",
            "onclick",
            "<style",
            "@import",
            "boom",
            "DOCTYPE",
        ] {
            assert!(!out.contains(gone), "{gone} left in {out}");
        }
        for kept in [
            "<use href=\"#dot\"/>",
            "stroke=\"url(#grad)\"",
            "style=\"fill:red\"",
            "Fish &amp; chips",
            "viewBox=\"0 0 24 24\"",
            "<path d=\"M0 0h4\"",
        ] {
            assert!(out.contains(kept), "{kept} missing from {out}");
        }
        // The circle inside the removed link goes with it.
        assert!(!out.contains("circle"), "{out}");
        for said in [
            "<script>",
            "the event attribute onload",
            "<foreignObject>",
            "<a>",
            "<image>",
            "xlink:href to an outside address",
            "fill with an outside url(…)",
            "<style>",
            "the doctype",
        ] {
            assert!(
                removed.iter().any(|r| r == said),
                "{said} not in {removed:?}"
            );
        }
        // What comes out parses again and sanitises to itself.
        let (again, nothing) = sanitize(&out).unwrap();
        assert_eq!(again, out);
        assert!(nothing.is_empty(), "{nothing:?}");
    }

    #[test]
    fn escaped_schemes_and_bad_documents_are_refused() {
        let (out, removed) = sanitize(
            r#"<svg xmlns="http://www.w3.org/2000/svg"><use href="&#106;avascript:x"/></svg>"#,
        )
        .unwrap();
        assert!(!out.contains("avascript"), "{out}");
        assert_eq!(removed, ["href with an escaped character"]);
        for bad in [
            "",
            "hello",
            "<html><svg/></html>",
            "<svg><g></svg>",
            "<svg xmlns=\"http://www.w3.org/2000/svg\"><g>",
        ] {
            assert!(sanitize(bad).is_err(), "{bad:?} was accepted");
        }
        // A namespace other than SVG's on the root is dropped and SVG's written.
        let (out, _) = sanitize(r#"<svg xmlns="http://www.w3.org/1999/xhtml"/>"#).unwrap();
        assert_eq!(out, r#"<svg xmlns="http://www.w3.org/2000/svg"/>"#);
    }
}
