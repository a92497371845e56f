//! Runs a mini-program's JavaScript in an embedded engine (QuickJS) with an instrumented
//! platform object, and writes what it did as a `hegui-trace/1` run.
//!
//! The session is scripted: the modules load, `App.onLaunch`/`onShow` run, then the entry
//! page's `onLoad`/`onShow`/`onReady`, then every other page in `app.json` order; when the
//! package has a privacy flow, the simulated user agrees and, with `taps`, each page's own
//! handlers run as separate user actions; `onHide` ends the run in the background. Every call
//! of a platform API is an event with the page, phase and `module:line` of the call.
//!
//! What it does not simulate: rendering, templates and their bindings, real server answers
//! (requests succeed with an empty body), the user typing anything. Untrusted code runs with a
//! memory cap, a stack cap and a time budget; the engine has no file system, network or host
//! access beyond one function that takes a JSON record.

mod events;
mod profile;

use std::cell::RefCell;
use std::collections::BTreeSet;
use std::rc::Rc;
use std::time::{Duration, Instant};

use hegui_model::MiniProgramRun;
use rquickjs::context::EvalOptions;
use rquickjs::{Context, Ctx, Function, Object, Runtime};

pub use events::TOOL;

const PRELUDE: &str = include_str!("prelude.js");
/// Records kept per run, and their bytes; a package calling in a loop stops being recorded
/// here (the engine's memory cap does not cover what the host keeps).
const MAX_RECORDS: usize = 20_000;
const MAX_RECORD_BYTES: usize = 16 << 20;
/// Pages booted per run (the entry page first).
const MAX_PAGES: usize = 64;
/// Handlers run per page with `taps`.
const MAX_HANDLERS_PER_PAGE: usize = 16;

/// The package's code as the sandbox needs it.
#[derive(Debug, Clone, Default)]
pub struct Program {
    /// `wx…` appid, when known.
    pub appid: Option<String>,
    /// Script files by package path (`app-service.js`, `pages/index/index.js`, …).
    pub scripts: Vec<(String, String)>,
    /// `app.json` (or the compiled `app-config.json`): pages and entry page.
    pub app_config: Option<serde_json::Value>,
}

/// What one run may use.
#[derive(Debug, Clone)]
pub struct Limits {
    pub memory_bytes: usize,
    pub stack_bytes: usize,
    /// Wall-clock budget of the whole run.
    pub time: Duration,
    /// Run each page's own handlers (as taps) after the user agreed.
    pub taps: bool,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            memory_bytes: 256 << 20,
            stack_bytes: 1 << 20,
            time: Duration::from_secs(5),
            taps: false,
        }
    }
}

/// A run's trace and summary.
#[derive(Debug, Clone, Default)]
pub struct Outcome {
    /// The run as `hegui-trace/1` JSON Lines.
    pub jsonl: String,
    pub run: MiniProgramRun,
    /// Errors the package's code raised (first lines), for the report's notes.
    pub script_errors: Vec<String>,
}

/// What the simulated user answers to the privacy prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Answer {
    Agree,
    Refuse,
}

/// What ran out, if anything.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Exceeded {
    Time,
    Memory,
}

/// Run `program` once under `limits`.
pub fn run(program: &Program, limits: &Limits) -> Outcome {
    let mut outcome = Outcome::default();
    outcome.run.tool = TOOL.into();
    let records: Rc<RefCell<Vec<String>>> = Rc::new(RefCell::new(Vec::new()));
    let mut exceeded = run_engine(program, limits, &records, &mut outcome, Answer::Agree).err();
    let parse = |records: Rc<RefCell<Vec<String>>>| -> Vec<events::Record> {
        records
            .take()
            .iter()
            .filter_map(|r| serde_json::from_str(r).ok())
            .collect()
    };
    let calls = parse(records);
    // A second session, on a fresh engine, where the simulated user refuses.
    let mut refused_calls = Vec::new();
    if outcome.run.consented && exceeded.is_none() {
        let mut second = Outcome::default();
        let records = Rc::new(RefCell::new(Vec::new()));
        exceeded = run_engine(program, limits, &records, &mut second, Answer::Refuse).err();
        outcome.run.refusal_session = true;
        outcome.run.pages_booted_after_refusal = second.run.pages_booted;
        refused_calls = parse(records);
    }
    outcome.run.budget_exceeded = exceeded.map(|e| match e {
        Exceeded::Time => "time".to_string(),
        Exceeded::Memory => "memory".to_string(),
    });
    let stubbed: BTreeSet<String> = calls
        .iter()
        .filter(|c| c.kind == "call" && !profile::answers_for(&c.name))
        .filter(|c| hegui_knowledge::miniprogram_apis().get(&c.name).is_none())
        .map(|c| format!("{}.{}", c.ns, c.name))
        .collect();
    outcome.run.stubbed_apis = stubbed.into_iter().take(200).collect();
    outcome.run.script_errors = outcome.script_errors.clone();
    let sessions = [
        ("mp-sandbox", calls.as_slice()),
        ("mp-sandbox-refusal", refused_calls.as_slice()),
    ];
    let sessions = if refused_calls.is_empty() {
        &sessions[..1]
    } else {
        &sessions[..]
    };
    outcome.jsonl = events::trace(program.appid.as_deref(), sessions, &mut outcome.run);
    outcome
}

