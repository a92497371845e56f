//! Source templates (`.wxml`, `.axml`, `.ttml`, `.swan`, `.qml`): button `open-type` values and
//! URLs in attribute values, comments skipped. Also the `<script>` blocks of the `.html` files
//! older packages carry, for the JavaScript parser.

use hegui_model::{OpenTypeUse, SourceSite};

/// Template file extensions of the platforms.
pub const TEMPLATE_EXTENSIONS: &[&str] = &["wxml", "axml", "ttml", "swan", "qml", "jxml"];

/// What one template says.
#[derive(Debug, Default)]
pub(crate) struct Template {
    pub open_types: Vec<OpenTypeUse>,
    /// Attribute values that start with a URL scheme, with their site and use: `resource`
    /// (the `src` of an image or media tag), `link` (a `web-view` or `navigator` target) or
    /// `url`.
    pub urls: Vec<(String, SourceSite, &'static str)>,
    /// (kind, text, site) of text or navigation targets naming a privacy policy.
    pub policy_texts: Vec<(String, String, SourceSite)>,
}

/// What the tag holding an attribute says of its URL.
fn usage_of_tag(tag: &str) -> &'static str {
    let name: String = tag
        .trim_start_matches('<')
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect::<String>()
        .to_ascii_lowercase();
    match name.as_str() {
        "image" | "img" | "video" | "audio" | "cover-image" | "live-player" | "camera" | "map" => {
            "resource"
        }
        "web-view" | "navigator" | "a" => "link",
        _ => "url",
    }
}

/// Byte ranges of `<!-- … -->` comments (an unclosed comment runs to the end).
fn comments(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(start) = text.get(from..).and_then(|t| t.find("<!--")) {
        let start = from + start;
        let end = text
            .get(start + 4..)
            .and_then(|t| t.find("-->"))
            .map_or(text.len(), |e| start + 4 + e + 3);
        out.push((start, end));
        from = end;
    }
    out
}

pub(crate) struct Lines(Vec<usize>);

impl Lines {
    pub fn new(text: &str) -> Self {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        Self(starts)
    }

    /// 1-based line and column (in bytes) of an offset.
    pub fn site(&self, file: &str, offset: usize) -> SourceSite {
        let line = self.0.partition_point(|&s| s <= offset).saturating_sub(1);
        let start = self.0.get(line).copied().unwrap_or(0);
        SourceSite {
            file: file.to_string(),
            line: u32::try_from(line + 1).unwrap_or(u32::MAX),
            col: u32::try_from(offset - start + 1).unwrap_or(u32::MAX),
        }
    }
}

/// The quoted value of an attribute starting at `at` (just after its name), if any.
fn attr_value(text: &str, at: usize) -> Option<(usize, &str)> {
    let rest = text.get(at..)?;
    let trimmed = rest.trim_start();
    let after_eq = trimmed.strip_prefix('=')?.trim_start();
    let quote = after_eq
        .chars()
        .next()
        .filter(|c| *c == '"' || *c == '\'')?;
    let body = after_eq.get(1..)?;
    let end = body.find(quote)?;
    let start = at + (rest.len() - body.len());
    Some((start, body.get(..end)?))
}

/// The tag an offset sits in: from the previous `<` to the next `>`.
fn enclosing_tag(text: &str, at: usize) -> &str {
    let start = text.get(..at).and_then(|t| t.rfind('<')).unwrap_or(0);
    let end = text
        .get(at..)
        .and_then(|t| t.find('>'))
        .map_or(text.len(), |e| at + e);
    text.get(start..end).unwrap_or("")
}

