//! Where mini-program scan time goes: oxc parsing alone vs our one-walk extraction, over the
//! scripts of one package. `cargo run --release -p hegui-miniprogram --example js_speed -- PKG`
use std::time::Instant;

use hegui_archive::miniapp::{
    appid_from_path, decrypt_v1mmwx, is_tpkg, is_v1mmwx, parse_tpkg, parse_wxapkg,
};

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: js_speed PACKAGE");
        return;
    };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    let plain = if is_v1mmwx(&bytes) {
        decrypt_v1mmwx(&bytes, &appid_from_path(&path).unwrap_or_default()).unwrap_or_default()
    } else {
        bytes
    };
    let pkg = if is_tpkg(&plain) {
        parse_tpkg(&plain)
    } else {
        parse_wxapkg(&plain)
    };
    let Ok(pkg) = pkg else {
        eprintln!("not a package");
        return;
    };
    let sources: Vec<(String, String)> = pkg
        .entries
        .iter()
        .filter(|e| e.name.ends_with(".js"))
        .map(|e| {
            (
                e.name.clone(),
                String::from_utf8_lossy(pkg.read(e)).into_owned(),
            )
        })
        .collect();
    let total: usize = sources.iter().map(|s| s.1.len()).sum();
    for round in 0..3 {
        let t = Instant::now();
        let mut diags = 0;
        for (_, src) in &sources {
            let alloc = oxc_allocator::Allocator::default();
            let ret = oxc_parser::Parser::new(&alloc, src, oxc_span::SourceType::cjs()).parse();
            diags += ret.diagnostics.len();
        }
        let parse = t.elapsed();
        let t = Instant::now();
        struct Noop;
        impl<'a> oxc_ast_visit::Visit<'a> for Noop {}
        for (_, src) in &sources {
            let alloc = oxc_allocator::Allocator::default();
            let ret = oxc_parser::Parser::new(&alloc, src, oxc_span::SourceType::cjs()).parse();
            oxc_ast_visit::Visit::visit_program(&mut Noop, &ret.program);
        }
        let walk = t.elapsed();
        println!("  parse+empty walk {:.1} ms", walk.as_secs_f64() * 1e3);
        let t = Instant::now();
        let mut n = 0;
        for (name, src) in &sources {
            n += hegui_miniprogram::find_calls(name, src).len();
        }
        let scan = t.elapsed();
        println!(
            "round {round}: {:.2} MB; parse {:.1} ms ({:.0} MB/s, {diags} diagnostics); scan {:.1} ms ({:.0} MB/s, {n} calls)",
            total as f64 / 1e6,
            parse.as_secs_f64() * 1e3,
            total as f64 / 1e6 / parse.as_secs_f64(),
            scan.as_secs_f64() * 1e3,
            total as f64 / 1e6 / scan.as_secs_f64()
        );
    }
}