fn run_engine(
    program: &Program,
    limits: &Limits,
    records: &Rc<RefCell<Vec<String>>>,
    outcome: &mut Outcome,
    answer: Answer,
) -> Result<(), Exceeded> {
    let runtime = Runtime::new().map_err(|_| Exceeded::Memory)?;
    runtime.set_memory_limit(limits.memory_bytes);
    runtime.set_max_stack_size(limits.stack_bytes);
    let deadline = Instant::now() + limits.time;
    let timed_out = Rc::new(RefCell::new(false));
    let flag = Rc::clone(&timed_out);
    runtime.set_interrupt_handler(Some(Box::new(move || {
        let late = Instant::now() >= deadline;
        if late {
            *flag.borrow_mut() = true;
        }
        late
    })));
    let context = Context::full(&runtime).map_err(|_| Exceeded::Memory)?;
    let result = context.with(|ctx| session(&ctx, program, limits, records, outcome, answer));
    if *timed_out.borrow() {
        return Err(Exceeded::Time);
    }
    if outcome
        .script_errors
        .iter()
        .any(|e| e.contains("out of memory"))
    {
        return Err(Exceeded::Memory);
    }
    result
}

/// The scripted session, step by step; a step that throws is noted and the session goes on.
fn session(
    ctx: &Ctx<'_>,
    program: &Program,
    limits: &Limits,
    records: &Rc<RefCell<Vec<String>>>,
    outcome: &mut Outcome,
    answer: Answer,
) -> Result<(), Exceeded> {
    install(ctx, records).map_err(|_| Exceeded::Memory)?;
    let steps: Object = ctx
        .globals()
        .get("__hegui_session")
        .map_err(|_| Exceeded::Memory)?;
    // Only the host drives the session: the package must not be able to fake a consent.
    ctx.globals()
        .remove("__hegui_session")
        .map_err(|_| Exceeded::Memory)?;
    let mut errors = Vec::new();
    let mut note = |what: &str, e: String| {
        if !e.is_empty() && errors.len() < 50 {
            errors.push(format!("{what}: {}", e.lines().next().unwrap_or_default()));
        }
    };

    // Load: every script, as the platform does (bundles register their own modules and pages).
    let compiled = program
        .scripts
        .iter()
        .any(|(path, _)| path.ends_with("app-service.js") || path.ends_with("appservice.js"));
    for (path, source) in &program.scripts {
        // Of a compiled package: the logic bundles, and module files (`define(…)`) that some
        // containers keep apart; view-layer scripts are left out.
        if compiled && !is_bundle(path) && !source.trim_start().starts_with("define(") {
            continue;
        }
        let source = if compiled {
            source.clone()
        } else {
            // A source tree: each file is a module the way the compiler would wrap it.
            let key = path.trim_start_matches("./");
            format!(
                // No line break before the source, so its line numbers stay the file's.
                "define({}, function(require, module, exports) {{ {source}\n}});",
                serde_json::Value::String(key.to_string())
            )
        };
        if let Err(e) = eval(ctx, &source, path) {
            note(path, e);
        }
    }
    let config = program.app_config.clone().unwrap_or_default();
    let pages = page_list(&config);
    // A source tree never loads its own modules, and some bundles (ByteDance's) leave it to
    // the host: load app.js and each page the platform would, unless already registered.
    let has_app = steps
        .get::<_, Function>("hasApp")
        .and_then(|f| f.call::<_, bool>(()))
        .unwrap_or(false);
    if !has_app {
        note(
            "app.js",
            call_step(ctx, &steps, "requireModule", &["app.js"]),
        );
    }
    for route in &pages {
        let path = format!("{route}.js");
        note(
            &path,
            call_step(ctx, &steps, "registerRoute", &[route, &path]),
        );
    }
    let registered: Vec<String> = steps
        .get::<_, Function>("routes")
        .and_then(|f| f.call(()))
        .unwrap_or_default();
    let entry = config
        .get("entryPagePath")
        .and_then(|v| v.as_str())
        .map(|p| p.trim_end_matches(".html").to_string())
        .or_else(|| pages.first().cloned())
        .or_else(|| registered.first().cloned())
        .unwrap_or_default();
    outcome.run.entry_page = entry.clone();

    // Launch and the entry page.
    note("App.onLaunch", call_step(ctx, &steps, "launch", &[&entry]));
    settle(ctx, &steps, 200)?;
    let ready = call_step(ctx, &steps, "page", &[&entry, "ready"]);
    outcome.run.reached_ready = registered.contains(&entry) && ready.is_empty();
    if outcome.run.reached_ready {
        outcome.run.pages_booted.push(entry.clone());
    }
    note(&entry, ready);
    settle(ctx, &steps, 200)?;

    // The other pages, in app.json order, then any the bundle registered itself.
    let mut order: Vec<String> = pages.clone();
    order.extend(registered.iter().filter(|r| !pages.contains(r)).cloned());
    for route in order.iter().filter(|r| **r != entry).take(MAX_PAGES) {
        if !registered.contains(route) {
            continue;
        }
        let e = call_step(ctx, &steps, "page", &[route, "ready"]);
        if e.is_empty() {
            outcome.run.pages_booted.push(route.clone());
        }
        note(route, e);
        settle(ctx, &steps, 100)?;
    }

    // The user answers, where the package asks (agrees in the first session, refuses in the
    // second); then taps.
    let has_flow = records.borrow().iter().any(|r| is_privacy_flow(r));
    outcome.run.consented = has_flow && answer == Answer::Agree;
    if has_flow {
        let step = match answer {
            Answer::Agree => "consent",
            Answer::Refuse => "refuse",
        };
        call_step(ctx, &steps, step, &[]);
        settle(ctx, &steps, 100)?;
    }
    // Taps are user actions whether or not a prompt came first.
    if limits.taps {
        for route in outcome.run.pages_booted.clone() {
            let handlers: Vec<String> = steps
                .get::<_, Function>("handlers")
                .and_then(|f| f.call((route.as_str(),)))
                .unwrap_or_default();
            for handler in handlers.iter().take(MAX_HANDLERS_PER_PAGE) {
                note(handler, call_step(ctx, &steps, "tap", &[&route, handler]));
                outcome.run.handlers_run += 1;
                settle(ctx, &steps, 100)?;
            }
        }
    }
    note("onHide", call_step(ctx, &steps, "background", &[]));
    settle(ctx, &steps, 1_000)?;
    outcome.script_errors = errors;
    Ok(())
}

