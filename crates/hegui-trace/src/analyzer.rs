//! The analyser: events in (any source, streamed), facts out. Memory stays bounded by the
//! caps below whatever the trace's length; counts stay exact past them.

use std::collections::VecDeque;

use ahash::AHashMap as HashMap;

use hegui_knowledge::{SdkCatalog, Thresholds};
use hegui_model::{
    AppState, Collection, ConsentPhase, HostSummary, IpcStart, Party, PermissionEvent,
    PersonalisationPrompt, PiFlow, ProcessExit, RatePeak, ScanError, SelfStart, SeqTime,
    TraceFacts,
};

use crate::attribution::{Attributed, Attributor};
use crate::event::{Event, Stack};
use crate::run::RunState;
use crate::time;
use crate::traffic::Scanner;
use crate::ui::UiTracker;

const MAX_RUNS: usize = 10_000;
/// `consent_shown.kind` of a dialog about personalised ads or recommendations.
const PERSONALISATION: &str = "personalised_ads";
const MAX_COLLECTIONS: usize = 20_000;
const MAX_LIST: usize = 20_000;
const MAX_FLOWS: usize = 10_000;
const MAX_HOSTS: usize = 10_000;
const MAX_ERRORS: usize = 200;
const MAX_SAMPLE_SEQS: usize = 8;
const MAX_APIS: usize = 4;
/// Entries kept in one rate window: past this the peak is already far over any limit.
const MAX_WINDOW_ENTRIES: usize = 100_000;

/// How to analyse.
#[derive(Debug, Clone)]
pub struct TraceOptions {
    pub rate_window_ms: i64,
    pub user_action_grace_ms: i64,
    /// A download this soon after a tap is what the tap started.
    pub download_after_tap_ms: i64,
    /// PI asked for this soon after a tap is what the tapped element asked for.
    pub reward_request_window_ms: i64,
    /// Longest line accepted (the format's limit is 1 MiB).
    pub max_line: usize,
    /// Stop reading after this many events (0: no limit).
    pub max_events: u64,
}

impl Default for TraceOptions {
    fn default() -> Self {
        Self::from_thresholds(&Thresholds::default())
    }
}

impl TraceOptions {
    pub fn from_thresholds(t: &Thresholds) -> Self {
        Self {
            rate_window_ms: i64::from(t.rate_window_seconds.max(1)) * 1000,
            user_action_grace_ms: i64::from(t.user_action_grace_seconds) * 1000,
            download_after_tap_ms: i64::from(t.download_after_tap_seconds) * 1000,
            reward_request_window_ms: i64::from(t.reward_request_window_seconds) * 1000,
            max_line: 1 << 20,
            max_events: 0,
        }
    }
}

/// Where an event came from, for errors and evidence.
#[derive(Debug, Clone, Copy)]
pub struct Origin<'a> {
    pub file: &'a str,
    /// Line number (JSONL) or entry index (captures, exports).
    pub index: u64,
    /// `line` or `entry`.
    pub unit: &'a str,
}

impl Origin<'_> {
    pub fn describe(&self) -> String {
        match self.unit {
            "line" => format!("{}:{}", self.file, self.index),
            unit => format!("{}#{unit}[{}]", self.file, self.index),
        }
    }
}

#[derive(Hash, PartialEq, Eq, Clone, Copy)]
struct CollectionKey {
    run: u32,
    category: u32,
    party: u32,
    phase: ConsentPhase,
    state: AppState,
}

#[derive(Hash, PartialEq, Eq, Clone, Copy)]
struct RateKey {
    category: u32,
    party: u32,
    state: AppState,
}

#[derive(Default)]
struct RateWindow {
    entries: VecDeque<(SeqTime, u64)>,
    sum: u64,
    peak: u64,
    from: Option<SeqTime>,
    to: Option<SeqTime>,
    run: u32,
}

