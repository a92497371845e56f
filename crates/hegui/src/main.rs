//! `hegui`: the command line.

mod bench;
mod bench_mp;
mod bench_trace;
mod calendar_cmd;
mod cli;
mod inputs;
#[cfg(feature = "platform")]
mod platform_cmd;
mod rules_cmd;
mod scan_cmd;
mod sdks_cmd;
mod trace_cmd;

use std::process::ExitCode;

use clap::Parser;

use crate::cli::{Cli, Command};

/// Exit codes a CI can gate on.
pub mod exit {
    /// No finding at or above `--fail-on`, every input read.
    pub const OK: u8 = 0;
    /// A finding at or above `--fail-on`.
    pub const FINDINGS: u8 = 1;
    /// Bad command line.
    pub const USAGE: u8 = 2;
    /// An input could not be read as any supported artifact.
    pub const UNREADABLE: u8 = 3;
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return ExitCode::from(if e.use_stderr() {
                exit::USAGE
            } else {
                exit::OK
            });
        }
    };
    let result = match cli.command {
        Command::Scan(args) => {
            keep_freed_memory();
            scan_cmd::run(args)
        }
        Command::Rules(args) => rules_cmd::run(args),
        Command::Sdks(args) => sdks_cmd::run(args),
        Command::Bench(args) => bench::run(args),
        Command::Trace(args) => trace_cmd::run(args),
        Command::Calendar(args) => calendar_cmd::run(args),
        #[cfg(feature = "platform")]
        Command::Serve(args) => platform_cmd::serve(args),
        #[cfg(feature = "platform")]
        Command::Worker(args) => platform_cmd::worker(args),
        #[cfg(feature = "platform")]
        Command::Audit(args) => platform_cmd::audit(args),
        Command::Schema => {
            print!("{}", hegui_report::report_schema());
            Ok(exit::OK)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("hegui: {e:#}");
            ExitCode::from(exit::USAGE)
        }
    }
}

/// A scan frees and re-allocates megabyte buffers (an inflated DEX, the call graph). glibc
/// hands blocks over 128 KiB back to the kernel when freed, so every page of the next one
/// faults in afresh: about 2 µs a page on our machines, several ms of a scan. Keeping freed
/// blocks in the heap for reuse costs nothing a one-shot scan would notice.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
#[allow(unsafe_code)]
fn keep_freed_memory() {
    // SAFETY: mallopt only sets allocator parameters; it is called before the scan starts
    // any thread, and a refused value leaves the default in place.
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, 64 << 20);
        libc::mallopt(libc::M_TRIM_THRESHOLD, 256 << 20);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn keep_freed_memory() {}
