//! `hegui serve` and `hegui worker`.

use hegui_platform::Config;

use crate::cli::{AuditAction, AuditArgs, PlatformArgs, ServeArgs, WorkerArgs};
use crate::exit;

fn config(args: PlatformArgs) -> Config {
    let mut config = Config::new(args.data_dir, args.db, args.store);
    config.max_upload_bytes = args.max_upload_mb.saturating_mul(1 << 20);
    config.run_miniprograms = !args.no_run;
    config
}

pub fn serve(args: ServeArgs) -> anyhow::Result<u8> {
    let mut config = config(args.platform);
    config.smtp = args
        .smtp
        .or_else(|| std::env::var("HEGUI_SMTP").ok())
        .filter(|s| !s.is_empty());
    config.mail_from = args.mail_from;
    config.complaints_per_hour = args.complaints_per_hour.max(1);
    config.client_ip_header = args.client_ip_header;
    hegui_platform::serve_blocking(config, args.listen, args.workers)?;
    Ok(exit::OK)
}

pub fn worker(args: WorkerArgs) -> anyhow::Result<u8> {
    let mut template = hegui_platform::worker::WorkerOptions::new("w");
    template.lease_ms = args.lease_ms.max(100);
    template.hold_ms = args.hold_ms;
    hegui_platform::work_blocking(config(args.platform), args.workers, template)?;
    Ok(exit::OK)
}

pub fn audit(args: AuditArgs) -> anyhow::Result<u8> {
    let AuditAction::Verify { platform } = args.action;
    let verdict = hegui_platform::verify_audit_blocking(config(platform))?;
    match verdict.broken {
        None => {
            println!(
                "audit log intact: {} rows, every hash matches",
                verdict.rows
            );
            Ok(exit::OK)
        }
        Some((row, why)) => {
            println!(
                "audit log BROKEN at row {row}: {why} ({} rows before it are intact)",
                verdict.rows
            );
            Ok(exit::FINDINGS)
        }
    }
}