/// Values seen millions of times (categories, parties), stored once and compared as numbers.
struct Interner<T> {
    ids: HashMap<T, u32>,
    values: Vec<T>,
}

impl<T> Default for Interner<T> {
    fn default() -> Self {
        Self {
            ids: HashMap::new(),
            values: Vec::new(),
        }
    }
}

impl<T: std::hash::Hash + Eq + Clone> Interner<T> {
    /// The number of a value, looked up without allocating when it is known.
    fn id<Q>(&mut self, value: &Q) -> u32
    where
        T: std::borrow::Borrow<Q>,
        Q: std::hash::Hash + Eq + ToOwned<Owned = T> + ?Sized,
    {
        if let Some(&id) = self.ids.get(value) {
            return id;
        }
        let id = u32::try_from(self.values.len()).unwrap_or(u32::MAX);
        self.ids.insert(value.to_owned(), id);
        self.values.push(value.to_owned());
        id
    }

    fn get(&self, id: u32) -> Option<&T> {
        self.values.get(id as usize)
    }
}

pub struct Analyzer<'c> {
    opts: TraceOptions,
    catalog: &'c SdkCatalog,
    attributor: Attributor<'c>,
    scanner: Scanner,
    facts: TraceFacts,
    runs: Vec<RunState>,
    run_index: HashMap<String, usize>,
    last_run: Option<usize>,
    /// Where the trace stands after its latest run (the next run starts from it).
    consent_given: bool,
    categories: Interner<String>,
    parties: Interner<Party>,
    collections: HashMap<CollectionKey, usize>,
    rates: HashMap<RateKey, RateWindow>,
    hosts: HashMap<String, usize>,
    last_seq: Option<u64>,
    event_types: HashMap<String, u64>,
    errors: Vec<ScanError>,
    sink: Option<Sink<'c>>,
    ui: UiTracker,
}

/// Receives every event fed, as it is fed (`hegui trace import` writes them out).
pub type Sink<'c> = Box<dyn FnMut(&Event<'_>) + 'c>;

impl<'c> Analyzer<'c> {
    pub fn new(catalog: &'c SdkCatalog, opts: TraceOptions) -> Self {
        Self {
            ui: UiTracker::new(opts.download_after_tap_ms, opts.reward_request_window_ms),
            opts,
            catalog,
            attributor: Attributor::new(catalog),
            scanner: Scanner::new(&[]),
            facts: TraceFacts::default(),
            runs: Vec::new(),
            run_index: HashMap::new(),
            last_run: None,
            consent_given: false,
            categories: Interner::default(),
            parties: Interner::default(),
            collections: HashMap::new(),
            rates: HashMap::new(),
            hosts: HashMap::new(),
            last_seq: None,
            event_types: HashMap::new(),
            errors: Vec::new(),
            sink: None,
        }
    }

    /// Pass every event on to `sink` as well.
    pub fn set_sink(&mut self, sink: Sink<'c>) {
        self.sink = Some(sink);
    }

    pub fn options(&self) -> &TraceOptions {
        &self.opts
    }

    /// A new source begins: its `seq` numbering is its own.
    pub fn begin_source(&mut self, name: &str, imported: Option<&str>) {
        self.facts.sources.push(name.to_string());
        if let Some(kind) = imported
            && !self.facts.imported.iter().any(|k| k == kind)
        {
            self.facts.imported.push(kind.to_string());
        }
        self.last_seq = None;
    }

    /// Record a problem with one line or entry; the analysis goes on.
    pub fn error(&mut self, code: &str, message: impl Into<String>, origin: Origin<'_>) {
        self.facts.malformed += 1;
        if self.errors.len() < MAX_ERRORS {
            self.errors
                .push(ScanError::new(code, message, Some(&origin.describe())));
        } else if self.errors.len() == MAX_ERRORS {
            self.errors.push(ScanError::new(
                "too-many-errors",
                "further malformed lines are counted, not listed",
                Some(origin.file),
            ));
        }
    }

