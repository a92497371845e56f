//! The fast path for one line: a hand-written reader for the fields hegui uses, skipping the
//! rest (validated as strictly as serde does). What makes it fast, on the synthetic benchmark
//! trace (callgrind, instructions per 790-byte event, reading and deriving: 20.3 k with a
//! byte-at-a-time reader, 10.3 k now):
//! - string ends found from a bitmap of quotes, backslashes and control characters built for
//!   the whole line in vectorised 64-byte blocks, and the line checked as UTF-8 once;
//! - values a trace repeats (stacks, argument lists) recognised byte for byte and not read
//!   again ([`Memo`]), and the last `src`, `api` and `ret` re-sliced when repeated;
//! - numbers accumulated as read; events built in place, never moved.
//!
//! It either returns exactly what the serde path would, or gives up (`None`), and the line
//! goes through serde, which also produces the error message for a malformed line. Anything
//! unusual gives up: escaped keys, duplicate fields, numbers of an unexpected shape, a value
//! of the wrong type. The fuzz target `trace_jsonl` checks the two paths agree.

use std::borrow::Cow;

use crate::event::{Api, Attribution, Event, PermissionResult, Ret, Src, Stack, Str};

/// Where the plain runs of strings end: a bit per byte for the quote, the backslash and
/// control characters, for the whole line in 64-byte blocks. The compare loop is written so
/// LLVM vectorises it; finding the end of a string is then a `trailing_zeros` rather than a
/// byte loop, and strings are most of a trace line. (Indexing blocks lazily, to skip values
/// known from earlier lines, measured slower: the check costs more than the blocks.)
fn index_stops(line: &[u8], out: &mut Vec<u64>) {
    out.clear();
    let (blocks, tail) = line.as_chunks::<64>();
    out.extend(blocks.iter().map(stop_bits));
    if !tail.is_empty() {
        let mut padded = [b' '; 64];
        padded[..tail.len()].copy_from_slice(tail);
        out.push(stop_bits(&padded));
    }
}

fn stop_bits(block: &[u8; 64]) -> u64 {
    let mut flags = [0u8; 64];
    for (f, &c) in flags.iter_mut().zip(block) {
        *f = u8::from(c == b'"') | u8::from(c == b'\\') | u8::from(c < 0x20);
    }
    // Eight 0/1 bytes to eight bits: the multiplier moves byte k's bit to bit 56 + k.
    const GATHER: u64 = 0x0102_0408_1020_4080;
    let (words, _) = flags.as_chunks::<8>();
    words.iter().enumerate().fold(0, |m, (k, w)| {
        m | ((u64::from_le_bytes(*w).wrapping_mul(GATHER) >> 56) << (8 * k))
    })
}

/// Values seen before, kept whole: a trace repeats the same stacks and argument lists
/// thousands of times, and a value byte-equal to one already validated needs no second
/// look. A JSON array, object or string ends where it closes, so if the line continues with
/// a cached value's bytes, the value there is exactly that one.
#[derive(Default)]
struct Memo {
    buckets: ahash::AHashMap<u64, Vec<Box<[u8]>>>,
    bytes: usize,
}

impl Memo {
    /// Values are bucketed by their first bytes; shorter values cost less to check than
    /// to look up, and are not kept.
    const PREFIX: usize = 32;
    const MAX_BYTES: usize = 8 << 20;
    const PER_BUCKET: usize = 8;

    /// The bucket of a value starting at `rest` (`None`: too short to keep).
    fn key(rest: &[u8]) -> Option<u64> {
        let prefix = rest.get(..Self::PREFIX)?;
        Some(ahash::RandomState::with_seeds(7, 11, 13, 17).hash_one(prefix))
    }

    /// The length of a cached value `rest` starts with.
    fn find(&self, key: u64, rest: &[u8]) -> Option<usize> {
        let bucket = self.buckets.get(&key)?;
        bucket.iter().find(|v| rest.starts_with(v)).map(|v| v.len())
    }

