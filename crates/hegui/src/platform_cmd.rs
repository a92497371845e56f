//! `hegui serve` and `hegui worker`.

use hegui_platform::Config;

use crate::cli::{PlatformArgs, ServeArgs, WorkerArgs};
use crate::exit;

fn config(args: PlatformArgs) -> Config {
    let mut config = Config::new(args.data_dir, args.db, args.store);
    config.max_upload_bytes = args.max_upload_mb.saturating_mul(1 << 20);
    config
}

pub fn serve(args: ServeArgs) -> anyhow::Result<u8> {
    hegui_platform::serve_blocking(config(args.platform), args.listen, args.workers)?;
    Ok(exit::OK)
}

pub fn worker(args: WorkerArgs) -> anyhow::Result<u8> {
    hegui_platform::work_blocking(config(args.platform), args.workers)?;
    Ok(exit::OK)
}