    pub fn events_read(&self) -> u64 {
        self.facts.events
    }

    /// Feed one event. `Err` is fatal for the source: a decreasing `seq` means the file is
    /// not one ordered trace, and judging its order would be judging noise.
    pub fn feed(&mut self, ev: &Event<'_>, origin: Origin<'_>) -> Result<(), ScanError> {
        if let Some(seq) = ev.seq {
            if let Some(last) = self.last_seq {
                if seq <= last {
                    return Err(ScanError::new(
                        "trace-seq-decreased",
                        format!("seq {seq} after {last}: seq must increase through a trace"),
                        Some(&origin.describe()),
                    ));
                }
                self.facts.dropped += seq - last - 1;
            }
            self.last_seq = Some(seq);
        }
        self.facts.events += 1;
        if let Some(sink) = &mut self.sink {
            sink(ev);
        }
        let kind = ev.kind();
        match self.event_types.get_mut(kind) {
            Some(n) => *n += 1,
            None => {
                if self.event_types.len() < 256 {
                    self.event_types.insert(kind.to_string(), 1);
                }
            }
        }
        if kind == "trace_start" {
            self.trace_start(ev);
            return Ok(());
        }
        let seq = ev.seq.unwrap_or(origin.index);
        let wall = ev.ts.as_deref().and_then(time::parse_ms);
        // Screens handed in without a trace (a folder of dumps) make a run of their own.
        let run = match self.run_for(ev, seq, wall) {
            None if kind == "ui_snapshot" && ev.run_id.is_none() => {
                let mut own = ev.clone();
                own.run_id = Some(crate::event::Str::from("uiautomator"));
                self.run_for(&own, seq, wall)
            }
            run => run,
        };
        let Some(run) = run else {
            // A capture with no trace around it: only traffic can be judged.
            if kind == "network_request" {
                let at = SeqTime {
                    seq,
                    t_ms: wall.unwrap_or(0),
                };
                self.network(ev, at, None, origin);
            }
            return Ok(());
        };
        let t_ms = self.runs[run].time_of(wall, ev.ts_mono_ns);
        let at = SeqTime { seq, t_ms };
        self.runs[run].touch(at);
        match kind {
            "process_start" => self.process_start(ev, run, at),
            "app_start" => self.app_start(ev, run, at),
            "app_foreground" => self.runs[run].set_state(at, AppState::Foreground),
            "app_background" => self.runs[run].set_state(at, AppState::Background),
            // A dialog about personalised ads is not the privacy notice: its answer does not
            // open or close the consent window.
            "consent_shown" if ev.kind_of.as_deref() == Some(PERSONALISATION) => {
                self.personalisation_prompt(ev, run, at);
            }
            "consent_accepted" | "consent_rejected" if self.answers_personalisation(ev) => {
                let answer = kind.trim_start_matches("consent_");
                self.answer_personalisation(ev, answer);
            }
            "consent_shown" => {
                let preticked = ev.preticked_checkbox.unwrap_or(false);
                self.runs[run].consent_shown(at, preticked);
            }
            "consent_accepted" => {
                self.runs[run].consent_accepted(at);
                self.consent_given = true;
            }
            "consent_rejected" => {
                self.runs[run].consent_rejected(at);
                self.consent_given = false;
            }
            "api_call" => self.api_call(ev, run, at),
            "permission_request" => self.permission_request(ev, run, at),
            "permission_result" => self.permission_result(ev, run, at),
            "process_exit" => self.process_exit(ev, run, at),
            "ipc_start" => self.ipc_start(ev, run, at),
            "ui_action" => {
                if matches!(ev.action.as_deref(), Some("tap" | "text" | "swipe")) {
                    self.runs[run].last_user_action_ms = Some(t_ms);
                }
                if ev.action.as_deref() == Some("tap") {
                    self.ui.tap(ev, run, at);
                }
            }
            "ui_snapshot" => {
                if let Err(e) = self.ui.snapshot(ev, run, at) {
                    self.error("trace-bad-snapshot", e, origin);
                }
            }
            "network_request" => self.network(ev, at, Some(run), origin),
            "trace_end" => self.facts.dropped += ev.events_dropped.unwrap_or(0),
            _ => {}
        }
        if let Some(e) = self.attributor.take_error() {
            self.error("trace-bad-stack", e, origin);
        }
        Ok(())
    }

