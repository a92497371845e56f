//! Command-line definitions. `--help` is the user's manual: keep it teaching.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

#[derive(Debug, Parser)]
#[command(
    name = "hegui",
    version,
    about = "合规 hegui — 检测 App 及其第三方 SDK 如何收集使用个人信息，并对应到违反的法规条款\n\
             Detect how apps and their SDKs collect personal information, mapped to the Chinese rules they break.",
    long_about = None,
    after_help = "Examples:\n  \
        hegui scan app.apk                       # JSON report on stdout (zh-CN titles)\n  \
        hegui scan app.apk --format html -o report.html --lang en\n  \
        hegui scan app.ipa                       # iOS: Info.plist, privacy manifests, Mach-O\n  \
        hegui scan miniprogram/                  # a mini-program project (or __APP__.wxapkg folder): one report\n  \
        hegui scan __APP__.wxapkg --appid wx0123456789abcdef   # PC-encrypted package\n  \
        hegui scan app.apk --policy privacy.html # pair an app with its published policy\n  \
        hegui scan privacy.txt                   # a policy on its own (recognised by content)\n  \
        hegui scan run.jsonl                     # a runtime trace (hegui-trace/1), HAR, mitmproxy flows or camille/PrivacySentry export\n  \
        hegui scan app.apk --trace run.jsonl --har capture.har --policy privacy.html   # one combined report\n  \
        hegui trace validate run.jsonl           # check a trace against the format, line by line\n  \
        hegui scan apks/ -o reports/ --format sarif   # one report per package, all cores\n  \
        hegui scan app.apk --fail-on high        # exit 1 in CI when a high finding exists\n  \
        hegui rules                              # list the rules\n  \
        hegui calendar add 2024-09-27 5          # 5 working days later (holidays, 调休): 2024-10-10\n  \
        hegui serve                              # the platform: web UI + API on 127.0.0.1:8080, SQLite under ./hegui-data\n  \
        hegui audit verify                       # check the platform's hash-chained audit log\n  \
        hegui rules explain AND004               # what a rule checks and how to fix it\n  \
        hegui sdks --category push               # the SDK catalogue\n  \
        hegui sdks show umeng                    # one SDK: operator, PI, signatures\n  \
        hegui scan app.apk --sdk-db ours.json    # add in-house or ETIP/exodus signatures\n\n\
        Exit codes: 0 ok · 1 finding at/above --fail-on · 2 usage error · 3 input unreadable"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan packages (APK, XAPK/APKS/APKM, DEX, iOS IPA, mini-program .wxapkg/TPKG or project
    /// folder), privacy policies and runtime traces or captures: files or folders, kind
    /// detected from content.
    Scan(ScanArgs),
    /// List the rules, or explain one (`hegui rules explain AND001`).
    Rules(RulesArgs),
    /// List the third-party SDK catalogue, or show one entry (`hegui sdks show umeng`).
    Sdks(SdksArgs),
    /// Measure scan time against the cost of inflating the package's DEX (`unzip -p`); for
    /// privacy policies, policies read per second.
    Bench(BenchArgs),
    /// Print the JSON Schema of the report (`hegui-report/1`).
    Schema,
    /// Runtime traces: validate a `hegui-trace/1` file, or convert a capture or export
    /// (HAR, mitmproxy flows, camille / PrivacySentry spreadsheets) into one.
    Trace(TraceArgs),
    /// The China working-day calendar used for rectification deadlines (holidays and
    /// adjusted working days from the State Council notices, 2020 onwards).
    Calendar(CalendarArgs),
    /// Run the detection platform: web UI (open http://ADDR/), REST API (/api/v1, described
    /// at /api/openapi.json), job queue and workers. With no options it keeps everything
    /// under ./hegui-data (a SQLite file and an object folder); give --db postgres://…,
    /// --store s3://BUCKET and run `hegui worker` elsewhere to scale out.
    #[cfg(feature = "platform")]
    Serve(ServeArgs),
    /// Run workers only, against the platform's shared database and object store.
    #[cfg(feature = "platform")]
    Worker(WorkerArgs),
    /// The platform's audit log: `hegui audit verify` recomputes its hash chain and exits 1
    /// at the first edited, removed or reordered row.
    #[cfg(feature = "platform")]
    Audit(AuditArgs),
}

#[cfg(feature = "platform")]
#[derive(Debug, Args)]
pub struct AuditArgs {
    #[command(subcommand)]
    pub action: AuditAction,
}

#[cfg(feature = "platform")]
#[derive(Debug, Subcommand)]
pub enum AuditAction {
    /// Check every row of the audit log against the chain of hashes.
    Verify {
        #[command(flatten)]
        platform: PlatformArgs,
    },
}