    /// Keep `value`, whose first [`Memo::PREFIX`] bytes give `key`.
    fn insert(&mut self, key: u64, value: &[u8]) {
        if self.bytes + value.len() > Self::MAX_BYTES {
            // Bounded: start over rather than track ages (a trace's hot values come back).
            self.buckets.clear();
            self.bytes = 0;
        }
        let bucket = self.buckets.entry(key).or_default();
        if bucket.len() >= Self::PER_BUCKET {
            let old = bucket.remove(0);
            self.bytes -= old.len();
        }
        self.bytes += value.len();
        bucket.push(value.into());
    }
}

/// The small objects most lines repeat byte for byte (`src`, `api`, `ret`): the last one of
/// each is kept with where its strings sit, so the next equal one is re-sliced, not re-read.
#[derive(Clone, Copy)]
enum Slot {
    Src,
    Api,
    Ret,
}

#[derive(Default)]
struct Recent {
    raw: Vec<u8>,
    /// Offset and length of each string field inside `raw` (`None`: absent).
    spans: [Option<(usize, usize)>; 4],
}

/// A small object whose fields are all strings, as four optional slots.
trait StrFields<'a>: Sized {
    fn fields(&self) -> [Option<&Str<'a>>; 4];
    fn from_fields(fields: [Option<Str<'a>>; 4]) -> Option<Self>;
}

impl<'a> StrFields<'a> for Src<'a> {
    fn fields(&self) -> [Option<&Str<'a>>; 4] {
        [
            Some(&self.tool),
            self.version.as_ref(),
            self.layer.as_ref(),
            self.import_of.as_ref(),
        ]
    }
    fn from_fields([tool, version, layer, import_of]: [Option<Str<'a>>; 4]) -> Option<Self> {
        Some(Src {
            tool: tool?,
            version,
            layer,
            import_of,
        })
    }
}

impl<'a> StrFields<'a> for Api<'a> {
    fn fields(&self) -> [Option<&Str<'a>>; 4] {
        [Some(&self.cls), Some(&self.method), None, None]
    }
    fn from_fields([cls, method, ..]: [Option<Str<'a>>; 4]) -> Option<Self> {
        Some(Api {
            cls: cls?,
            method: method?,
        })
    }
}

impl<'a> StrFields<'a> for Ret<'a> {
    fn fields(&self) -> [Option<&Str<'a>>; 4] {
        [self.value_sha256.as_ref(), None, None, None]
    }
    fn from_fields([value_sha256, ..]: [Option<Str<'a>>; 4]) -> Option<Self> {
        Some(Ret { value_sha256 })
    }
}

/// Reads lines one after another, keeping what one line teaches the next (its buffers and
/// the values already validated). One per trace file.
#[derive(Default)]
pub struct LineParser {
    stops: Vec<u64>,
    memo: Memo,
    recent: [Recent; 3],
}

impl LineParser {
    pub fn new() -> Self {
        Self::default()
    }

    /// Parse a line, or give up and let serde do it.
    pub fn parse<'a>(&mut self, line: &'a [u8]) -> Option<Event<'a>> {
        let mut ev = Event::default();
        self.parse_into(line, &mut ev).then_some(ev)
    }

    /// [`LineParser::parse`] into `ev` (an event is large: built where it is used, not
    /// moved). `false`: gave up, `ev` is partly filled.
    pub fn parse_into<'a>(&mut self, line: &'a [u8], ev: &mut Event<'a>) -> bool {
        // Text once for the whole line: serde rejects bad UTF-8 anywhere, so can we.
        let Ok(text) = std::str::from_utf8(line) else {
            return false;
        };
        index_stops(line, &mut self.stops);
        let mut p = P {
            b: line,
            text,
            i: 0,
            stops: &self.stops,
            memo: &mut self.memo,
            recent: &mut self.recent,
        };
        if event(&mut p, ev).is_none() {
            return false;
        }
        p.ws();
        p.i == line.len()
    }
}