    fn personalisation_prompt(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        let buttons = ev.buttons.as_deref().unwrap_or(&[]);
        let prompt = PersonalisationPrompt {
            at,
            run_id: self.runs[run].facts.run_id.clone(),
            dialog_id: ev.dialog_id.as_deref().map(str::to_string),
            buttons: buttons.iter().map(|b| b.label.clone()).collect(),
            can_refuse: buttons
                .iter()
                .any(|b| matches!(b.role.as_str(), "reject" | "close")),
            answer: None,
        };
        push_capped(
            &mut self.facts.personalisation_prompts,
            prompt,
            &mut self.facts.truncated,
        );
    }

    /// An answer to a personalisation dialog: its `dialog_id` is one shown as such.
    fn answers_personalisation(&self, ev: &Event<'_>) -> bool {
        ev.dialog_id.as_deref().is_some_and(|id| {
            self.facts
                .personalisation_prompts
                .iter()
                .any(|p| p.dialog_id.as_deref() == Some(id))
        })
    }

    fn answer_personalisation(&mut self, ev: &Event<'_>, answer: &str) {
        let id = ev.dialog_id.as_deref();
        if let Some(p) = self
            .facts
            .personalisation_prompts
            .iter_mut()
            .rev()
            .find(|p| p.dialog_id.as_deref() == id)
        {
            p.answer = Some(answer.to_string());
        }
    }

    fn trace_start(&mut self, ev: &Event<'_>) {
        if let Some(app) = &ev.app {
            if let Some(p) = app.package.as_deref().filter(|p| !p.is_empty()) {
                self.facts.package = Some(p.to_string());
                self.attributor.set_package(p);
            }
            self.facts.version = app.version_name.as_deref().map(str::to_string);
            self.facts.platform = app.platform.as_deref().map(str::to_string);
        }
        if let Some(fixtures) = &ev.fixtures {
            let values: Vec<(String, String)> = fixtures
                .iter()
                .filter_map(|(k, v)| Some((k.clone(), v.as_text()?)))
                .filter(|(_, v)| !v.starts_with('<'))
                .collect();
            for (k, _) in &values {
                let kind = crate::traffic::fixture_kind(k);
                if !self.facts.fixture_kinds.contains(&kind) {
                    self.facts.fixture_kinds.push(kind);
                }
            }
            self.scanner = Scanner::new(&values);
        }
    }

    /// The run an event belongs to; new run ids open a run. Events without one (captures)
    /// join the run whose time span holds them.
    fn run_for(&mut self, ev: &Event<'_>, seq: u64, wall: Option<i64>) -> Option<usize> {
        let Some(id) = ev.run_id.as_deref() else {
            let t = wall?;
            return self
                .runs
                .iter()
                .rposition(|r| r.facts.start.t_ms <= t)
                .or_else(|| (!self.runs.is_empty()).then_some(0));
        };
        if let Some(i) = self.last_run
            && self.runs[i].facts.run_id == id
        {
            return Some(i);
        }
        if let Some(&i) = self.run_index.get(id) {
            self.last_run = Some(i);
            return Some(i);
        }
        if self.runs.len() >= MAX_RUNS {
            self.facts.truncated = true;
            return self.last_run;
        }
        let t = wall.unwrap_or_else(|| self.runs.last().map_or(0, |r| r.facts.end.t_ms));
        let i = self.runs.len();
        self.runs.push(RunState::new(
            id,
            SeqTime { seq, t_ms: t },
            self.consent_given,
        ));
        self.run_index.insert(id.to_string(), i);
        self.last_run = Some(i);
        Some(i)
    }