/// Where the platform keeps its state.
#[cfg(feature = "platform")]
#[derive(Debug, Args)]
pub struct PlatformArgs {
    /// Data folder: the SQLite database, objects and scratch space by default.
    #[arg(long, default_value = "./hegui-data", value_name = "DIR")]
    pub data_dir: PathBuf,
    /// Database URL: sqlite://PATH (default DIR/hegui.db) or postgres://USER:PASS@HOST/DB.
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Object store for packages and reports: a folder, file://PATH, or s3://BUCKET[/PREFIX]
    /// for any S3-compatible store (settings from AWS_ENDPOINT, AWS_ACCESS_KEY_ID,
    /// AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ALLOW_HTTP). Default DIR/objects.
    #[arg(long, value_name = "STORE")]
    pub store: Option<String>,
    /// Largest package accepted, in MiB.
    #[arg(long, default_value_t = 4096, value_name = "MIB")]
    pub max_upload_mb: u64,
    /// Do not run mini-programs in the sandbox (by default the workers read and run them,
    /// as `hegui scan --run` does).
    #[arg(long)]
    pub no_run: bool,
}

#[cfg(feature = "platform")]
#[derive(Debug, Args)]
pub struct ServeArgs {
    #[command(flatten)]
    pub platform: PlatformArgs,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8080", value_name = "ADDR")]
    pub listen: std::net::SocketAddr,
    /// Workers in this process (0: only `hegui worker` processes scan).
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub workers: usize,
    /// SMTP relay for notification mail: smtp://[USER:PASSWORD@]HOST[:PORT] (or set
    /// HEGUI_SMTP). Without one, in-app messages still arrive and mail waits in the outbox.
    #[arg(long, value_name = "URL")]
    pub smtp: Option<String>,
    /// Sender address of notification mail.
    #[arg(long, default_value = "hegui@localhost", value_name = "ADDR")]
    pub mail_from: String,
    /// Complaints one address may file per hour on the public page (/complaints).
    #[arg(long, default_value_t = 5, value_name = "N")]
    pub complaints_per_hour: i64,
    /// Behind a reverse proxy: the header carrying the client's address (X-Real-IP, or
    /// X-Forwarded-For whose last entry is used), so the complaint rate limit is per sender.
    #[arg(long, value_name = "HEADER")]
    pub client_ip_header: Option<String>,
}

