//! The normalised document: text (NFKC, markup gone), headings, emphasised ranges and
//! sentences, with conversion from byte ranges to the code-point spans reports use.

use std::ops::Range;

use hegui_model::{Heading, TextSpan};
use unicode_normalization::UnicodeNormalization;

/// A heading: level (1 = top), byte range of its title.
#[derive(Debug, Clone)]
pub struct Head {
    pub level: u8,
    pub range: Range<usize>,
}

#[derive(Debug, Default)]
pub struct Doc {
    pub text: String,
    pub headings: Vec<Head>,
    /// Bold, highlighted or underlined ranges (how policies mark sensitive PI).
    pub emphasis: Vec<Range<usize>>,
    /// Sentence and clause ranges.
    pub sentences: Vec<Range<usize>>,
    /// Each sentence lower-cased, once (the phrase rules compare against it many times).
    pub sentences_lower: Vec<String>,
    /// The whole text with ASCII lower-cased: same byte offsets as `text`.
    pub lower: String,
    /// For each indexed word, the sentences it occurs in (see `facts::sentences_with`),
    /// found on first use.
    pub word_hits: std::cell::OnceCell<Vec<Vec<u32>>>,
    /// (byte, code point) at each line start.
    lines: Vec<(usize, u32)>,
    /// Where the normalised text came from in the document as read.
    source_map: Vec<Anchor>,
}

/// From byte `norm` of the normalised text on, the text maps to code point `src` of the
/// source: char for char when `exact` (each source character gave one character, whatever
/// its width: `，` → `,`, a newline → a space), else every byte to `src` (a character NFKC
/// expanded, a character reference, markup-made spaces). `u32` keeps a long map small; the
/// text is at most 8 MiB.
#[derive(Debug, Clone, Copy)]
struct Anchor {
    norm: u32,
    src: u32,
    exact: bool,
}

/// Collects text from a markup reader.
#[derive(Default)]
pub struct Builder {
    text: String,
    headings: Vec<Head>,
    emphasis: Vec<Range<usize>>,
    bold_from: Option<usize>,
    bold_depth: u32,
    heading_from: Option<(u8, usize)>,
    /// Source byte offsets until `finish` turns them into code points.
    anchors: Vec<Anchor>,
    /// The source byte the next character must come from to extend the last exact run.
    expect_src: Option<usize>,
}