    /// Who made the call: a cached stack verdict, the exporting tool's word, or nobody.
    fn party_of(&mut self, ev: &Event<'_>) -> (Who, &'static str) {
        if let Some(stack) = ev.stack.as_ref().filter(|s| !s.is_empty())
            && let Ok(i) = self.attributor.attribute(stack)
        {
            return (Who::Stack(i), "stack");
        }
        if let Some(a) = &ev.attribution {
            let party = match (a.party.as_deref(), a.sdk_id.as_deref()) {
                (Some("app"), _) => Party::App,
                (_, Some(id)) if !id.is_empty() => Party::Sdk(id.to_string()),
                _ => Party::Unknown,
            };
            let attributed = Attributed {
                party,
                ..Attributed::default()
            };
            return (Who::Other(attributed), "import");
        }
        (Who::Other(Attributed::default()), "none")
    }

    /// The party's number for a verdict (interned on first use).
    fn party_number(&mut self, who: &Who) -> u32 {
        match who {
            Who::Stack(i) => {
                let entry = self.attributor.get_mut(*i);
                match entry.party_id {
                    Some(id) => id,
                    None => {
                        let id = self.parties.id(&entry.party);
                        entry.party_id = Some(id);
                        id
                    }
                }
            }
            Who::Other(a) => self.parties.id(&a.party),
        }
    }

    fn stack_party(&mut self, stack: Option<&Stack<'_>>) -> Party {
        match stack
            .filter(|s| !s.is_empty())
            .map(|s| self.attributor.attribute(s))
        {
            Some(Ok(i)) => self.attributor.get(i).party.clone(),
            _ => Party::Unknown,
        }
    }

    fn process_start(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        let reason = ev.reason.as_deref().unwrap_or("");
        let r = &mut self.runs[run];
        let by_user = matches!(reason, "" | "launcher" | "user");
        if !by_user {
            if r.state == AppState::Unknown {
                r.set_state(at, AppState::Background);
            }
            if !r.started_by_user {
                let start = SelfStart {
                    at,
                    run_id: r.facts.run_id.clone(),
                    event: "process_start".into(),
                    cause: reason.to_string(),
                    process: ev.process.as_deref().map(str::to_string),
                };
                r.mark(at, "self_start", None, Some(reason));
                push_capped(
                    &mut self.facts.self_starts,
                    start,
                    &mut self.facts.truncated,
                );
            }
        }
    }

    fn app_start(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        let trigger = ev.trigger.as_deref().unwrap_or("user");
        let r = &mut self.runs[run];
        match trigger {
            "system" | "other_app" => {
                let start = SelfStart {
                    at,
                    run_id: r.facts.run_id.clone(),
                    event: "app_start".into(),
                    cause: trigger.to_string(),
                    process: ev.process.as_deref().map(str::to_string),
                };
                r.mark(at, "self_start", None, Some(trigger));
                push_capped(
                    &mut self.facts.self_starts,
                    start,
                    &mut self.facts.truncated,
                );
            }
            _ => {
                r.started_by_user = true;
                r.set_state(at, AppState::Foreground);
            }
        }
    }

