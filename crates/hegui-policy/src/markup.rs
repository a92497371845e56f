//! HTML, Markdown and plain text → [`Builder`] events: text, line breaks, headings, emphasis.
//! The HTML reader is a flat tokenizer (no tree), so nesting depth costs nothing.

use crate::doc::{Builder, Doc};

/// `html`, `markdown` or `text`, from the first few KiB.
pub fn detect_format(text: &str) -> &'static str {
    let head: String = text
        .chars()
        .take(4096)
        .collect::<String>()
        .to_ascii_lowercase();
    let tags = [
        "<html", "<body", "<p>", "<p ", "<div", "<br", "<h1", "<h2", "<span", "<table", "<ul",
        "<li", "<strong", "<b>", "<a href",
    ];
    if tags.iter().filter(|t| head.contains(*t)).count() >= 2
        || head.trim_start().starts_with("<!doctype html")
    {
        "html"
    } else if head
        .lines()
        .any(|l| l.starts_with("# ") || l.starts_with("## "))
        || head.contains("**")
    {
        "markdown"
    } else {
        "text"
    }
}

pub fn read(text: &str, format: &str) -> Doc {
    let mut b = Builder::default();
    match format {
        "html" => html(text, &mut b),
        "markdown" => markdown(text, &mut b),
        _ => {
            for line in text.lines() {
                b.text(line.trim_end(), offset_in(text, line));
                b.newline();
            }
        }
    }
    b.finish(text)
}

/// Byte offset of `part`, a slice of `whole`, within it.
fn offset_in(whole: &str, part: &str) -> usize {
    (part.as_ptr() as usize)
        .saturating_sub(whole.as_ptr() as usize)
        .min(whole.len())
}

/// Markdown: `#` headings and `**`/`__` emphasis; everything else is text.
fn markdown(text: &str, b: &mut Builder) {
    for line in text.lines() {
        let hashes = line.chars().take_while(|c| *c == '#').count();
        let (level, body) = if (1..=6).contains(&hashes) && line[hashes..].starts_with(' ') {
            (Some(hashes as u8), line[hashes..].trim())
        } else {
            (None, line.trim_end())
        };
        if level.is_some() {
            b.heading(level);
        }
        let mut bold = false;
        for (i, part) in body.split("**").enumerate() {
            if i > 0 {
                bold = !bold;
                b.bold(bold);
            }
            b.text(part, offset_in(text, part));
        }
        if bold {
            b.bold(false);
        }
        if level.is_some() {
            b.heading(None);
        } else {
            b.newline();
        }
    }
}

const BLOCK_TAGS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "tr",
    "section",
    "article",
    "ul",
    "ol",
    "table",
    "dd",
    "dt",
    "hr",
    "blockquote",
    "pre",
    "header",
    "footer",
    "title",
    "view",
    "block",
];

/// HTML: tags dropped, blocks on their own lines, `<h1>`…`<h6>` headings, `<b>`, `<strong>`,
/// `<u>`, `<mark>` and bold-styled spans emphasis; `<script>`, `<style>` and comments skipped.
fn html(text: &str, b: &mut Builder) {
    let lower = text.to_ascii_lowercase();
    let mut i = 0;
    // Emphasis opened by each open <span>, so `</span>` closes the right one.
    let mut spans: Vec<bool> = Vec::new();
    while i < text.len() {
        let Some(lt) = text[i..].find('<').map(|p| i + p) else {
            node(text, i..text.len(), b);
            break;
        };
        if lt > i {
            node(text, i..lt, b);
        }
        if lower[lt..].starts_with("<!--") {
            i = lower[lt..].find("-->").map_or(text.len(), |e| lt + e + 3);
            continue;
        }
        let Some(gt) = text[lt..].find('>').map(|p| lt + p) else {
            break;
        };
        let tag = &lower[lt + 1..gt];
        let closing = tag.starts_with('/');
        let name: String = tag
            .trim_start_matches('/')
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect();
        i = gt + 1;
        if !closing && matches!(name.as_str(), "script" | "style" | "head" | "noscript") {
            let close = format!("</{name}");
            i = lower[i..].find(&close).map_or(text.len(), |e| i + e);
            continue;
        }
        match name.as_str() {
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                let level = name.as_bytes()[1] - b'0';
                b.heading((!closing).then_some(level));
            }
            "b" | "strong" | "u" | "mark" | "em" => b.bold(!closing),
            "span" | "font" => {
                if closing {
                    if spans.pop() == Some(true) {
                        b.bold(false);
                    }
                } else {
                    let bold = tag.contains("bold")
                        || tag.contains("font-weight:700")
                        || tag.contains("font-weight: 700");
                    spans.push(bold);
                    if bold {
                        b.bold(true);
                    }
                }
            }
            "td" | "th" if !closing => b.collapsed(" ", lt, false),
            n if BLOCK_TAGS.contains(&n) => b.newline(),
            _ => {}
        }
    }
}