/// Offsets fit in `u32`: inputs are capped far below 4 GiB.
fn small(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl Builder {
    /// Append text, NFKC-normalised (full-width letters and digits become ASCII, compatibility
    /// ideographs their unified form). `src` is the byte offset of `s` in the source.
    pub fn text(&mut self, s: &str, src: usize) {
        self.push_mapped(s, src, false);
    }

    /// HTML text: runs of white space are one space. `exact` when `s` is the source's own
    /// text at `src`; otherwise (a decoded character reference) all of it maps to `src`.
    pub fn collapsed(&mut self, s: &str, src: usize, exact: bool) {
        if exact {
            self.push_mapped(s, src, true);
        } else {
            self.anchor(src, false);
            let mut last_space = self.text.ends_with([' ', '\n']);
            for c in s.nfkc() {
                self.push_collapsing(c, &mut last_space);
            }
            self.expect_src = None;
        }
    }

    fn push_collapsing(&mut self, c: char, last_space: &mut bool) {
        if c.is_whitespace() {
            if !*last_space {
                self.text.push(' ');
                *last_space = true;
            }
        } else {
            self.text.push(c);
            *last_space = false;
        }
    }

    /// Record that the text from here on comes from source byte `src`; anchors a shortened
    /// text (trimmed spaces) left behind are dropped so the map stays sorted.
    fn anchor(&mut self, src: usize, exact: bool) {
        let norm = small(self.text.len());
        while self.anchors.last().is_some_and(|a| a.norm >= norm) {
            self.anchors.pop();
        }
        self.anchors.push(Anchor {
            norm,
            src: small(src),
            exact,
        });
    }

    /// Append one normalised character that came from the source character at `at` (of
    /// `len` bytes): it extends the exact run when it follows on from it.
    fn push_one(&mut self, out: char, at: usize, len: usize) {
        if self.expect_src != Some(at) {
            self.anchor(at, true);
        }
        self.text.push(out);
        self.expect_src = Some(at + len);
    }

    /// Append source text so each normalised character knows where it came from. Most text
    /// is already NFKC and goes through with one anchor; otherwise character by character,
    /// where a one-for-one replacement keeps the run exact.
    fn push_mapped(&mut self, s: &str, src: usize, collapse: bool) {
        let normalised = unicode_normalization::is_nfkc_quick(s.chars())
            == unicode_normalization::IsNormalized::Yes;
        if normalised && !collapse {
            if self.expect_src != Some(src) {
                self.anchor(src, true);
            }
            self.text.push_str(s);
            self.expect_src = Some(src + s.len());
            return;
        }
        let mut last_space = self.text.ends_with([' ', '\n']);
        for (i, c) in s.char_indices() {
            let at = src + i;
            let mut one = [c; 1];
            let mut expanded: Vec<char> = Vec::new();
            let out: &[char] = if c.is_ascii() || normalised {
                &one
            } else {
                expanded.extend(std::iter::once(c).nfkc());
                if let [single] = expanded[..] {
                    one[0] = single;
                    &one
                } else {
                    &expanded
                }
            };
            match out {
                [w] if collapse && w.is_whitespace() => {
                    if last_space {
                        // Dropped: the next character starts a new run.
                        self.expect_src = None;
                    } else {
                        self.push_one(' ', at, c.len_utf8());
                        last_space = true;
                    }
                }
                [single] => {
                    self.push_one(*single, at, c.len_utf8());
                    last_space = false;
                }
                many => {
                    self.anchor(at, false);
                    for n in many {
                        if collapse {
                            self.push_collapsing(*n, &mut last_space);
                        } else {
                            self.text.push(*n);
                        }
                    }
                    self.expect_src = None;
                }
            }
        }
    }

    pub fn newline(&mut self) {
        while self.text.ends_with(' ') {
            self.text.pop();
        }
        if !self.text.is_empty() && !self.text.ends_with('\n') {
            self.text.push('\n');
        }
        // A bold run or heading opened before the trimmed spaces starts where the text now
        // ends, never inside a character.
        let len = self.text.len();
        if let Some(from) = self.bold_from.as_mut() {
            *from = (*from).min(len);
        }
        if let Some((_, from)) = self.heading_from.as_mut() {
            *from = (*from).min(len);
        }
        self.expect_src = None;
    }

    pub fn bold(&mut self, on: bool) {
        if on {
            if self.bold_depth == 0 {
                self.bold_from = Some(self.text.len());
            }
            self.bold_depth += 1;
        } else if self.bold_depth > 0 {
            self.bold_depth -= 1;
            if self.bold_depth == 0
                && let Some(from) = self.bold_from.take()
                && from < self.text.len()
            {
                self.emphasis.push(from..self.text.len());
            }
        }
    }

    pub fn heading(&mut self, level: Option<u8>) {
        match level {
            Some(level) => {
                self.newline();
                self.heading_from = Some((level, self.text.len()));
            }
            None => {
                if let Some((level, from)) = self.heading_from.take() {
                    let end = self.text.trim_end().len();
                    if from < end {
                        self.headings.push(Head {
                            level,
                            range: from..end,
                        });
                    }
                }
                self.newline();
            }
        }
    }

    /// The document; `source` is the text the offsets given to [`Builder::text`] are in.
    pub fn finish(mut self, source: &str) -> Doc {
        self.bold(false);
        self.heading(None);
        let source_map = source_code_points(source, self.anchors);
        let mut doc = Doc {
            text: self.text,
            headings: self.headings,
            emphasis: self.emphasis,
            source_map,
            ..Doc::default()
        };
        doc.index_lines();
        doc.find_heading_lines();
        doc.split_sentences();
        doc
    }
}

/// Anchors with their source byte offsets turned into code points, in one pass when they
/// come in source order (they do: readers move forward).
fn source_code_points(source: &str, mut anchors: Vec<Anchor>) -> Vec<Anchor> {
    let (mut byte, mut chars) = (0usize, 0usize);
    for a in &mut anchors {
        let mut target = (a.src as usize).min(source.len());
        while !source.is_char_boundary(target) {
            target -= 1;
        }
        if target < byte {
            (byte, chars) = (0, 0);
        }
        chars += source.get(byte..target).map_or(0, |s| s.chars().count());
        byte = target;
        a.src = small(chars);
    }
    anchors
}

fn push_trimmed(text: &str, range: Range<usize>, out: &mut Vec<Range<usize>>) {
    let s = &text[range.clone()];
    let lead = s.len() - s.trim_start().len();
    let trimmed = s.trim();
    if !trimmed.is_empty() {
        out.push(range.start + lead..range.start + lead + trimmed.len());
    }
}

/// Longest sentence: real ones are a few hundred bytes; a text without stops is cut here.
const MAX_SENTENCE_BYTES: usize = 2048;

/// Longest line taken for a heading by its numbering alone.
const MAX_HEADING_CHARS: usize = 40;

/// The level a numbered line has as a heading: `第一章`/`一、` 1, `（一）`/`1、` 2, `1.1` 3.
fn numbered_heading_level(line: &str) -> Option<u8> {
    let t = line.trim();
    if t.is_empty() || t.chars().count() > MAX_HEADING_CHARS || t.ends_with(['。', ';', '；']) {
        return None;
    }
    let zh_num = |c: char| "一二三四五六七八九十百零".contains(c);
    let mut chars = t.chars();
    let first = chars.next()?;
    if first == '第' {
        let rest: String = chars
            .clone()
            .take_while(|c| zh_num(*c) || c.is_ascii_digit())
            .collect();
        let after = chars.nth(rest.chars().count());
        return (!rest.is_empty() && after.is_some_and(|c| "章条节部".contains(c))).then_some(1);
    }
    if zh_num(first) {
        let after = t.chars().find(|c| !zh_num(*c));
        return after
            .is_some_and(|c| matches!(c, '、' | '.' | ' '))
            .then_some(1);
    }
    if first == '(' {
        let inner: String = chars.clone().take_while(|c| zh_num(*c)).collect();
        let close = chars.nth(inner.chars().count());
        return (!inner.is_empty() && close == Some(')')).then_some(2);
    }
    if first.is_ascii_digit() {
        let digits: String = t.chars().take_while(char::is_ascii_digit).collect();
        let rest = &t[digits.len()..];
        if rest.starts_with('.') && rest[1..].starts_with(|c: char| c.is_ascii_digit()) {
            return Some(3);
        }
        let body = rest.strip_prefix(['、', '.', ')'])?.trim_start();
        return (!body.is_empty() && digits.len() <= 2).then_some(2);
    }
    None
}

impl Doc {
    /// Checkpoints (byte, code point) at every line start and at least every 512 bytes, so
    /// that converting an offset costs a short count even in a text without line breaks.
    fn index_lines(&mut self) {
        self.lines.clear();
        self.lines.push((0, 0));
        let mut last = 0usize;
        for (chars, (i, c)) in self.text.char_indices().enumerate() {
            let next = i + c.len_utf8();
            if c == '\n' || next - last >= 512 {
                self.lines.push((next, chars as u32 + 1));
                last = next;
            }
        }
    }

    /// Numbered lines are headings too (most policies are plain text or flat HTML).
    fn find_heading_lines(&mut self) {
        let mut found = Vec::new();
        let mut start = 0;
        for line in self.text.split_inclusive('\n') {
            let trimmed = line.trim_end();
            let lead = trimmed.len() - trimmed.trim_start().len();
            let range = start + lead..start + trimmed.len();
            // Headings from markup come in text order.
            let known = self
                .headings
                .binary_search_by_key(&range.start, |h| h.range.start)
                .is_ok();
            // A short line in bold on its own is how converted pages keep their headings.
            let bold_line = !range.is_empty()
                && trimmed.chars().count() <= MAX_HEADING_CHARS
                && !trimmed.ends_with(['。', ';', '；', ',', '，'])
                && self.is_emphasised(&range);
            let level = numbered_heading_level(trimmed).or(bold_line.then_some(2));
            if !known && let Some(level) = level {
                found.push(Head { level, range });
            }
            start += line.len();
        }
        self.headings.extend(found);
        self.headings.sort_by_key(|h| h.range.start);
    }

    fn split_sentences(&mut self) {
        let mut start = 0;
        let bytes = self.text.as_bytes();
        let mut out = Vec::new();
        for (i, c) in self.text.char_indices() {
            let end = i + c.len_utf8();
            let english_stop = matches!(c, '.' | '!' | '?')
                && bytes.get(end).is_none_or(|b| b.is_ascii_whitespace());
            // A run-on "sentence" is cut at a bound, so per-sentence work stays linear in
            // the text however it is punctuated.
            let too_long = end - start >= MAX_SENTENCE_BYTES;
            if matches!(c, '。' | '！' | '？' | '；' | ';' | '\n') || english_stop || too_long {
                push_trimmed(&self.text, start..end, &mut out);
                start = end;
            }
        }
        push_trimmed(&self.text, start..self.text.len(), &mut out);
        // ASCII lower-casing keeps byte offsets, so a sentence of `lower` lines up with the
        // text; policies' letters outside ASCII are CJK, which has no case.
        self.lower = self.text.to_ascii_lowercase();
        self.sentences_lower = out
            .iter()
            .map(|r| self.lower.get(r.clone()).unwrap_or_default().to_string())
            .collect();
        self.sentences = out;
    }

    /// Code-point offset of a byte offset (which must be on a character boundary).
    pub fn char_offset(&self, byte: usize) -> u32 {
        let i = self
            .lines
            .partition_point(|(b, _)| *b <= byte)
            .saturating_sub(1);
        let (line_byte, line_char) = self.lines.get(i).copied().unwrap_or((0, 0));
        let within = self
            .text
            .get(line_byte..byte)
            .map_or(0, |s| s.chars().count());
        line_char + within as u32
    }

    /// Byte offset of a code-point offset (the inverse of [`Doc::char_offset`]); past the
    /// end it is the text's length.
    pub fn byte_offset(&self, chars: u32) -> usize {
        let i = self
            .lines
            .partition_point(|(_, c)| *c <= chars)
            .saturating_sub(1);
        let (line_byte, line_char) = self.lines.get(i).copied().unwrap_or((0, 0));
        let rest = self.text.get(line_byte..).unwrap_or_default();
        rest.char_indices()
            .nth((chars - line_char) as usize)
            .map_or(self.text.len(), |(b, _)| line_byte + b)
    }

    pub fn span(&self, range: Range<usize>) -> TextSpan {
        TextSpan {
            start: self.char_offset(range.start),
            end: self.char_offset(range.end),
            quote: self.text.get(range.clone()).unwrap_or_default().to_string(),
            source: Some(self.source_span(range)),
        }
    }

    /// Code-point span in the document as read of a byte range of the normalised text.
    pub fn source_span(&self, range: Range<usize>) -> hegui_model::SourceSpan {
        let start = self.source_offset(range.start);
        let end = if range.end > range.start {
            // The end of the last character, so a char that came from an expansion ends
            // after its source character.
            let last = self
                .text
                .get(..range.end)
                .and_then(|t| t.char_indices().next_back())
                .map_or(range.start, |(i, _)| i);
            self.source_offset(last) + 1
        } else {
            start
        };
        hegui_model::SourceSpan {
            start,
            end: end.max(start),
        }
    }

    fn source_offset(&self, byte: usize) -> u32 {
        let i = self
            .source_map
            .partition_point(|a| a.norm as usize <= byte)
            .saturating_sub(1);
        match self.source_map.get(i) {
            Some(a) if a.exact && a.norm as usize <= byte => a.src.saturating_add(
                self.char_offset(byte)
                    .saturating_sub(self.char_offset(a.norm as usize)),
            ),
            Some(a) => a.src,
            None => self.char_offset(byte),
        }
    }

    /// The index of the sentence holding a byte offset.
    pub fn sentence_index_at(&self, byte: usize) -> Option<usize> {
        let i = self.sentences.partition_point(|r| r.end <= byte);
        self.sentences.get(i).filter(|r| r.start <= byte).map(|_| i)
    }

    /// The sentence holding a byte offset.
    pub fn sentence_at(&self, byte: usize) -> Option<Range<usize>> {
        self.sentence_index_at(byte)
            .and_then(|i| self.sentences.get(i))
            .cloned()
    }

    /// The innermost heading above a byte offset.
    pub fn section_at(&self, byte: usize) -> Option<&Head> {
        let i = self.headings.partition_point(|h| h.range.start <= byte);
        i.checked_sub(1).and_then(|i| self.headings.get(i))
    }

    pub fn is_emphasised(&self, range: &Range<usize>) -> bool {
        // Emphasis runs come in text order and do not nest (the builder counts depth).
        let i = self.emphasis.partition_point(|e| e.start <= range.start);
        i.checked_sub(1)
            .and_then(|i| self.emphasis.get(i))
            .is_some_and(|e| range.end <= e.end)
    }

    pub fn heading_facts(&self) -> Vec<Heading> {
        self.headings
            .iter()
            .map(|h| Heading {
                level: h.level,
                start: self.char_offset(h.range.start),
                title: self.text[h.range.clone()].to_string(),
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbered_headings() {
        for (line, level) in [
            ("一、我们如何收集和使用您的个人信息", Some(1)),
            ("第三条 信息共享", Some(1)),
            ("(二)注销账号", Some(2)),
            ("1、注册、登录", Some(2)),
            ("2.1 设备信息", Some(3)),
            ("我们会收集您的设备信息。", None),
            ("2019年1月1日", None),
        ] {
            assert_eq!(numbered_heading_level(line), level, "{line}");
        }
    }

    #[test]
    fn offsets_sentences_emphasis() {
        let source = "一、收集我们收集ＩＭＥＩ。用于安全。\nWe collect data. Thanks";
        let at = |s: &str| source.find(s).expect("in source");
        let mut b = Builder::default();
        b.heading(Some(1));
        b.text("一、收集", 0);
        b.heading(None);
        b.text("我们收集", at("我们"));
        b.bold(true);
        b.text("ＩＭＥＩ", at("ＩＭＥＩ"));
        b.bold(false);
        b.text("。用于安全。\nWe collect data. Thanks", at("。用于"));
        let doc = b.finish(source);
        assert_eq!(
            doc.text,
            "一、收集\n我们收集IMEI。用于安全。\nWe collect data. Thanks\n"
        );
        assert_eq!(doc.headings.len(), 1);
        let imei = doc.text.find("IMEI").expect("imei");
        let span = doc.span(imei..imei + 4);
        assert_eq!((span.start, span.end, span.quote.as_str()), (9, 13, "IMEI"));
        assert!(doc.is_emphasised(&(imei..imei + 4)));
        let sentences: Vec<&str> = doc.sentences.iter().map(|r| &doc.text[r.clone()]).collect();
        assert_eq!(
            sentences,
            [
                "一、收集",
                "我们收集IMEI。",
                "用于安全。",
                "We collect data.",
                "Thanks"
            ]
        );
        assert_eq!(doc.section_at(imei).map(|h| h.level), Some(1));
        assert_eq!(doc.byte_offset(span.start), imei);
        assert_eq!(doc.byte_offset(span.end), imei + 4);
        assert_eq!(doc.byte_offset(10_000), doc.text.len());
        // In the source the full-width IMEI sits at code points 8..12, and the text after it
        // follows char for char.
        let source_span = doc.source_span(imei..imei + 4);
        assert_eq!((source_span.start, source_span.end), (8, 12));
        let safety = doc.text.find("安全").expect("safety");
        let s = doc.source_span(safety..safety + "安全".len());
        let chars: Vec<char> = source.chars().collect();
        let quoted: String = chars[s.start as usize..s.end as usize].iter().collect();
        assert_eq!(quoted, "安全");
    }
}