#[cfg(feature = "platform")]
#[derive(Debug, Args)]
pub struct WorkerArgs {
    #[command(flatten)]
    pub platform: PlatformArgs,
    /// Workers in this process.
    #[arg(long, default_value_t = 2, value_name = "N")]
    pub workers: usize,
    /// Lease length: a job whose worker stops renewing it goes to another worker after
    /// this long.
    #[arg(long, default_value_t = 60_000, value_name = "MS")]
    pub lease_ms: i64,
    /// Failover drill: hold each claimed job this long before scanning it.
    #[arg(long, default_value_t = 0, value_name = "MS", hide = true)]
    pub hold_ms: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutputFormat {
    /// One JSON document per package (JSON Lines on stdout for several packages).
    Json,
    /// SARIF 2.1.0 for code-scanning dashboards.
    Sarif,
    /// A self-contained HTML page for people.
    Html,
    /// Markdown, for tickets and merge requests.
    Md,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum LangArg {
    /// 简体中文 (default)
    Zh,
    /// English
    En,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

/// What `--kind` can force.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum KindArg {
    Policy,
}

#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Files or folders to scan. Folders are searched recursively; files whose content is not
    /// a supported package are skipped there (but reported when named directly). A path that
    /// does not exist is named on stderr and exits 3. Several inputs without --output give
    /// JSON Lines on stdout (one report per line).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,

    /// Report format.
    #[arg(long, short = 'f', value_enum, default_value = "json")]
    pub format: OutputFormat,

    /// Where to write: a file (one input) or a folder (one report per input, named after the
    /// input and its hash, or a folder's appid). Without it, reports go to stdout. Nothing is
    /// written elsewhere.
    #[arg(long, short = 'o', value_name = "FILE|DIR")]
    pub output: Option<PathBuf>,

    /// Language of titles and messages in HTML and Markdown (JSON and SARIF carry both).
    #[arg(long, value_enum, default_value = "zh")]
    pub lang: LangArg,

    /// Exit with status 1 when any finding has this severity or higher.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<SeverityArg>,

    /// Also run rules still in preview.
    #[arg(long)]
    pub preview: bool,

    /// Appid of PC-encrypted WeChat packages (`V1MMWX`), when neither the folder
    /// (`Applet/<appid>/<version>/`) nor the file name (`<appid>-pc.wxapkg`) carries it.
    #[arg(long, value_name = "APPID")]
    pub appid: Option<String>,

    /// The app's published privacy policy (text, HTML or Markdown; UTF-8, UTF-16 or
    /// GBK/GB18030): analysed with the package, so the `XC` rules can compare what the policy
    /// declares with what the package does.
    #[arg(long, value_name = "FILE")]
    pub policy: Option<PathBuf>,

    /// The app's type in the 2021 rules on necessary personal information (39 types): its
    /// number, Chinese or English name (`6`, `网上购物类`, `"Online shopping"`). With it,
    /// XC004 reports PI collected beyond what the type's basic function needs; without it,
    /// that check is listed as not assessed (the type is never guessed).
    #[arg(long, value_name = "TYPE")]
    pub app_type: Option<String>,

    /// The app's store listing: a JSON Lines feed, one listing a line (`store`, `package`,
    /// `version`, `developer` {`name`, `licence_id`}, `permissions` [{`name`, `purpose`}],
    /// `pi` [{`item`, `purpose`}], `policy_url`, `policy_text`). Each package is judged with
    /// the line for its package name: the STO rules check what the listing shows against
    /// the package (notice 164 items 9–10). See docs/listing.md.
    #[arg(long, value_name = "FEED")]
    pub listing: Option<PathBuf>,

    /// Force how inputs are read. `policy`: every input is a privacy-policy text, whatever
    /// it looks like (without it, policies are recognised by their content).
    #[arg(long, value_enum, value_name = "KIND")]
    pub kind: Option<KindArg>,

    /// Extra SDK signatures: a JSON file in hegui's catalogue format (`{"sdks": [...]}`, see
    /// `hegui sdks show ID --json`) or an ETIP/εxodus tracker export (`code_signature`,
    /// `network_signature`; regexes are taken as literal package prefixes, others skipped
    /// with a warning). Entries with a built-in id replace it. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub sdk_db: Vec<PathBuf>,
    /// A runtime trace of the app (`hegui-trace/1` JSON Lines, or a camille / PrivacySentry
    /// spreadsheet export): the DYN rules judge what it did while it ran (collection before
    /// consent, in the background, too often; permission nagging; self-starts), and static
    /// findings the trace shows happening are marked confirmed. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub trace: Vec<PathBuf>,

    /// A network capture of the app (HAR 1.2 from mitmproxy, Charles or devtools, or a
    /// mitmproxy flow file): the NET rules look for PI in requests (the trace's test-device
    /// values in any encoding, and checkable PI patterns). Requests fall into the trace's
    /// runs by time. Repeatable.
    #[arg(long, value_name = "FILE")]
    pub har: Vec<PathBuf>,

    /// Thresholds of the dynamic rules as JSON, overriding any of the built-in ones
    /// (`{"max_per_window_foreground": 20, "permission_rerequest_window_hours": 48}`; see
    /// docs/trace.md for every key).
    #[arg(long, value_name = "FILE")]
    pub thresholds: Option<PathBuf>,

    /// UTC offset of the test device for spreadsheet exports, whose times carry none.
    #[arg(
        long,
        value_name = "±HH:MM",
        default_value = "+08:00",
        allow_hyphen_values = true
    )]
    pub trace_tz: String,

    /// Year of PrivacySentry exports, whose times (`MM-dd HH:mm:ss.SSS`) carry none.
    #[arg(long, value_name = "YEAR")]
    pub trace_year: Option<i64>,

    /// Run a mini-program in hegui's sandbox (QuickJS, no device): App and every page boot,
    /// the simulated user agrees to the privacy prompt where there is one, and the run is
    /// judged like a trace (collection before consent, in the background, PI in cleartext).
    /// Its summary is `facts.miniprogram.run`.
    #[arg(long)]
    pub run: bool,

    /// With --run: after agreeing, also call each page's own handlers, one tap each.
    #[arg(long, requires = "run")]
    pub run_taps: bool,

    /// With --run: the run's time budget in seconds (memory is capped at 256 MiB).
    #[arg(long, value_name = "SECONDS", default_value_t = 5, requires = "run")]
    pub run_seconds: u64,

    /// Worker threads (default: all cores).
    #[arg(long, short = 'j')]
    pub jobs: Option<usize>,

    /// No progress bar, no summary on stderr (inputs that could not be read are still named
    /// there, with why).
    #[arg(long, short = 'q')]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct RulesArgs {
    #[command(subcommand)]
    pub action: Option<RulesAction>,
    /// Language of the listing.
    #[arg(long, value_enum, default_value = "zh", global = true)]
    pub lang: LangArg,
    /// Print as JSON.
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum RulesAction {
    /// Show what a rule detects, why it matters, an example and how to fix it.
    Explain {
        /// Rule code, e.g. AND004.
        code: String,
    },
}