    fn api_call(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        if let Some((kind, what)) = crate::ui::download_api(ev) {
            self.ui.download(run, at, kind, what);
        }
        let category = ev.category.as_deref().unwrap_or("");
        if category.is_empty() || category == "permission.check" {
            return;
        }
        if let Some(pi) = hegui_knowledge::trace_category(category).and_then(|c| c.pi) {
            self.ui.pi_request(run, at, category.to_string(), pi);
        }
        if let Some(h) = ev.ret.as_ref().and_then(|r| r.value_sha256.as_deref()) {
            self.scanner.add_value_hash(h, category);
        }
        let count = ev.count.unwrap_or(1).max(1);
        let cat = self.categories.id(category);
        let (phase, state) = {
            let r = &self.runs[run];
            (r.phase_at(at.t_ms), r.state)
        };
        self.runs[run].facts.collected += count;
        let (who, how) = self.party_of(ev);
        let party = self.party_number(&who);
        let attributed = match &who {
            Who::Stack(i) => self.attributor.get(*i),
            Who::Other(a) => a,
        };
        let key = CollectionKey {
            run: u32::try_from(run).unwrap_or(u32::MAX),
            category: cat,
            party,
            phase,
            state,
        };
        match self.collections.get(&key) {
            Some(&i) => {
                let c = &mut self.facts.collections[i];
                c.count += count;
                c.last = at;
                if c.seqs.len() < MAX_SAMPLE_SEQS {
                    c.seqs.push(at.seq);
                }
                if c.apis.len() < MAX_APIS
                    && let Some(api) = &ev.api
                    && !c.apis.iter().any(|a| same_api(a, api))
                {
                    c.apis.push(api.name());
                }
                for s in &attributed.sdks {
                    if !c.sdks_on_stack.contains(s) {
                        c.sdks_on_stack.push(s.clone());
                    }
                }
            }
            None if self.facts.collections.len() < MAX_COLLECTIONS => {
                let collection = Collection {
                    run_id: self.runs[run].facts.run_id.clone(),
                    category: category.to_string(),
                    pi: hegui_knowledge::trace_category(category).and_then(|c| c.pi),
                    party: attributed.party.clone(),
                    phase,
                    state,
                    count,
                    first: at,
                    last: at,
                    seqs: vec![at.seq],
                    apis: ev.api.iter().map(|a| a.name()).collect(),
                    frame: attributed.frame.clone(),
                    sdks_on_stack: attributed.sdks.clone(),
                    attributed_by: how.into(),
                    thread: (attributed.party == Party::Unknown)
                        .then(|| ev.thread.as_deref().map(str::to_string))
                        .flatten(),
                };
                let party_value = attributed.party.clone();
                self.collections.insert(key, self.facts.collections.len());
                self.facts.collections.push(collection);
                self.runs[run].mark(at, "collect", Some(&party_value), Some(category));
            }
            None => self.facts.truncated = true,
        }
        self.rate(
            RateKey {
                category: cat,
                party,
                state,
            },
            at,
            count,
            run,
        );
    }

    fn rate(&mut self, key: RateKey, at: SeqTime, count: u64, run: usize) {
        let window = self.opts.rate_window_ms;
        let w = self.rates.entry(key).or_default();
        // Times within a key only move forward; a late event counts at the latest time.
        let t = w
            .entries
            .back()
            .map_or(at.t_ms, |(b, _)| b.t_ms.max(at.t_ms));
        let at = SeqTime {
            seq: at.seq,
            t_ms: t,
        };
        w.entries.push_back((at, count));
        w.sum += count;
        while let Some((front, c)) = w.entries.front().copied() {
            if front.t_ms > t - window && w.entries.len() <= MAX_WINDOW_ENTRIES {
                break;
            }
            w.entries.pop_front();
            w.sum -= c;
        }
        if w.sum > w.peak {
            w.peak = w.sum;
            w.from = w.entries.front().map(|(s, _)| *s);
            w.to = Some(at);
            w.run = u32::try_from(run).unwrap_or(u32::MAX);
        }
    }

    fn permission_request(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        let party = self.stack_party(ev.stack.as_ref());
        for p in ev.permissions.iter().flatten() {
            if let Some(pi) = hegui_knowledge::ui_vocabulary().permission_pi(p) {
                self.ui.pi_request(run, at, p.to_string(), pi);
            }
            let e = PermissionEvent {
                at,
                run_id: self.runs[run].facts.run_id.clone(),
                permission: p.to_string(),
                kind: "request".into(),
                never_ask_again: false,
                party: party.clone(),
            };
            self.runs[run].mark(at, "permission_request", Some(&party), Some(p));
            push_capped(&mut self.facts.permissions, e, &mut self.facts.truncated);
        }
    }