/// Scan one source template.
pub(crate) fn scan(file: &str, text: &str) -> Template {
    let comments = comments(text);
    // Comments are sorted and disjoint: the one that could hold `i` starts at or before it.
    let in_comment = |i: usize| {
        let k = comments.partition_point(|&(s, _)| s <= i);
        k > 0 && comments.get(k - 1).is_some_and(|&(_, e)| i < e)
    };
    let lines = Lines::new(text);
    let mut out = Template::default();
    for (at, _) in text.match_indices("open-type") {
        let name_start = text.get(..at).and_then(|t| t.chars().next_back());
        if !name_start.is_some_and(char::is_whitespace) || in_comment(at) {
            continue;
        }
        let Some((start, value)) = attr_value(text, at + "open-type".len()) else {
            continue;
        };
        let mut value = value.trim().to_string();
        // Alipay asks for phone number, user info… through one open-type and a scope.
        if value == "getAuthorize"
            && let Some(scope) = enclosing_tag(text, at)
                .match_indices("scope")
                .find_map(|(i, _)| attr_value(enclosing_tag(text, at), i + "scope".len()))
        {
            value = format!("getAuthorize({})", scope.1.trim());
        }
        out.open_types.push(OpenTypeUse {
            value,
            site: lines.site(file, start),
            compiled: false,
        });
    }
    for quote in ['"', '\''] {
        let pattern = format!("{quote}http");
        let ws = format!("{quote}ws");
        for (at, _) in text.match_indices(&pattern).chain(text.match_indices(&ws)) {
            if in_comment(at) {
                continue;
            }
            let body = text.get(at + 1..).unwrap_or("");
            let end = body
                .find(|c: char| c == quote || c.is_whitespace() || c == '{')
                .unwrap_or(body.len());
            if let Some(url) = body.get(..end).filter(|u| u.contains("://")) {
                let usage = usage_of_tag(enclosing_tag(text, at));
                out.urls
                    .push((url.to_string(), lines.site(file, at + 1), usage));
            }
        }
    }
    out.urls.sort_by_key(|u| (u.1.line, u.1.col));
    policy_texts(file, text, &lines, &in_comment, &mut out);
    out
}

/// Link text naming a privacy policy (`《隐私政策》`) and `url="/pages/…/ysxy"` targets.
fn policy_texts(
    file: &str,
    text: &str,
    lines: &Lines,
    in_comment: &dyn Fn(usize) -> bool,
    out: &mut Template,
) {
    let mut push = |start: usize, snippet: &str| {
        if out.policy_texts.len() < 64
            && let Some(kind) = crate::derive::policy_text_kind(snippet)
        {
            out.policy_texts
                .push((kind, snippet.trim().to_string(), lines.site(file, start)));
        }
    };
    for (at, _) in text.match_indices("隐私") {
        if in_comment(at) {
            continue;
        }
        // The text node or attribute value around the match.
        let start = text
            .get(..at)
            .and_then(|t| t.rfind(['>', '"', '\'', '\n']))
            .map_or(0, |i| i + 1);
        let end = text
            .get(at..)
            .and_then(|t| t.find(['<', '"', '\'', '\n']))
            .map_or(text.len(), |e| at + e);
        if let Some(snippet) = text.get(start..end) {
            push(start, snippet);
        }
    }
    // A consent component used as a tag: `<privacy-popup>`.
    for (at, _) in text
        .match_indices("<privacy")
        .chain(text.match_indices("<yinsi"))
    {
        if in_comment(at) {
            continue;
        }
        let tag = enclosing_tag(text, at + 1);
        let name_len = tag
            .trim_start_matches('<')
            .find(|c: char| c.is_whitespace() || c == '/' || c == '>')
            .unwrap_or(tag.len().saturating_sub(1));
        if let Some(name) = tag.get(1..1 + name_len) {
            push(at, name);
        }
    }
    for (at, _) in text.match_indices("url") {
        if in_comment(at) {
            continue;
        }
        if let Some((start, value)) = attr_value(text, at + "url".len()) {
            push(start, value);
        }
    }
}