/// Parse one line on its own (no memory of earlier lines).
pub fn parse(line: &[u8]) -> Option<Event<'_>> {
    LineParser::new().parse(line)
}

struct P<'a, 'm> {
    b: &'a [u8],
    text: &'a str,
    i: usize,
    stops: &'m [u64],
    memo: &'m mut Memo,
    recent: &'m mut [Recent; 3],
}

macro_rules! set {
    ($slot:expr, $value:expr) => {{
        if $slot.is_some() {
            return None; // duplicate field: serde's error, not ours
        }
        $slot = Some($value);
    }};
}

impl<'a> P<'a, '_> {
    /// The first quote, backslash or control character at or after `start`.
    fn next_stop(&self, start: usize) -> Option<usize> {
        let mut block = start / 64;
        let mut bits = self.stops.get(block)? & (!0u64 << (start % 64));
        while bits == 0 {
            block += 1;
            bits = *self.stops.get(block)?;
        }
        let at = block * 64 + bits.trailing_zeros() as usize;
        (at < self.b.len()).then_some(at)
    }

    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }

    fn ws(&mut self) {
        while let Some(b' ' | b'\t' | b'\r' | b'\n') = self.peek() {
            self.i += 1;
        }
    }

    fn eat(&mut self, c: u8) -> Option<()> {
        self.ws();
        (self.peek()? == c).then(|| self.i += 1)
    }

    /// A string value; borrowed when it has no escapes.
    fn string(&mut self) -> Option<Str<'a>> {
        self.ws();
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i + 1;
        let j = self.next_stop(start)?;
        match self.b.get(j)? {
            b'"' => {
                self.i = j + 1;
                self.text.get(start..j).map(Str::from)
            }
            b'\\' => {
                let end = self.skip_string_from(j, true)?;
                let quoted = &self.b[start - 1..end];
                self.i = end;
                serde_json::from_slice::<String>(quoted).ok().map(Str::from)
            }
            _ => None, // a raw control character: invalid JSON
        }
    }

    /// From inside a string at `j`, the index just past its closing quote. With `unicode`
    /// false a `\u` escape gives up (its surrogate rules are serde's to judge); strings
    /// that are read go through serde anyway when they have escapes.
    fn skip_string_from(&self, mut j: usize, unicode: bool) -> Option<usize> {
        loop {
            j = self.next_stop(j)?;
            match self.b[j] {
                b'"' => return Some(j + 1),
                // Simple escapes are checked here; `\u` (surrogate rules) is serde's call.
                b'\\' => match self.b.get(j + 1)? {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => j += 2,
                    b'u' if unicode => j += 2,
                    _ => return None,
                },
                _ => return None,
            }
        }
    }

    /// A key: a plain string (an escaped key gives up).
    fn key(&mut self) -> Option<&'a [u8]> {
        self.ws();
        if self.peek()? != b'"' {
            return None;
        }
        let start = self.i + 1;
        let j = self.next_stop(start)?;
        if *self.b.get(j)? != b'"' {
            return None;
        }
        self.i = j + 1;
        self.eat(b':')?;
        Some(&self.b[start..j])
    }

    /// A run of number and literal characters (ASCII, so always a whole `&str`).
    fn token(&mut self) -> &'a str {
        self.ws();
        let start = self.i;
        while let Some(b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'a'..=b'z') = self.peek() {
            self.i += 1;
        }
        self.text.get(start..self.i).unwrap_or_default()
    }

    /// Unsigned digits, accumulated as read (`seq`, times and ids are on every line).
    /// Leading zeros, overflow, and a fraction or exponent give up: serde's call.
    fn digits(&mut self) -> Option<u64> {
        let start = self.i;
        let mut value = 0u64;
        while let Some(d @ b'0'..=b'9') = self.peek() {
            value = value.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
            self.i += 1;
        }
        let n = self.i - start;
        if n == 0 || (n > 1 && self.b[start] == b'0') {
            return None;
        }
        match self.peek() {
            Some(b'.' | b'e' | b'E' | b'-' | b'+' | b'a'..=b'z') => None,
            _ => Some(value),
        }
    }

    fn u64(&mut self) -> Option<u64> {
        self.ws();
        self.digits()
    }

    fn i64(&mut self) -> Option<i64> {
        self.ws();
        if self.peek()? == b'-' {
            self.i += 1;
            0i64.checked_sub_unsigned(self.digits()?)
        } else {
            i64::try_from(self.digits()?).ok()
        }
    }

    fn f64(&mut self) -> Option<f64> {
        let t = self.token();
        // JSON numbers only (Rust would also take "inf", "nan", "+1").
        let b = t.as_bytes();
        if b.is_empty()
            || !b
                .iter()
                .all(|c| c.is_ascii_digit() || matches!(c, b'-' | b'.' | b'e' | b'E' | b'+'))
            || b[0] == b'+'
        {
            return None;
        }
        let v: f64 = t.parse().ok()?;
        v.is_finite().then_some(v)
    }

    fn bool(&mut self) -> Option<bool> {
        match self.token() {
            "true" => Some(true),
            "false" => Some(false),
            _ => None,
        }
    }

    /// `null` here? (consumed if so)
    fn null(&mut self) -> bool {
        self.ws();
        if self.b[self.i..].starts_with(b"null") {
            self.i += 4;
            true
        } else {
            false
        }
    }

    /// Skip any value, validating it as serde would (a malformed value gives up, so serde
    /// reports it).
    fn skip(&mut self) -> Option<()> {
        self.skip_at(0)
    }

    fn skip_at(&mut self, depth: usize) -> Option<()> {
        // serde_json stops at 128 levels; well before that it is serde's call.
        if depth > 100 {
            return None;
        }
        self.ws();
        match self.peek()? {
            b'"' => {
                self.i = self.skip_string_from(self.i + 1, false)?;
                Some(())
            }
            b'{' => self.object(|p, _| p.skip_at(depth + 1)),
            b'[' => self.array(|p| p.skip_at(depth + 1)),
            b't' => self.literal(b"true"),
            b'f' => self.literal(b"false"),
            b'n' => self.literal(b"null"),
            _ => self.number(),
        }
    }

    fn literal(&mut self, word: &[u8]) -> Option<()> {
        self.b[self.i..]
            .starts_with(word)
            .then(|| self.i += word.len())
    }

    /// A JSON number: `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`.
    fn number(&mut self) -> Option<()> {
        let digits = |p: &mut Self| {
            let start = p.i;
            while let Some(b'0'..=b'9') = p.peek() {
                p.i += 1;
            }
            (p.i > start).then_some(p.i - start)
        };
        if self.peek()? == b'-' {
            self.i += 1;
        }
        let first = self.peek()?;
        let n = digits(self)?;
        if first == b'0' && n > 1 {
            return None;
        }
        if self.peek() == Some(b'.') {
            self.i += 1;
            digits(self)?;
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.i += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.i += 1;
            }
            digits(self)?;
        }
        Some(())
    }

    /// The raw text of the next value, validated (or known from an earlier line).
    fn raw(&mut self) -> Option<&'a str> {
        self.ws();
        let start = self.i;
        let rest = self.b.get(start..)?;
        // One hash of the first bytes serves the lookup and, on a miss, the insert.
        let key = Memo::key(rest);
        if let Some(len) = key.and_then(|k| self.memo.find(k, rest)) {
            self.i += len;
        } else {
            self.skip()?;
            let value = &self.b[start..self.i];
            if let Some(key) = key
                && value.len() >= Memo::PREFIX
                && matches!(value.first(), Some(b'[' | b'{' | b'"'))
            {
                self.memo.insert(key, value);
            }
        }
        self.text.get(start..self.i)
    }

    /// An object, `f` called with each key to read its value.
    fn object(&mut self, mut f: impl FnMut(&mut Self, &'a [u8]) -> Option<()>) -> Option<()> {
        self.eat(b'{')?;
        self.ws();
        if self.peek()? == b'}' {
            self.i += 1;
            return Some(());
        }
        loop {
            let k = self.key()?;
            f(self, k)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b'}' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    fn array(&mut self, mut f: impl FnMut(&mut Self) -> Option<()>) -> Option<()> {
        self.eat(b'[')?;
        self.ws();
        if self.peek()? == b']' {
            self.i += 1;
            return Some(());
        }
        loop {
            f(self)?;
            self.ws();
            match self.peek()? {
                b',' => self.i += 1,
                b']' => {
                    self.i += 1;
                    return Some(());
                }
                _ => return None,
            }
        }
    }

    /// A small object read by `parse`, or re-sliced when the line repeats the last one
    /// byte for byte: equal bytes parse to equal fields at the same offsets.
    fn recent<T: StrFields<'a>>(
        &mut self,
        slot: Slot,
        parse: impl FnOnce(&mut Self) -> Option<T>,
    ) -> Option<T> {
        self.ws();
        let start = self.i;
        let known = &self.recent[slot as usize];
        if !known.raw.is_empty() && self.b.get(start..)?.starts_with(&known.raw) {
            let mut fields: [Option<Str<'a>>; 4] = Default::default();
            for (field, span) in fields.iter_mut().zip(known.spans) {
                if let Some((offset, len)) = span {
                    *field = Some(Str::from(
                        self.text.get(start + offset..start + offset + len)?,
                    ));
                }
            }
            self.i += known.raw.len();
            return T::from_fields(fields);
        }
        let value = parse(self)?;
        // Only strings borrowed from this line have offsets; an unescaped one is not kept.
        let base = self.b.as_ptr() as usize + start;
        let span = |field: Option<&Str<'a>>| match field.map(|f| &f.0) {
            None => Some(None),
            Some(Cow::Borrowed(text)) => {
                let offset = (text.as_ptr() as usize).checked_sub(base)?;
                Some(Some((offset, text.len())))
            }
            Some(Cow::Owned(_)) => None,
        };
        let [a, b, c, d] = value.fields();
        let (Some(a), Some(b), Some(c), Some(d)) = (span(a), span(b), span(c), span(d)) else {
            return Some(value);
        };
        let spans = [a, b, c, d];
        let known = &mut self.recent[slot as usize];
        known.raw.clear();
        known.raw.extend_from_slice(&self.b[start..self.i]);
        known.spans = spans;
        Some(value)
    }

    /// A small nested value through serde (rare fields: `req`, `app`, `fixtures`, …).
    fn serde<T: serde::Deserialize<'a>>(&mut self) -> Option<T> {
        let raw = self.raw()?;
        serde_json::from_str(raw).ok()
    }
}