    fn permission_result(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        for r in ev.results.iter().flatten() {
            let kind = if r.granted { "granted" } else { "denied" };
            if !r.granted {
                self.runs[run].mark(at, "permission_denied", None, Some(&r.permission));
            }
            let e = PermissionEvent {
                at,
                run_id: self.runs[run].facts.run_id.clone(),
                permission: r.permission.to_string(),
                kind: kind.into(),
                never_ask_again: r.never_ask_again.unwrap_or(false),
                party: Party::Unknown,
            };
            push_capped(&mut self.facts.permissions, e, &mut self.facts.truncated);
        }
    }

    fn process_exit(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        let party = self.stack_party(ev.stack.as_ref());
        let how = ev.how.as_deref().unwrap_or("os").to_string();
        self.runs[run].mark(at, "exit", Some(&party), Some(&how));
        let e = ProcessExit {
            at,
            run_id: self.runs[run].facts.run_id.clone(),
            how,
            party,
        };
        push_capped(&mut self.facts.exits, e, &mut self.facts.truncated);
    }

    fn ipc_start(&mut self, ev: &Event<'_>, run: usize, at: SeqTime) {
        let target = ev.target_package.as_deref().unwrap_or("");
        if let Some((kind, what)) = crate::ui::download_intent(ev, target) {
            self.ui.download(run, at, kind, what);
        }
        let own = self.facts.package.as_deref().unwrap_or("");
        if target.is_empty() || target == own {
            return;
        }
        let party = self.stack_party(ev.stack.as_ref());
        let r = &mut self.runs[run];
        let user_initiated = r
            .last_user_action_ms
            .is_some_and(|t| at.t_ms >= t && at.t_ms - t <= self.opts.user_action_grace_ms);
        r.mark(at, "ipc_start", Some(&party), Some(target));
        let e = IpcStart {
            at,
            run_id: r.facts.run_id.clone(),
            kind: ev.kind_of.as_deref().unwrap_or("").to_string(),
            target_package: target.to_string(),
            component: ev.component.as_deref().map(str::to_string),
            action: ev.action.as_deref().map(str::to_string),
            party,
            user_initiated,
        };
        push_capped(&mut self.facts.ipc_starts, e, &mut self.facts.truncated);
    }