/// The bundles of a compiled package that hold the app's logic (not the view layer).
fn is_bundle(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    matches!(
        name,
        "app-service.js" | "appservice.js" | "appservice.app.js" | "common.app.js"
    ) || path.ends_with("/app-service.js")
}

/// A record that shows the package runs the platform's privacy flow.
fn is_privacy_flow(record: &str) -> bool {
    const FLOW: &[&str] = &[
        "onNeedPrivacyAuthorization",
        "requirePrivacyAuthorize",
        "getPrivacySetting",
        "openPrivacyContract",
    ];
    serde_json::from_str::<events::Record>(record).is_ok_and(|r| FLOW.contains(&r.name.as_str()))
}

/// `app.json`'s pages, main package first, then subpackages with their roots.
fn page_list(config: &serde_json::Value) -> Vec<String> {
    let mut pages: Vec<String> = config
        .get("pages")
        .and_then(|p| p.as_array())
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    for key in ["subPackages", "subpackages"] {
        for sub in config
            .get(key)
            .and_then(|s| s.as_array())
            .into_iter()
            .flatten()
        {
            let root = sub
                .get("root")
                .and_then(|r| r.as_str())
                .unwrap_or_default()
                .trim_end_matches('/');
            for page in sub
                .get("pages")
                .and_then(|p| p.as_array())
                .into_iter()
                .flatten()
                .filter_map(|p| p.as_str())
            {
                pages.push(format!("{root}/{page}"));
            }
        }
    }
    // A compiled package's app-config.json names pages by their `.html` view.
    for page in &mut pages {
        if let Some(route) = page.strip_suffix(".html") {
            *page = route.to_string();
        }
    }
    pages.truncate(MAX_PAGES * 4);
    pages
}