/// The line's object, field by field.
fn event<'a>(p: &mut P<'a, '_>, ev: &mut Event<'a>) -> Option<()> {
    p.object(|p, key| {
        if p.null() {
            // Rare in traces, and serde's duplicate rules around null are subtle: its call.
            return None;
        }
        match key {
            b"v" => set!(ev.v, u32::try_from(p.u64()?).ok()?),
            b"seq" => set!(ev.seq, p.u64()?),
            b"type" => set!(ev.kind, p.string()?),
            b"ts" => set!(ev.ts, p.string()?),
            b"ts_mono_ns" => set!(ev.ts_mono_ns, p.u64()?),
            b"ts_precision" => set!(ev.ts_precision, p.string()?),
            b"run_id" => set!(ev.run_id, p.string()?),
            b"pid" => set!(ev.pid, p.i64()?),
            b"tid" => set!(ev.tid, p.i64()?),
            b"process" => set!(ev.process, p.string()?),
            b"thread" => set!(ev.thread, p.string()?),
            b"fg" => set!(ev.fg, p.bool()?),
            b"src" => set!(ev.src, p.recent(Slot::Src, src)?),
            b"kind" => set!(ev.kind_of, p.string()?),
            b"trigger" => set!(ev.trigger, p.string()?),
            b"reason" => set!(ev.reason, p.string()?),
            b"dialog_id" => set!(ev.dialog_id, p.string()?),
            b"preticked_checkbox" => set!(ev.preticked_checkbox, p.bool()?),
            b"buttons" => set!(ev.buttons, p.serde()?),
            b"detect" => set!(ev.detect, p.string()?),
            b"confidence" => set!(ev.confidence, p.f64()?),
            b"permissions" => {
                let mut list = Vec::new();
                p.array(|p| {
                    list.push(p.string()?);
                    Some(())
                })?;
                set!(ev.permissions, list)
            }
            b"results" => {
                let mut list = Vec::new();
                p.array(|p| {
                    list.push(result(p)?);
                    Some(())
                })?;
                set!(ev.results, list)
            }
            b"rationale_shown" => set!(ev.rationale_shown, p.bool()?),
            b"api" => set!(ev.api, p.recent(Slot::Api, api)?),
            b"category" => set!(ev.category, p.string()?),
            b"outcome" => set!(ev.outcome, p.string()?),
            b"ret" => set!(ev.ret, p.recent(Slot::Ret, ret)?),
            b"stack" => {
                let raw = p.raw()?;
                if !raw.starts_with('[') {
                    return None;
                }
                set!(ev.stack, Stack::Raw(Cow::Borrowed(raw)))
            }
            b"attribution" => set!(ev.attribution, attribution(p)?),
            b"count" => set!(ev.count, p.u64()?),
            b"window_ms" => set!(ev.window_ms, p.u64()?),
            b"target_package" => set!(ev.target_package, p.string()?),
            b"component" => set!(ev.component, p.string()?),
            b"action" => set!(ev.action, p.string()?),
            b"how" => set!(ev.how, p.string()?),
            b"by" => set!(ev.by, p.string()?),
            b"target" => set!(ev.target, p.serde()?),
            b"screen" => set!(ev.screen, p.string()?),
            b"elements" => set!(ev.elements, p.serde()?),
            b"screenshot" => set!(ev.screenshot, p.string()?),
            b"xml" => set!(ev.xml, p.string()?),
            b"flow_id" => set!(ev.flow_id, p.string()?),
            b"method" => set!(ev.method, p.string()?),
            b"url" => set!(ev.url, p.string()?),
            b"host" => set!(ev.host, p.string()?),
            b"port" => set!(ev.port, u32::try_from(p.u64()?).ok()?),
            b"scheme" => set!(ev.scheme, p.string()?),
            b"server_ip" => set!(ev.server_ip, p.string()?),
            b"capture" => set!(ev.capture, p.string()?),
            b"events_dropped" => set!(ev.events_dropped, p.u64()?),
            b"text" => set!(ev.text, p.string()?),
            b"app" => set!(ev.app, p.serde()?),
            b"fixtures" => set!(ev.fixtures, p.serde()?),
            b"req" => set!(ev.req, p.serde()?),
            b"resp" => set!(ev.resp, p.serde()?),
            // `args` and fields for other tools: validated, or known from an earlier line.
            _ => _ = p.raw()?,
        }
        Some(())
    })
}