    fn network(&mut self, ev: &Event<'_>, at: SeqTime, run: Option<usize>, origin: Origin<'_>) {
        let url = ev.url.as_deref().unwrap_or("");
        let parts = crate::url::split(url);
        let host = ev
            .host
            .as_deref()
            .filter(|h| !h.is_empty())
            .unwrap_or(parts.host)
            .to_ascii_lowercase();
        let scheme = ev
            .scheme
            .as_deref()
            .filter(|s| !s.is_empty())
            .unwrap_or(parts.scheme)
            .to_ascii_lowercase();
        self.facts.network.requests += 1;
        if let Some(run) = run
            && crate::ui::is_apk_path(parts.path)
        {
            let what = format!("{scheme}://{host}{}", parts.path);
            self.ui
                .download(run, at, hegui_model::DownloadKind::Download, what);
        }
        let owner = self
            .catalog
            .owner_of_host(&host)
            .and_then(|i| self.catalog.by_index(i))
            .map(|s| s.id.clone());
        let cleartext = matches!(scheme.as_str(), "http" | "ws");
        match self.hosts.get(&host) {
            Some(&i) => {
                let h = &mut self.facts.network.hosts[i];
                h.requests += 1;
                h.cleartext += u64::from(cleartext);
            }
            None if self.facts.network.hosts.len() < MAX_HOSTS => {
                self.hosts
                    .insert(host.clone(), self.facts.network.hosts.len());
                self.facts.network.hosts.push(HostSummary {
                    host: host.clone(),
                    requests: 1,
                    cleartext: u64::from(cleartext),
                    owner: owner.clone(),
                });
            }
            None => self.facts.truncated = true,
        }
        let mut hits = Vec::new();
        self.scanner.scan(url.as_bytes(), "url", &mut hits);
        if let Some(req) = &ev.req {
            // `req.query` is the URL's query parsed: the URL was scanned already.
            for h in &req.headers {
                let place = format!("header:{}", h.n.to_ascii_lowercase());
                self.scanner.scan(h.v.as_bytes(), &place, &mut hits);
            }
            let body = crate::url::body_bytes(req);
            if let Some(body) = body {
                self.scanner.scan(&body, "body", &mut hits);
            }
        }
        let party = match ev.stack.as_ref().filter(|s| !s.is_empty()) {
            Some(s) => self.stack_party(Some(s)),
            None => owner.clone().map_or(Party::Unknown, Party::Sdk),
        };
        let phase = run.map_or(ConsentPhase::Unknown, |r| self.runs[r].phase_at(at.t_ms));
        if let Some(r) = run {
            self.runs[r].mark(at, "network", Some(&party), Some(&host));
        }
        if hits.is_empty() {
            return;
        }
        if self.facts.network.pi_flows.len() >= MAX_FLOWS {
            self.facts.truncated = true;
            return;
        }
        self.facts.network.pi_flows.push(PiFlow {
            at,
            run_id: run.map(|r| self.runs[r].facts.run_id.clone()),
            origin: origin.describe(),
            method: ev.method.as_deref().unwrap_or("GET").to_string(),
            scheme,
            local: crate::url::is_local(&host),
            host,
            path: parts.path.to_string(),
            owner,
            party,
            phase,
            hits,
        });
    }

    /// The facts, and the problems met on the way.
    pub fn finish(mut self) -> (TraceFacts, Vec<ScanError>) {
        let run_ids: Vec<String> = self.runs.iter().map(|r| r.facts.run_id.clone()).collect();
        self.ui.finish(&run_ids, &mut self.facts);
        self.facts.runs = self.runs.into_iter().map(|r| r.facts).collect();
        let mut peaks: Vec<RatePeak> = self
            .rates
            .into_iter()
            .filter_map(|(k, w)| {
                Some(RatePeak {
                    category: self.categories.get(k.category)?.clone(),
                    party: self.parties.get(k.party)?.clone(),
                    state: k.state,
                    window_ms: u64::try_from(self.opts.rate_window_ms).unwrap_or(0),
                    peak: w.peak,
                    run_id: self.facts.runs.get(w.run as usize)?.run_id.clone(),
                    from: w.from?,
                    to: w.to?,
                })
            })
            .collect();
        peaks.sort_by(|a, b| {
            b.peak
                .cmp(&a.peak)
                .then_with(|| a.category.cmp(&b.category))
                .then_with(|| a.party.cmp(&b.party))
        });
        peaks.truncate(1000);
        self.facts.rate_peaks = peaks;
        self.facts.event_types = self.event_types.into_iter().collect();
        (self.facts, self.errors)
    }
}

/// A stack verdict in the attributor's cache, or one made for this event.
enum Who {
    Stack(usize),
    Other(Attributed),
}

/// `cls#method` equals the API, without building the string.
fn same_api(name: &str, api: &crate::event::Api<'_>) -> bool {
    if api.method.is_empty() {
        return name == &*api.cls;
    }
    name.len() == api.cls.len() + 1 + api.method.len()
        && name.starts_with(&*api.cls)
        && name.ends_with(&*api.method)
        && name.as_bytes().get(api.cls.len()) == Some(&b'#')
}

fn push_capped<T>(list: &mut Vec<T>, item: T, truncated: &mut bool) {
    if list.len() < MAX_LIST {
        list.push(item);
    } else {
        *truncated = true;
    }
}
