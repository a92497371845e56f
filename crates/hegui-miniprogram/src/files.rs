//! One file of an app → what it holds, independent of every other file (so files can be read
//! in parallel), then merged into the app's facts in a fixed order.

use std::borrow::Cow;

use rayon::prelude::*;

use crate::{Extraction, js, literals, templates};

/// A file's bytes as text: borrowed when they are UTF-8 (the usual case, and checking that is
/// several times cheaper than the lossy decoder), replacement characters otherwise.
pub fn text(bytes: &[u8]) -> Cow<'_, str> {
    match std::str::from_utf8(bytes) {
        Ok(s) => Cow::Borrowed(s),
        Err(_) => String::from_utf8_lossy(bytes),
    }
}

/// `f` over `items` in parallel, biggest first, results in `items`' order. A package is often
/// one or two megabyte bundles among hundreds of small files: started first, the bundles run
/// side by side instead of landing in one thread's share of the list.
pub fn par_map_largest_first<T: Sync, R: Send>(
    items: &[T],
    size: impl Fn(&T) -> usize + Sync,
    f: impl Fn(&T) -> R + Sync + Send,
) -> Vec<R> {
    let mut order: Vec<usize> = (0..items.len()).collect();
    order.sort_by_key(|&i| std::cmp::Reverse(items.get(i).map_or(0, &size)));
    let mut done: Vec<(usize, R)> = order
        .par_iter()
        .with_max_len(1)
        .filter_map(|&i| items.get(i).map(|item| (i, f(item))))
        .collect();
    done.sort_by_key(|(i, _)| *i);
    done.into_iter().map(|(_, r)| r).collect()
}

/// What one file yields.
#[derive(Debug, Default)]
pub(crate) struct FileFacts {
    js_files: u32,
    js_bytes: u64,
    scripts: Vec<js::JsFacts>,
    template: Option<templates::Template>,
}

/// Read one file of the app if it is a script, a template or an HTML page with scripts.
/// `host` is the platform namespace the app runs on (`wx`, `tt`, …).
pub(crate) fn read_file(file: &str, bytes: &[u8], host: &'static str) -> FileFacts {
    let mut out = FileFacts::default();
    let Some((_, ext)) = file.rsplit_once('.') else {
        return out;
    };
    let ext = ext.to_ascii_lowercase();
    if is_script(&ext) {
        let source = text(bytes);
        out.js_files = 1;
        out.js_bytes = bytes.len() as u64;
        out.scripts.push(js::scan(file, &source, (0, 0), host));
    } else if ext == "html" || ext == "vue" {
        // Older packages put the compiled templates and app code in `<script>` blocks;
        // uni-app's single-file components hold a template and a script.
        let html = text(bytes);
        if ext == "vue" {
            out.template = Some(templates::scan(file, &html));
        }
        let lines = templates::Lines::new(&html);
        for (offset, code) in templates::script_blocks(&html) {
            let at = lines.site(file, offset);
            out.js_files += 1;
            out.js_bytes += code.len() as u64;
            out.scripts
                .push(js::scan(file, code, (at.line - 1, at.col - 1), host));
        }
    } else if templates::TEMPLATE_EXTENSIONS.contains(&ext.as_str()) {
        out.template = Some(templates::scan(file, &text(bytes)));
    }
    out
}

/// Parse the scripts [`read_file`] would read in one file (a script, or an HTML page's or
/// `.vue` file's `<script>` blocks) and look at nothing: the parsing any JavaScript-reading
/// tool pays, for benchmarks. Returns the number of syntax errors.
pub fn parse_file_scripts(file: &str, bytes: &[u8]) -> usize {
    let Some((_, ext)) = file.rsplit_once('.') else {
        return 0;
    };
    let ext = ext.to_ascii_lowercase();
    if is_script(&ext) {
        js::parse_only(&text(bytes))
    } else if ext == "html" || ext == "vue" {
        let html = text(bytes);
        templates::script_blocks(&html)
            .into_iter()
            .map(|(_, code)| js::parse_only(code))
            .sum()
    } else {
        0
    }
}

pub(crate) fn is_script(ext: &str) -> bool {
    matches!(ext, "js" | "mjs" | "cjs" | "ts" | "sjs" | "wxs")
}

impl Extraction {
    pub(crate) fn merge(&mut self, f: FileFacts) {
        self.facts.js_files += f.js_files;
        self.facts.js_bytes += f.js_bytes;
        for found in f.scripts {
            if let Some(date) = found.compiler_date {
                // The oldest mark: a package mixes no compilers, but a later one never lowers it.
                if self.facts.compiler_date.as_ref().is_none_or(|d| date < *d) {
                    self.facts.compiler_date = Some(date);
                }
            }
            self.collected.calls.extend(found.calls);
            self.collected.pending.extend(found.pending);
            self.collected.urls.extend(found.urls);
            self.collected.modules.extend(found.modules);
            self.facts.open_types.extend(found.open_types);
            self.facts.secrets.extend(found.secrets);
            self.policy_texts.extend(found.policy_texts);
        }
        if let Some(t) = f.template {
            self.facts.open_types.extend(t.open_types);
            self.policy_texts.extend(t.policy_texts);
            for (text, site, usage) in t.urls {
                if let Some(url) = literals::parse_url(&text) {
                    let usage = if url.resource { "resource" } else { usage };
                    self.collected.urls.push(js::Found {
                        item: js::FoundUrl {
                            url,
                            usage,
                            with_data: false,
                            site,
                        },
                        module: None,
                    });
                }
            }
        }
    }
}