fn src<'a>(p: &mut P<'a, '_>) -> Option<Src<'a>> {
    let (mut tool, mut version, mut layer, mut import_of) = (None, None, None, None);
    p.object(|p, k| {
        if p.null() {
            return None;
        }
        match k {
            b"tool" => set!(tool, p.string()?),
            b"version" => set!(version, p.string()?),
            b"layer" => set!(layer, p.string()?),
            b"import_of" => set!(import_of, p.string()?),
            _ => p.skip()?,
        }
        Some(())
    })?;
    Some(Src {
        tool: tool?,
        version,
        layer,
        import_of,
    })
}

fn api<'a>(p: &mut P<'a, '_>) -> Option<Api<'a>> {
    p.ws();
    if p.peek()? == b'"' {
        return Some(Api {
            cls: p.string()?,
            method: Str::default(),
        });
    }
    let mut api = Api::default();
    // The serde path keeps the last of duplicate keys here (a hand-written visitor).
    p.object(|p, k| {
        match k {
            b"cls" => api.cls = p.string()?,
            b"method" => api.method = p.string()?,
            _ => p.skip()?,
        }
        Some(())
    })?;
    Some(api)
}

fn ret<'a>(p: &mut P<'a, '_>) -> Option<Ret<'a>> {
    let mut value_sha256 = None;
    p.object(|p, k| {
        if p.null() {
            return None;
        }
        match k {
            b"value_sha256" => set!(value_sha256, p.string()?),
            _ => p.skip()?,
        }
        Some(())
    })?;
    Some(Ret { value_sha256 })
}

