//! Print the facts of one policy as JSON: `cargo run -p hegui-policy --example policy_facts -- FILE`
fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: policy_facts FILE");
        return;
    };
    let Ok(bytes) = std::fs::read(&path) else {
        eprintln!("cannot read {path}");
        return;
    };
    match hegui_policy::analyse(&path, &bytes, hegui_knowledge::sdk_catalog()) {
        Ok(f) => println!("{}", serde_json::to_string_pretty(&f).unwrap_or_default()),
        Err(e) => eprintln!("{path}: {e}"),
    }
}