fn install(ctx: &Ctx<'_>, records: &Rc<RefCell<Vec<String>>>) -> rquickjs::Result<()> {
    let sink = Rc::clone(records);
    let kept_bytes = std::cell::Cell::new(0usize);
    let emit = Function::new(ctx.clone(), move |record: String| {
        let mut sink = sink.borrow_mut();
        let bytes = kept_bytes.get() + record.len();
        if sink.len() < MAX_RECORDS && bytes <= MAX_RECORD_BYTES {
            kept_bytes.set(bytes);
            sink.push(record);
        }
    })?;
    let globals = ctx.globals();
    globals.set("__hegui_emit", emit)?;
    globals.set("__hegui_profile", ctx.json_parse(profile::json())?)?;
    eval(ctx, PRELUDE, "hegui-prelude.js").map_err(|_| rquickjs::Error::Unknown)?;
    Ok(())
}

/// Evaluate a script under its package path (so stacks name it); the error text if it threw.
fn eval(ctx: &Ctx<'_>, source: &str, file: &str) -> Result<(), String> {
    let mut options = EvalOptions::default();
    options.global = true;
    options.strict = false;
    options.filename = Some(file.to_string());
    ctx.eval_with_options::<(), _>(source, options)
        .map_err(|_| exception_text(ctx))
}

fn exception_text(ctx: &Ctx<'_>) -> String {
    let caught = ctx.catch();
    if let Some(exception) = caught.as_exception() {
        let message = exception.message().unwrap_or_default();
        // Where it was thrown: the first frame of the engine's stack.
        let at = exception
            .stack()
            .and_then(|s| s.lines().next().map(|l| l.trim().to_string()))
            .unwrap_or_default();
        return if at.is_empty() {
            message
        } else {
            format!("{message} ({at})")
        };
    }
    caught
        .as_string()
        .and_then(|s| s.to_string().ok())
        .unwrap_or_else(|| "exception".to_string())
}

/// Call one session step; the error text it returned or raised.
fn call_step(ctx: &Ctx<'_>, steps: &Object<'_>, name: &str, args: &[&str]) -> String {
    let Ok(f) = steps.get::<_, Function>(name) else {
        return format!("no step {name}");
    };
    let args: Vec<String> = args.iter().map(|a| a.to_string()).collect();
    let result: rquickjs::Result<Option<String>> = match args.as_slice() {
        [] => f.call(()),
        [a] => f.call((a.as_str(),)),
        [a, b] => f.call((a.as_str(), b.as_str())),
        _ => f.call((args.join(","),)),
    };
    match result {
        Ok(text) => text.unwrap_or_default(),
        Err(_) => exception_text(ctx),
    }
}

/// Let time pass on the virtual clock, 10 ms at a time, running promise jobs in between.
fn settle(ctx: &Ctx<'_>, steps: &Object<'_>, ms: u32) -> Result<(), Exceeded> {
    let Ok(tick) = steps.get::<_, Function>("tick") else {
        return Ok(());
    };
    for _ in 0..ms.div_ceil(10) {
        drain_jobs(ctx);
        let _: rquickjs::Result<()> = tick.call((10,));
    }
    drain_jobs(ctx);
    Ok(())
}

fn drain_jobs(ctx: &Ctx<'_>) {
    for _ in 0..10_000 {
        if !ctx.execute_pending_job() {
            break;
        }
    }
}

#[cfg(test)]
mod tests;
