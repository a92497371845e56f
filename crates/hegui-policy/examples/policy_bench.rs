//! `hegui bench` for policies without building the whole CLI: `cargo run --release -p
//! hegui-policy --example policy_bench -- FOLDER…`.

fn main() {
    let mut paths = Vec::new();
    for arg in std::env::args().skip(1) {
        let path = std::path::PathBuf::from(arg);
        match std::fs::read_dir(&path) {
            Ok(entries) => paths.extend(entries.flatten().map(|e| e.path())),
            Err(_) => paths.push(path),
        }
    }
    paths.retain(|p| hegui_policy::bench::is_policy(p));
    paths.sort();
    hegui_policy::bench::run(&paths, 3, peak_rss_kb);
}

fn peak_rss_kb() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}