/// Inline `<script>` blocks of an HTML file: (byte offset of the code, code).
pub(crate) fn script_blocks(html: &str) -> Vec<(usize, &str)> {
    let lower = html.to_ascii_lowercase();
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = lower.get(from..).and_then(|t| t.find("<script")) {
        let open = from + open;
        let Some(tag_end) = lower
            .get(open..)
            .and_then(|t| t.find('>'))
            .map(|e| open + e + 1)
        else {
            break;
        };
        let close = lower
            .get(tag_end..)
            .and_then(|t| t.find("</script"))
            .map_or(html.len(), |e| tag_end + e);
        let external = lower
            .get(open..tag_end)
            .is_some_and(|t| t.contains(" src="));
        if let Some(code) = html
            .get(tag_end..close)
            .filter(|c| !external && !c.trim().is_empty())
        {
            out.push((tag_end, code));
        }
        from = close;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn open_types_and_urls_outside_comments() {
        let wxml = "<view>\n  <button open-type=\"getPhoneNumber\" bindgetphonenumber=\"x\">a</button>\n<!-- <button open-type=\"getUserInfo\"> -->\n<button class=\"b\"\n open-type='{{ openType }}'/>\n<image src=\"http://img.example.com/a.png\"/>\n<button open-type=\"getAuthorize\" scope=\"phoneNumber\">\n</view>";
        let t = scan("pages/a.wxml", wxml);
        let got: Vec<(&str, u32, u32)> = t
            .open_types
            .iter()
            .map(|o| (o.value.as_str(), o.site.line, o.site.col))
            .collect();
        assert_eq!(
            got,
            [
                ("getPhoneNumber", 2, 22),
                ("{{ openType }}", 5, 13),
                ("getAuthorize(phoneNumber)", 7, 20)
            ]
        );
        assert_eq!(t.urls.len(), 1);
        assert_eq!(t.urls[0].0, "http://img.example.com/a.png");
        assert_eq!((t.urls[0].1.line, t.urls[0].1.col), (6, 13));
        // No panic on truncated input.
        let _ = scan("x.wxml", "<button open-type=\"getPho");
        let _ = scan("x.wxml", "<!-- open");
    }

    #[test]
    fn policy_links_components_and_url_uses() {
        let wxml = "<view>我已阅读并同意<text bindtap=\"go\">《隐私政策》</text>\n<navigator url=\"/pages/about/index?key=ysxy\">关于</navigator>\n<privacy-popup id=\"p\"/>\n<!-- <text>《隐私协议》</text> -->\n<web-view src=\"http://h5.example.com/page\"></web-view>\n<image src=\"http://img.example.com/avatar?id=1\"/></view>";
        let t = scan("pages/a.wxml", wxml);
        let refs: Vec<(&str, &str, u32)> = t
            .policy_texts
            .iter()
            .map(|(k, v, site)| (k.as_str(), v.as_str(), site.line))
            .collect();
        assert_eq!(
            refs,
            [
                ("text", "《隐私政策》", 1),
                ("component", "privacy-popup", 3),
                ("navigation", "/pages/about/index?key=ysxy", 2),
            ]
        );
        let uses: Vec<(&str, &str)> = t.urls.iter().map(|u| (u.0.as_str(), u.2)).collect();
        assert_eq!(
            uses,
            [
                ("http://h5.example.com/page", "link"),
                ("http://img.example.com/avatar?id=1", "resource"),
            ]
        );
    }

    #[test]
    fn inline_scripts_only() {
        let html = "<html><SCRIPT src=\"a.js\"></script>\n<script>var a = 1;</script><script type=\"x\">\nwx.getLocation()\n</script><script>unclosed";
        let blocks = script_blocks(html);
        assert_eq!(
            blocks.iter().map(|b| b.1).collect::<Vec<_>>(),
            ["var a = 1;", "\nwx.getLocation()\n", "unclosed"]
        );
        assert_eq!(&html[blocks[0].0..blocks[0].0 + 3], "var");
    }
}