fn attribution<'a>(p: &mut P<'a, '_>) -> Option<Attribution<'a>> {
    let (mut party, mut sdk_id, mut sdk_name, mut method) = (None, None, None, None);
    p.object(|p, k| {
        if p.null() {
            return None;
        }
        match k {
            b"party" => set!(party, p.string()?),
            b"sdk_id" => set!(sdk_id, p.string()?),
            b"sdk_name" => set!(sdk_name, p.string()?),
            b"method" => set!(method, p.string()?),
            _ => p.skip()?,
        }
        Some(())
    })?;
    Some(Attribution {
        party,
        sdk_id,
        sdk_name,
        method,
    })
}

fn result<'a>(p: &mut P<'a, '_>) -> Option<PermissionResult<'a>> {
    let (mut permission, mut granted, mut never) = (None, None, None);
    p.object(|p, k| {
        match k {
            b"permission" => set!(permission, p.string()?),
            b"granted" => set!(granted, p.bool()?),
            b"never_ask_again" => set!(never, p.bool()?),
            _ => p.skip()?,
        }
        Some(())
    })?;
    Some(PermissionResult {
        permission: permission?,
        granted: granted?,
        never_ask_again: never,
    })
}

#[cfg(test)]
#[allow(clippy::unwrap_used)] // a failing fixture should stop the test
mod tests {
    use super::*;