/// A text node: its literal runs mapped char for char, each character reference to where
/// it stands (Chinese pages put `&nbsp;` and `&ldquo;` in most paragraphs).
fn node(text: &str, range: std::ops::Range<usize>, b: &mut Builder) {
    let raw = &text[range.clone()];
    let mut literal_from = 0;
    let mut i = 0;
    while let Some(amp) = raw[i..].find('&').map(|p| i + p) {
        // A reference is short: `&` + up to 10 characters + `;`.
        let close = raw[amp..]
            .char_indices()
            .take(12)
            .find(|(_, c)| *c == ';')
            .map(|(p, _)| amp + p);
        let Some(semi) = close else {
            i = amp + 1;
            continue;
        };
        let reference = &raw[amp..=semi];
        let decoded = entities(reference);
        if decoded == reference {
            i = amp + 1;
            continue;
        }
        if literal_from < amp {
            b.collapsed(&raw[literal_from..amp], range.start + literal_from, true);
        }
        b.collapsed(&decoded, range.start + amp, false);
        literal_from = semi + 1;
        i = semi + 1;
    }
    if literal_from < raw.len() {
        b.collapsed(&raw[literal_from..], range.start + literal_from, true);
    }
}

/// The character references policies use; unknown ones stay as written.
fn entities(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(amp) = rest.find('&') {
        out.push_str(&rest[..amp]);
        let after = &rest[amp + 1..];
        let end = after.find(';').filter(|e| *e <= 10);
        let decoded = end.and_then(|e| {
            let name = &after[..e];
            let c = match name {
                "nbsp" | "ensp" | "emsp" => Some(' '),
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "ldquo" => Some('“'),
                "rdquo" => Some('”'),
                "lsquo" => Some('‘'),
                "rsquo" => Some('’'),
                "mdash" => Some('—'),
                "hellip" => Some('…'),
                "middot" => Some('·'),
                _ => name
                    .strip_prefix("#x")
                    .or_else(|| name.strip_prefix("#X"))
                    .and_then(|h| u32::from_str_radix(h, 16).ok())
                    .or_else(|| name.strip_prefix('#').and_then(|d| d.parse().ok()))
                    .and_then(char::from_u32),
            };
            c.map(|c| (c, e))
        });
        match decoded {
            Some((c, e)) => {
                out.push(c);
                rest = &after[e + 1..];
            }
            None => {
                out.push('&');
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_structure() {
        let html = "<html><head><title>x</title><style>p{}</style></head><body><h2>一、 收集</h2><p>我们收集<b>您的&nbsp;IMEI</b>与<span style=\"font-weight:bold\">位置</span>。</p><!-- <p>注释</p> --><script>var a='<p>';</script><table><tr><td>SDK</td><td>友盟</td></tr></table></body></html>";
        assert_eq!(detect_format(html), "html");
        let doc = read(html, "html");
        assert_eq!(doc.text, "一、 收集\n我们收集您的 IMEI与位置。\nSDK 友盟\n");
        assert_eq!(doc.headings.len(), 1);
        let quotes: Vec<&str> = doc.emphasis.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(quotes, ["您的 IMEI", "位置"]);
        // Around a character reference the source offsets stay exact.
        let at = doc.text.find("IMEI").expect("imei");
        let src = doc.source_span(at..at + 4);
        let chars: Vec<char> = html.chars().collect();
        let quoted: String = chars[src.start as usize..src.end as usize].iter().collect();
        assert_eq!(quoted, "IMEI");
        // A bold run opened before trimmed spaces never starts inside a character.
        let doc = read("<html> <b><p>中</b>", "html");
        assert!(
            doc.emphasis
                .iter()
                .all(|r| doc.text.get(r.clone()).is_some())
        );
    }

    #[test]
    fn markdown_and_entities() {
        let md = "# 隐私政策\n我们会收集**手机号码**。\n";
        assert_eq!(detect_format(md), "markdown");
        let doc = read(md, "markdown");
        assert_eq!(doc.text, "隐私政策\n我们会收集手机号码。\n");
        assert_eq!(&doc.text[doc.emphasis[0].clone()], "手机号码");
        assert_eq!(
            entities("a&amp;b&#x4e2d;&#25991;&bogus;&"),
            "a&b中文&bogus;&"
        );
        // Unclosed and deeply nested markup is bounded work, not a failure.
        let nested = "<div>".repeat(100_000) + "文本";
        assert!(read(&nested, "html").text.contains("文本"));
        let _ = read("<p><b", "html");
    }
}