#[derive(Debug, Args)]
pub struct SdksArgs {
    #[command(subcommand)]
    pub action: Option<SdksAction>,
    /// Only SDKs of this category (`push`, `ads`, `analytics`, …; `hegui sdks` lists them).
    #[arg(long)]
    pub category: Option<String>,
    /// Also load these extra catalogue files (as `scan --sdk-db`).
    #[arg(long, value_name = "FILE", global = true)]
    pub sdk_db: Vec<PathBuf>,
    /// Language of the listing.
    #[arg(long, value_enum, default_value = "zh", global = true)]
    pub lang: LangArg,
    /// Print as JSON (catalogue entries in the `--sdk-db` format).
    #[arg(long, global = true)]
    pub json: bool,
}

#[derive(Debug, Subcommand)]
pub enum SdksAction {
    /// Everything the catalogue knows of one SDK: operator, category, PI it collects, policy,
    /// package prefixes, classes, native libraries, manifest keys, domains.
    Show {
        /// SDK id, e.g. umeng (ids appear in findings as `sdk:<id>`).
        id: String,
    },
}

#[derive(Debug, Args)]
pub struct BenchArgs {
    /// APK or IPA files, mini-programs or privacy policies (or folders of them) to measure.
    /// Policies are read in this process on one core (policies/s, the 10-30 K character
    /// ones apart). With --platform, the first one is the package for the overhead measure
    /// (none: the queue alone).
    #[arg(required_unless_present_any = ["trace_events", "platform"])]
    pub paths: Vec<PathBuf>,
    /// Measure the platform instead: enqueue --jobs small jobs and drain them with two
    /// claimers (jobs/s, claim latency p50/p99), then run --scans analyses of the first
    /// package through two workers against scanning it directly. Uses a fresh SQLite
    /// database in a temporary folder unless --db names one (its bench rows are left).
    #[cfg(feature = "platform")]
    #[arg(long)]
    pub platform: bool,
    #[cfg(feature = "platform")]
    #[arg(long, default_value_t = 10_000, value_name = "N")]
    pub jobs: usize,
    #[cfg(feature = "platform")]
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub scans: usize,
    /// Database for --platform (postgres://… to measure PostgreSQL).
    #[cfg(feature = "platform")]
    #[arg(long, value_name = "URL")]
    pub db: Option<String>,
    /// Measure trace reading and judging instead: a synthetic trace of this many events,
    /// on one core, against plain JSON parsing of the same lines.
    #[arg(long, value_name = "N")]
    pub trace_events: Option<usize>,
    /// Runs per file; the median is reported.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

#[derive(Debug, Args)]
pub struct CalendarArgs {
    #[command(subcommand)]
    pub action: CalendarAction,
    /// Extra or corrected years, one `YYYY.json` per year in the shipped format (see
    /// crates/hegui-calendar/data/README.md): a year whose notice came out after this
    /// release.
    #[arg(long, global = true, value_name = "DIR")]
    pub calendar_dir: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum CalendarAction {
    /// Print the date N working days after DATE (ISO; N < 0 counts back), not counting
    /// DATE: `hegui calendar add 2024-09-27 5` prints 2024-10-10. Fails, rather than
    /// guesses, when a year on the way has no notice loaded.
    Add {
        date: String,
        #[arg(allow_hyphen_values = true)]
        n: i64,
    },
    /// Print the number of working days after START up to and including END.
    Between { start: String, end: String },
    /// Is DATE a working day? Prints yes or no (exit 0 either way).
    Is { date: String },
    /// List the years loaded and the notice each comes from.
    Years,
}

#[derive(Debug, Args)]
pub struct TraceArgs {
    #[command(subcommand)]
    pub action: TraceAction,
}

#[derive(Debug, Subcommand)]
pub enum TraceAction {
    /// Read a trace (or capture or export) and report every line that is not a valid event,
    /// with its line number, and what the file holds. Exit 0 when every line is valid.
    Validate {
        file: PathBuf,
        /// UTC offset of spreadsheet exports.
        #[arg(long, default_value = "+08:00", allow_hyphen_values = true)]
        tz: String,
        /// Year of PrivacySentry exports.
        #[arg(long)]
        year: Option<i64>,
    },
    /// Convert a HAR, mitmproxy flow file or camille / PrivacySentry export into
    /// `hegui-trace/1` JSON Lines (test-device values are never written).
    Import {
        file: PathBuf,
        /// Output file (default: stdout).
        #[arg(long, short = 'o')]
        output: Option<PathBuf>,
        #[arg(long, default_value = "+08:00", allow_hyphen_values = true)]
        tz: String,
        #[arg(long)]
        year: Option<i64>,
    },
}