    /// The fast path agrees with serde, or gives up.
    fn agree(line: &str) -> bool {
        let fast = parse(line.as_bytes());
        let slow = serde_json::from_str::<Event<'_>>(line).ok();
        match (&fast, &slow) {
            (Some(f), Some(s)) => {
                assert_eq!(
                    crate::event::to_json_line(f),
                    crate::event::to_json_line(s),
                    "{line}"
                );
                true
            }
            (Some(_), None) => panic!("fast path accepted what serde rejects: {line}"),
            _ => false,
        }
    }

    #[test]
    fn agrees_with_serde_on_real_lines() {
        let data = crate::synthetic::trace(300, 3);
        for line in std::str::from_utf8(&data).unwrap().lines() {
            assert!(agree(line), "fast path gave up on {line}");
        }
        assert!(agree(
            r#"{"v":1,"seq":2,"type":"x","ts":"t","run_id":"r","src":{"tool":"a\u00e9"},"text":"line\nbreak","pid":-3}"#
        ));
    }

    /// Lines through one parser (values remembered across lines) read as serde reads them.
    #[test]
    fn remembered_values_read_like_fresh_ones() {
        let stack = r#"[{"cls":"com.example.sdk.Tracker","method":"collect","line":12},{"cls":"com.example.App","method":"onCreate"}]"#;
        let other = r#"[{"cls":"com.example.sdk.Tracker","method":"collect","line":99}]"#;
        let src = r#"{"tool":"hook","version":"1","layer":"java"}"#;
        let lines = [
            format!(r#"{{"v":1,"src":{src},"api":{{"cls":"a.B","method":"m"}},"stack":{stack}}}"#),
            // Same values again, at other offsets.
            format!(
                r#"{{"v":1,"seq":2,"src":{src},"api":{{"cls":"a.B","method":"m"}},"stack":{stack}}}"#
            ),
            // A stack sharing the remembered one's first bytes, then differing.
            format!(r#"{{"v":1,"src":{src},"stack":{other}}}"#),
            // A remembered stack followed by something that is not JSON.
            format!(r#"{{"v":1,"stack":{stack}]}}"#),
            // A src differing only in an escaped value: not re-sliced from the last one.
            r#"{"v":1,"src":{"tool":"ho\u006bk","version":"1","layer":"java"}}"#.to_string(),
            format!(r#"{{"v":1,"src":{src},"args":{stack}}}"#),
        ];
        let mut parser = LineParser::new();
        let mut read = 0;
        for line in &lines {
            let slow = serde_json::from_str::<Event<'_>>(line).ok();
            match (parser.parse(line.as_bytes()), slow) {
                (Some(fast), Some(slow)) => {
                    read += 1;
                    assert_eq!(
                        crate::event::to_json_line(&fast),
                        crate::event::to_json_line(&slow),
                        "{line}"
                    );
                }
                (Some(_), None) => panic!("accepted what serde rejects: {line}"),
                (None, _) => assert!(line.contains("]]"), "gave up on {line}"),
            }
        }
        assert_eq!(read, lines.len() - 1);
        let ev = parser.parse(lines[1].as_bytes()).unwrap();
        assert_eq!(ev.src.unwrap().tool.0, "hook");
        assert_eq!(ev.api.unwrap().method.0, "m");
        assert!(matches!(ev.stack, Some(Stack::Raw(ref r)) if r.as_ref() == stack));
    }

    #[test]
    fn numbers_read_as_serde_reads_them() {
        for (line, seq, pid) in [
            (
                r#"{"seq":0,"pid":-9223372036854775808}"#,
                Some(0),
                Some(i64::MIN),
            ),
            (
                r#"{"seq":18446744073709551615,"pid":-0}"#,
                Some(u64::MAX),
                Some(0),
            ),
        ] {
            let ev = parse(line.as_bytes()).unwrap();
            assert_eq!((ev.seq, ev.pid), (seq, pid));
        }
        for bad in [
            r#"{"seq":18446744073709551616}"#,
            r#"{"pid":9223372036854775808}"#,
            r#"{"seq":1.5}"#,
            r#"{"seq":1e3}"#,
            r#"{"pid":-}"#,
            r#"{"seq":-0}"#,
        ] {
            assert!(!agree(bad), "{bad}");
        }
    }

    #[test]
    fn gives_up_where_serde_would_complain() {
        for bad in [
            r#"{"v":1,"v":2}"#,
            r#"{"seq":01}"#,
            r#"{"seq":-1}"#,
            r#"{"stack":"not a list"}"#,
            r#"{"a":1,}"#,
            r#"{"a":[1,2}"#,
            r#"{"a":1} x"#,
            "{\"ts\":\"a\u{1}b\"}",
            r#"{"confidence":nan}"#,
            r#"{"v":null,"v":1}"#,
            r#"{"x":"\ud800"}"#,
            r#"{"x":["\q"]}"#,
            "{\"stack\":[{\"cls\":\"a\"}\u{1},{}]}",
            r#"{"x":[1 2]}"#,
            r#"{"x":{"a" 1}}"#,
            r#"{"x":01}"#,
            r#"{"x":[tru]}"#,
        ] {
            assert!(!agree(bad), "{bad}");
        }
    }
}
