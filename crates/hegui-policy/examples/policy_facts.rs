//! Print the facts hegui reads from one policy file as JSON: `cargo run -p hegui-policy
//! --example policy_facts -- FILE`.

fn main() {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: policy_facts FILE");
        std::process::exit(2);
    };
    let bytes = match std::fs::read(&path) {
        Ok(b) => b,
        Err(e) => {
            eprintln!("{path}: {e}");
            std::process::exit(3);
        }
    };
    match hegui_policy::analyse(&path, &bytes, hegui_knowledge::sdk_catalog()) {
        Ok(facts) => match serde_json::to_string_pretty(&facts) {
            Ok(json) => println!("{json}"),
            Err(e) => eprintln!("{path}: {e}"),
        },
        Err(e) => {
            eprintln!("{path}: {}: {e}", e.code());
            std::process::exit(3);
        }
    }
}
