//! Fixtures with known answers, assembled in-test: the own-process loop, own-package and
//! foreign broadcasts, a constant-only provider `onCreate` (local data flow); SDK init through
//! an app helper in another package and through a woven closure (start-up search).

use hegui_dex::testutil::{Builder, ClassSpec, MethodSpec, asm};
use hegui_dex::{Dex, Limits};
use hegui_model::{LaunchTarget, PiCategory};

use crate::{AppScope, CodeScan, scan_dex};

const ACC_PUBLIC: u32 = 0x1;
const ACC_STATIC: u32 = 0x8;

fn scan(b: &Builder) -> CodeScan {
    scan_with(b, None)
}

fn scan_with(b: &Builder, app_class: Option<&str>) -> CodeScan {
    let built = b.build();
    let dex = Dex::parse(&built.bytes, &Limits::default()).expect("fixture parses");
    let own = ["com.example.app".to_string()];
    scan_dex(&dex, "classes.dex", &AppScope::new(&own, app_class)).expect("fixture scans")
}

/// One class with one static method holding `code`.
fn one_method(b: &mut Builder, class: &str, name: &str, ret: &str, code: Vec<u16>) {
    let class_idx = b.type_(class);
    let object = b.type_("Ljava/lang/Object;");
    let m = b.method(class, name, ret, &["Ljava/lang/Object;"]);
    b.classes.push(ClassSpec {
        class_idx,
        access: ACC_PUBLIC,
        superclass: Some(object),
        direct: vec![MethodSpec::with_code(m, ACC_PUBLIC | ACC_STATIC, code)],
        ..ClassSpec::default()
    });
}

fn move_result(a: u8, object: bool) -> Vec<u16> {
    vec![if object { 0x0c } else { 0x0a } | u16::from(a) << 8]
}

/// `for (p : am.getRunningAppProcesses()) if (p.pid == myPid()) …` and, with `keep`, the
/// list stored in a field as well.
fn process_loop(keep: bool) -> CodeScan {
    let mut b = Builder::new(35);
    let running = b.method(
        "Landroid/app/ActivityManager;",
        "getRunningAppProcesses",
        "Ljava/util/List;",
        &[],
    );
    let iterator = b.method("Ljava/util/List;", "iterator", "Ljava/util/Iterator;", &[]);
    let has_next = b.method("Ljava/util/Iterator;", "hasNext", "Z", &[]);
    let next = b.method("Ljava/util/Iterator;", "next", "Ljava/lang/Object;", &[]);
    let my_pid = b.method("Landroid/os/Process;", "myPid", "I", &[]);
    let pid = b.field(
        "Landroid/app/ActivityManager$RunningAppProcessInfo;",
        "pid",
        "I",
    );
    let cache = b.field("Lcom/example/app/Util;", "cache", "Ljava/util/List;");
    let mut code = Vec::new();
    code.extend(asm::op35c(0x6e, &[7], running as u16));
    code.extend(move_result(0, true));
    if keep {
        code.extend(asm::op21c(0x69, 0, cache as u16)); // sput-object v0
    }
    code.extend(asm::op35c(0x72, &[0], iterator as u16));
    code.extend(move_result(1, true));
    let head = code.len();
    code.extend(asm::op35c(0x72, &[1], has_next as u16));
    code.extend(move_result(2, false));
    let exit_branch = code.len();
    code.extend([0x0238, 0]); // if-eqz v2, :end (patched below)
    code.extend(asm::op35c(0x72, &[1], next as u16));
    code.extend(move_result(3, true));
    code.extend(asm::op22c(0x52, 4, 3, pid as u16)); // iget v4, v3, pid
    code.extend(asm::op35c(0x71, &[], my_pid as u16));
    code.extend(move_result(5, false));
    let back = code.len();
    code.extend([0x5433, (head as i32 - back as i32) as u16]); // if-ne v4, v5, :loop
    let end = code.len();
    code[exit_branch + 1] = (end - exit_branch) as u16;
    code.extend(asm::return_void());
    one_method(
        &mut b,
        "Lcom/example/app/Util;",
        "currentProcess",
        "V",
        code,
    );
    scan(&b)
}

#[test]
fn own_pid_loop_is_a_lookup() {
    let out = process_loop(false);
    let uses: Vec<_> = out
        .api_uses
        .iter()
        .filter(|u| u.category == PiCategory::InstalledApps)
        .collect();
    assert_eq!(uses.len(), 1);
    let flow = uses[0].flow.clone().unwrap_or_default();
    assert!(flow.compared_with_own, "{flow:?}");
    assert!(!flow.escapes && !flow.returned && !flow.compared_with_constant);
}

#[test]
fn kept_process_list_escapes() {
    let out = process_loop(true);
    let flow = out.api_uses[0].flow.clone().unwrap_or_default();
    assert!(flow.escapes, "{flow:?}");
}

/// `new Intent(ACTION).setPackage(pkg)` where `pkg` is `getPackageName()` or a constant.
fn broadcast(own: bool) -> CodeScan {
    let mut b = Builder::new(35);
    let intent = b.type_("Landroid/content/Intent;");
    let init = b.method(
        "Landroid/content/Intent;",
        "<init>",
        "V",
        &["Ljava/lang/String;"],
    );
    let set_package = b.method(
        "Landroid/content/Intent;",
        "setPackage",
        "Landroid/content/Intent;",
        &["Ljava/lang/String;"],
    );
    let get_package = b.method(
        "Landroid/content/Context;",
        "getPackageName",
        "Ljava/lang/String;",
        &[],
    );
    // An action that looks like a package: the old heuristic took it for a target.
    let action = b.string("com.tencent.android.xg.vip.action.PUSH_MESSAGE");
    let other = b.string("com.tencent.mm");
    let mut code = Vec::new();
    code.extend(asm::new_instance(0, intent as u16));
    code.extend(asm::const_string(1, action as u16));
    code.extend(asm::op35c(0x70, &[0, 1], init as u16));
    if own {
        code.extend(asm::op35c(0x6e, &[7], get_package as u16));
        code.extend(move_result(2, true));
    } else {
        code.extend(asm::const_string(2, other as u16));
    }
    code.extend(asm::op35c(0x6e, &[0, 2], set_package as u16));
    code.extend(asm::return_void());
    one_method(
        &mut b,
        "Lcom/tencent/android/tpush/Notify;",
        "send",
        "V",
        code,
    );
    scan(&b)
}

#[test]
fn own_package_broadcast_names_no_other_app() {
    let out = broadcast(true);
    let site = out
        .launches
        .iter()
        .find(|l| l.api.ends_with("->setPackage"))
        .expect("setPackage site");
    assert_eq!(site.target, Some(LaunchTarget::OwnPackage));
    assert!(site.packages.is_empty(), "{:?}", site.packages);
}

#[test]
fn constant_package_is_the_target() {
    let out = broadcast(false);
    let site = out
        .launches
        .iter()
        .find(|l| l.api.ends_with("->setPackage"))
        .expect("setPackage site");
    assert_eq!(site.target, Some(LaunchTarget::Constant));
    assert_eq!(site.packages, vec!["com.tencent.mm".to_string()]);
}

#[test]
fn constant_only_provider_create_does_nothing() {
    let mut b = Builder::new(35);
    let busy = b.method("Lcom/example/sdk/Tracker;", "start", "V", &[]);
    let class_idx = b.type_("Lcom/tencent/mid/api/MidProvider;");
    let busy_class = b.type_("Lcom/example/sdk/InitProvider;");
    let base = b.type_("Landroid/content/ContentProvider;");
    let empty = b.method("Lcom/tencent/mid/api/MidProvider;", "onCreate", "Z", &[]);
    let real = b.method("Lcom/example/sdk/InitProvider;", "onCreate", "Z", &[]);
    // const/4 v0, #1 ; return v0
    let constant = vec![0x1012, 0x000f];
    let mut work = asm::op35c(0x71, &[], busy as u16);
    work.extend(constant.clone());
    for (class, method, code) in [(class_idx, empty, constant), (busy_class, real, work)] {
        b.classes.push(ClassSpec {
            class_idx: class,
            access: ACC_PUBLIC,
            superclass: Some(base),
            virtuals: vec![MethodSpec::with_code(method, ACC_PUBLIC, code)],
            ..ClassSpec::default()
        });
    }
    let out = scan(&b);
    let by_class = |c: &str| {
        out.provider_creates
            .iter()
            .find(|p| p.class == c)
            .map(|p| p.does_work)
    };
    assert_eq!(by_class("com.tencent.mid.api.MidProvider"), Some(false));
    assert_eq!(by_class("com.example.sdk.InitProvider"), Some(true));
}

/// `App.onCreate → com.hjq.umeng.UmengClient.init → UMConfigure.init`, and with `woven`,
/// `App.onCreate` only builds an AspectJ-style closure whose `run` calls the helper.
fn helper_init(woven: bool) -> CodeScan {
    let mut b = Builder::new(35);
    let object = b.type_("Ljava/lang/Object;");
    let app = b.type_("Lcom/example/app/App;");
    let helper = b.type_("Lcom/hjq/umeng/UmengClient;");
    let closure = b.type_("Lcom/example/app/App$AjcClosure1;");
    let on_create = b.method("Lcom/example/app/App;", "onCreate", "V", &[]);
    let helper_init = b.method("Lcom/hjq/umeng/UmengClient;", "init", "V", &[]);
    let um_init = b.method("Lcom/umeng/commonsdk/UMConfigure;", "init", "V", &[]);
    let pre_init = b.method("Lcom/umeng/commonsdk/UMConfigure;", "preInit", "V", &[]);
    let closure_init = b.method("Lcom/example/app/App$AjcClosure1;", "<init>", "V", &[]);
    let closure_run = b.method(
        "Lcom/example/app/App$AjcClosure1;",
        "run",
        "Ljava/lang/Object;",
        &["[Ljava/lang/Object;"],
    );
    let mut body = asm::op35c(0x71, &[], pre_init as u16);
    if woven {
        body.extend(asm::new_instance(0, closure as u16));
        body.extend(asm::op35c(0x70, &[0], closure_init as u16));
    } else {
        body.extend(asm::op35c(0x71, &[], helper_init as u16));
    }
    body.extend(asm::return_void());
    let mut helper_body = asm::op35c(0x71, &[], um_init as u16);
    helper_body.extend(asm::return_void());
    let mut run_body = asm::op35c(0x71, &[], helper_init as u16);
    run_body.extend([0x0012, 0x0011]); // const/4 v0, #0 ; return-object v0
    let class = |class_idx, direct, virtuals| ClassSpec {
        class_idx,
        access: ACC_PUBLIC,
        superclass: Some(object),
        direct,
        virtuals,
        ..ClassSpec::default()
    };
    b.classes.push(class(
        app,
        vec![],
        vec![MethodSpec::with_code(on_create, ACC_PUBLIC, body)],
    ));
    b.classes.push(class(
        helper,
        vec![MethodSpec::with_code(
            helper_init,
            ACC_PUBLIC | ACC_STATIC,
            helper_body,
        )],
        vec![],
    ));
    b.classes.push(class(
        closure,
        vec![MethodSpec::with_code(
            closure_init,
            ACC_PUBLIC,
            asm::return_void(),
        )],
        vec![MethodSpec::with_code(closure_run, ACC_PUBLIC, run_body)],
    ));
    scan_with(&b, Some("com.example.app.App"))
}

fn reaches(out: &CodeScan, class: &str, method: &str) -> Option<Vec<String>> {
    out.startup_calls
        .iter()
        .find(|c| c.callee_class == class && c.callee_method == method)
        .map(|c| c.via.clone())
}

#[test]
fn init_through_a_helper_in_another_package() {
    let out = helper_init(false);
    assert_eq!(
        reaches(&out, "com.umeng.commonsdk.UMConfigure", "init"),
        Some(vec!["com.hjq.umeng.UmengClient.init".to_string()])
    );
    // Recorded as a call; the rule decides that `preInit` is not an init entry point.
    assert!(reaches(&out, "com.umeng.commonsdk.UMConfigure", "preInit").is_some());
}

#[test]
fn init_through_a_woven_closure() {
    let out = helper_init(true);
    let via = reaches(&out, "com.umeng.commonsdk.UMConfigure", "init").unwrap_or_default();
    assert_eq!(
        via,
        vec![
            "com.example.app.App$AjcClosure1.<init>".to_string(),
            "com.example.app.App$AjcClosure1.run".to_string(),
            "com.hjq.umeng.UmengClient.init".to_string(),
        ]
    );
}

/// A component reading the device id through a helper, and a wrapper class nothing calls.
#[test]
fn unreachable_wrapper_and_reached_helper() {
    let mut b = Builder::new(35);
    let object = b.type_("Ljava/lang/Object;");
    let get_id = b.method(
        "Landroid/telephony/TelephonyManager;",
        "getDeviceId",
        "Ljava/lang/String;",
        &[],
    );
    let activity = b.type_("Lcom/example/app/Main;");
    let helper = b.type_("Lcom/example/app/Ids;");
    let wrapper = b.type_("Landroidx/core/telephony/TelephonyManagerCompat;");
    let on_create = b.method("Lcom/example/app/Main;", "onCreate", "V", &[]);
    let read = b.method("Lcom/example/app/Ids;", "read", "V", &[]);
    let compat = b.method(
        "Landroidx/core/telephony/TelephonyManagerCompat;",
        "getImei",
        "V",
        &[],
    );
    let mut main_body = asm::op35c(0x71, &[], read as u16);
    main_body.extend(asm::return_void());
    let mut reader = asm::op35c(0x6e, &[7], get_id as u16);
    reader.extend(asm::return_void());
    for (class, method, code) in [
        (activity, on_create, main_body),
        (helper, read, reader.clone()),
        (wrapper, compat, reader),
    ] {
        b.classes.push(ClassSpec {
            class_idx: class,
            access: ACC_PUBLIC,
            superclass: Some(object),
            direct: vec![MethodSpec::with_code(method, ACC_PUBLIC | ACC_STATIC, code)],
            ..ClassSpec::default()
        });
    }
    let out = scan(&b);
    let result = crate::reach::reachability(&[&out.graph], &["com.example.app.Main".to_string()]);
    let by_class: Vec<(&str, bool, &Vec<String>)> = out
        .api_uses
        .iter()
        .zip(&result[0].0)
        .map(|(u, (r, path))| (u.caller_class.as_str(), *r, path))
        .collect();
    assert_eq!(by_class.len(), 2);
    for (class, reachable, path) in by_class {
        match class {
            "com.example.app.Ids" => {
                assert!(reachable);
                assert_eq!(
                    path,
                    &vec![
                        "com.example.app.Main.onCreate".to_string(),
                        "com.example.app.Ids.read".to_string()
                    ]
                );
            }
            _ => assert!(!reachable, "{class}"),
        }
    }
}

/// `startActivity(new Intent(APPLICATION_DETAILS_SETTINGS, Uri.fromParts("package",
/// getPackageName(), null)))`: the system settings page for the app itself names no target.
#[test]
fn settings_jump_for_the_app_itself_names_no_other_app() {
    let mut b = Builder::new(35);
    let intent = b.type_("Landroid/content/Intent;");
    let from_parts = b.method(
        "Landroid/net/Uri;",
        "fromParts",
        "Landroid/net/Uri;",
        &[
            "Ljava/lang/String;",
            "Ljava/lang/String;",
            "Ljava/lang/String;",
        ],
    );
    let init = b.method(
        "Landroid/content/Intent;",
        "<init>",
        "V",
        &["Ljava/lang/String;", "Landroid/net/Uri;"],
    );
    let get_package = b.method(
        "Landroid/content/Context;",
        "getPackageName",
        "Ljava/lang/String;",
        &[],
    );
    let start = b.method(
        "Landroid/content/Context;",
        "startActivity",
        "V",
        &["Landroid/content/Intent;"],
    );
    let action = b.string("android.settings.APPLICATION_DETAILS_SETTINGS");
    let scheme = b.string("package");
    let mut code = Vec::new();
    code.extend(asm::op35c(0x6e, &[7], get_package as u16));
    code.extend(move_result(2, true));
    code.extend(asm::const_string(1, scheme as u16));
    code.extend([0x0312]); // const/4 v3, #0
    code.extend(asm::op35c(0x71, &[1, 2, 3], from_parts as u16));
    code.extend(move_result(4, true));
    code.extend(asm::new_instance(0, intent as u16));
    code.extend(asm::const_string(5, action as u16));
    code.extend(asm::op35c(0x70, &[0, 5, 4], init as u16));
    code.extend(asm::op35c(0x6e, &[7, 0], start as u16));
    code.extend(asm::return_void());
    one_method(&mut b, "Lcom/example/app/Perms;", "openSettings", "V", code);
    let out = scan(&b);
    assert!(
        out.launches
            .iter()
            .all(|l| l.target.is_none() || l.target == Some(LaunchTarget::OwnPackage)),
        "{:?}",
        out.launches
    );
}

const ACC_CONSTRUCTOR: u32 = 0x10000;
const GET_ID: (&str, &str, &str) = (
    "Landroid/telephony/TelephonyManager;",
    "getDeviceId",
    "Ljava/lang/String;",
);

/// A class of `b` with the given direct methods, each (method id, code).
fn class_with(b: &mut Builder, class: &str, superclass: &str, methods: Vec<(u32, Vec<u16>)>) {
    let class_idx = b.type_(class);
    let superclass = b.type_(superclass);
    b.classes.push(ClassSpec {
        class_idx,
        access: ACC_PUBLIC,
        superclass: Some(superclass),
        direct: methods
            .into_iter()
            .map(|(m, code)| MethodSpec::with_code(m, ACC_PUBLIC | ACC_STATIC, code))
            .collect(),
        ..ClassSpec::default()
    });
}

/// `code` then `return-void`.
fn body(code: Vec<u16>) -> Vec<u16> {
    let mut code = code;
    code.extend(asm::return_void());
    code
}

/// Two DEX files joined by name: a call into the other DEX, an overload told apart by its
/// parameters, a method inherited across DEX files, a class named by a string, a static
/// initialiser run by touching a field.
#[test]
fn reachability_joins_dex_files() {
    // classes2.dex: the library side. Types are registered in another order than in
    // classes.dex, so the same class has different ids in the two files.
    let mut lib = Builder::new(35);
    let get_id = lib.method(GET_ID.0, GET_ID.1, GET_ID.2, &[]);
    let read = lib.method("Lcom/example/lib/Lib;", "read", "V", &[]);
    let read_named = lib.method(
        "Lcom/example/lib/Lib;",
        "read",
        "V",
        &["Ljava/lang/String;"],
    );
    let start = lib.method("Lcom/example/lib/Plugin;", "start", "V", &[]);
    let clinit = lib.method("Lcom/example/lib/Cfg;", "<clinit>", "V", &[]);
    let sub_other = lib.method("Lcom/example/lib/Sub;", "other", "V", &[]);
    let get_imsi = lib.method(GET_ID.0, "getSubscriberId", GET_ID.2, &[]);
    let reads_id = || body(asm::op35c(0x6e, &[7], get_id as u16));
    class_with(
        &mut lib,
        "Lcom/example/lib/Lib;",
        "Ljava/lang/Object;",
        vec![
            (read, reads_id()),
            (read_named, body(asm::op35c(0x6e, &[7], get_imsi as u16))),
        ],
    );
    class_with(
        &mut lib,
        "Lcom/example/lib/Plugin;",
        "Ljava/lang/Object;",
        vec![(start, reads_id())],
    );
    let (cfg, object) = (
        lib.type_("Lcom/example/lib/Cfg;"),
        lib.type_("Ljava/lang/Object;"),
    );
    lib.classes.push(ClassSpec {
        class_idx: cfg,
        access: ACC_PUBLIC,
        superclass: Some(object),
        direct: vec![MethodSpec::with_code(
            clinit,
            ACC_STATIC | ACC_CONSTRUCTOR,
            reads_id(),
        )],
        ..ClassSpec::default()
    });
    // Sub extends Base, which classes.dex defines.
    class_with(
        &mut lib,
        "Lcom/example/lib/Sub;",
        "Lcom/example/app/Base;",
        vec![(sub_other, reads_id())],
    );

    // classes.dex: the app side.
    let mut app = Builder::new(35);
    let on_create = app.method("Lcom/example/app/Main;", "onCreate", "V", &[]);
    let work = app.method("Lcom/example/app/Base;", "work", "V", &[]);
    let app_get_id = app.method(GET_ID.0, GET_ID.1, GET_ID.2, &[]);
    let call_read = app.method("Lcom/example/lib/Lib;", "read", "V", &[]);
    let call_sub_work = app.method("Lcom/example/lib/Sub;", "work", "V", &[]);
    let flag = app.field("Lcom/example/lib/Cfg;", "flag", "Z");
    let plugin_name = app.string("com.example.lib.Plugin");
    let mut main = asm::op35c(0x71, &[], call_read as u16);
    main.extend(asm::op35c(0x71, &[], call_sub_work as u16));
    main.extend(asm::op21c(0x63, 0, flag as u16)); // sget-boolean v0, Cfg.flag
    main.extend(asm::const_string(1, plugin_name as u16));
    class_with(
        &mut app,
        "Lcom/example/app/Main;",
        "Ljava/lang/Object;",
        vec![(on_create, body(main))],
    );
    class_with(
        &mut app,
        "Lcom/example/app/Base;",
        "Ljava/lang/Object;",
        vec![(work, body(asm::op35c(0x6e, &[7], app_get_id as u16)))],
    );

    let scans: Vec<CodeScan> = [&app, &lib].into_iter().map(scan).collect();
    let graphs: Vec<&crate::graph::DexGraph> = scans.iter().map(|s| &s.graph).collect();
    let result = crate::reach::reachability(&graphs, &["com.example.app.Main".to_string()]);
    let mut seen: Vec<(String, bool, Vec<String>)> = scans
        .iter()
        .zip(&result)
        .flat_map(|(s, r)| s.api_uses.iter().zip(&r.0))
        .map(|(u, (reachable, path))| {
            (
                // The IMSI is read only by the overload that nothing calls.
                match u.api.contains("getSubscriberId") {
                    true => format!("{}.{} getSubscriberId", u.caller_class, u.caller_method),
                    false => format!("{}.{}", u.caller_class, u.caller_method),
                },
                *reachable,
                path.clone(),
            )
        })
        .collect();
    seen.sort();
    let path = |p: &[&str]| p.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    assert_eq!(
        seen,
        vec![
            (
                "com.example.app.Base.work".to_string(),
                true,
                path(&["com.example.app.Main.onCreate", "com.example.app.Base.work"])
            ),
            (
                "com.example.lib.Cfg.<clinit>".to_string(),
                true,
                path(&[
                    "com.example.app.Main.onCreate",
                    "com.example.lib.Cfg.<clinit>"
                ])
            ),
            (
                "com.example.lib.Lib.read".to_string(),
                true,
                path(&["com.example.app.Main.onCreate", "com.example.lib.Lib.read"])
            ),
            // The overload taking a String (the one reading the IMSI) is never called.
            (
                "com.example.lib.Lib.read getSubscriberId".to_string(),
                false,
                vec![]
            ),
            (
                "com.example.lib.Plugin.start".to_string(),
                true,
                path(&[
                    "com.example.app.Main.onCreate",
                    "com.example.lib.Plugin.start"
                ])
            ),
            ("com.example.lib.Sub.other".to_string(), false, vec![]),
        ]
    );
}

/// One class `com.example.app.Ids` whose static method `read` holds `code`.
fn ids_reader(b: &mut Builder, code: Vec<u16>) -> CodeScan {
    let read = b.method(
        "Lcom/example/app/Ids;",
        "read",
        "V",
        &["Ljava/lang/String;"],
    );
    class_with(
        b,
        "Lcom/example/app/Ids;",
        "Ljava/lang/Object;",
        vec![(read, body(code))],
    );
    scan(b)
}

fn indirect_uses(out: &CodeScan) -> Vec<(String, PiCategory, hegui_model::ApiVia, Vec<String>)> {
    out.api_uses
        .iter()
        .map(|u| (u.api.clone(), u.category, u.via, u.string_args.clone()))
        .collect()
}

/// `Class.forName("android.telephony.TelephonyManager").getMethod("getDeviceId")` reads the
/// device id as surely as calling it; a name computed at run time says nothing.
#[test]
fn reflection_with_constant_names() {
    let mut b = Builder::new(35);
    let for_name = b.method(
        "Ljava/lang/Class;",
        "forName",
        "Ljava/lang/Class;",
        &["Ljava/lang/String;"],
    );
    let get_method = b.method(
        "Ljava/lang/Class;",
        "getMethod",
        "Ljava/lang/reflect/Method;",
        &["Ljava/lang/String;", "[Ljava/lang/Class;"],
    );
    let class_name = b.string("android.telephony.TelephonyManager");
    let method_name = b.string("getDeviceId");
    let mut code = asm::const_string(0, class_name as u16);
    code.extend(asm::op35c(0x71, &[0], for_name as u16));
    code.extend(move_result(0, true));
    code.extend(asm::const_string(1, method_name as u16));
    code.extend([0x0212]); // const/4 v2, #0 (no parameter types)
    code.extend(asm::op35c(0x6e, &[0, 1, 2], get_method as u16));
    // The same lookup with the method name from the parameter (v3 is the first parameter).
    code.extend(asm::op35c(0x6e, &[0, 3, 2], get_method as u16));
    let out = ids_reader(&mut b, code);
    assert_eq!(
        indirect_uses(&out),
        vec![(
            "Landroid/telephony/TelephonyManager;->getDeviceId".to_string(),
            PiCategory::DeviceId,
            hegui_model::ApiVia::Reflection,
            vec![
                "android.telephony.TelephonyManager".to_string(),
                "getDeviceId".to_string()
            ],
        )]
    );
    assert_eq!(out.api_uses[0].caller_class, "com.example.app.Ids");
}

/// `Runtime.getRuntime().exec("pm list packages -3")` lists the installed apps; `ls` does not.
#[test]
fn shell_commands_that_read_identifiers() {
    let mut b = Builder::new(35);
    let runtime = b.method(
        "Ljava/lang/Runtime;",
        "getRuntime",
        "Ljava/lang/Runtime;",
        &[],
    );
    let exec = b.method(
        "Ljava/lang/Runtime;",
        "exec",
        "Ljava/lang/Process;",
        &["Ljava/lang/String;"],
    );
    let list = b.string("pm list packages -3");
    let ls = b.string("ls -l /sdcard");
    // The command is loaded before getRuntime(): the data flow ties it to the argument.
    let mut code = asm::const_string(1, list as u16);
    code.extend(asm::op35c(0x71, &[], runtime as u16));
    code.extend(move_result(0, true));
    code.extend(asm::op35c(0x6e, &[0, 1], exec as u16));
    code.extend(asm::const_string(1, ls as u16));
    code.extend(asm::op35c(0x6e, &[0, 1], exec as u16));
    let out = ids_reader(&mut b, code);
    assert_eq!(
        indirect_uses(&out),
        vec![(
            "Ljava/lang/Runtime;->exec".to_string(),
            PiCategory::InstalledApps,
            hegui_model::ApiVia::Shell,
            vec!["pm list packages -3".to_string()],
        )]
    );
}

/// `new FileReader("/sys/class/net/wlan0/address")` reads the MAC address, even when the
/// path was loaded long before the call (past the window of recent strings); an app file
/// is not PI.
#[test]
fn identifier_files_read_directly() {
    let mut b = Builder::new(35);
    let reader = b.type_("Ljava/io/FileReader;");
    let init = b.method(
        "Ljava/io/FileReader;",
        "<init>",
        "V",
        &["Ljava/lang/String;"],
    );
    let mac = b.string("/sys/class/net/wlan0/address");
    let own = b.string("/data/data/com.example.app/files/cache");
    let mut code = asm::const_string(3, mac as u16);
    for i in 0..6 {
        let filler = b.string(&format!("filler {i}"));
        code.extend(asm::const_string(4, filler as u16));
    }
    code.extend(asm::new_instance(0, reader as u16));
    code.extend(asm::op35c(0x70, &[0, 3], init as u16));
    code.extend(asm::const_string(5, own as u16));
    code.extend(asm::new_instance(1, reader as u16));
    code.extend(asm::op35c(0x70, &[1, 5], init as u16));
    let out = ids_reader(&mut b, code);
    assert_eq!(
        indirect_uses(&out),
        vec![(
            "Ljava/io/FileReader;-><init>".to_string(),
            PiCategory::MacAddress,
            hegui_model::ApiVia::File,
            vec!["/sys/class/net/wlan0/address".to_string()],
        )]
    );
}

/// The code of one DEX as a bundle part: its facts and call graph, nothing read from a manifest.
fn part(scan: CodeScan) -> crate::Extraction {
    let mut ex = crate::Extraction::default();
    let starts = crate::Starts {
        api_uses: 0,
        code_loads: 0,
    };
    ex.graphs.push((starts, scan.graph));
    ex.facts.api_uses = scan.api_uses;
    ex
}

/// A feature split's code is entered through the base's manifest: its reachability is known
/// only once the parts are merged (the split alone names no component).
#[test]
fn split_code_is_reached_through_the_base() {
    // The base reads the device id itself too, so the split's uses come second in the merge.
    let mut base = Builder::new(35);
    let on_create = base.method("Lcom/example/app/Main;", "onCreate", "V", &[]);
    let run = base.method("Lcom/example/feature/Feature;", "run", "V", &[]);
    let base_get_id = base.method(GET_ID.0, GET_ID.1, GET_ID.2, &[]);
    let mut main = asm::op35c(0x6e, &[7], base_get_id as u16);
    main.extend(asm::op35c(0x71, &[], run as u16));
    class_with(
        &mut base,
        "Lcom/example/app/Main;",
        "Ljava/lang/Object;",
        vec![(on_create, body(main))],
    );
    let mut split = Builder::new(35);
    let get_id = split.method(GET_ID.0, GET_ID.1, GET_ID.2, &[]);
    let run = split.method("Lcom/example/feature/Feature;", "run", "V", &[]);
    class_with(
        &mut split,
        "Lcom/example/feature/Feature;",
        "Ljava/lang/Object;",
        vec![(run, body(asm::op35c(0x6e, &[7], get_id as u16)))],
    );

    let mut alone = part(scan(&split));
    alone.mark_reachable();
    assert_eq!(alone.facts.api_uses[0].reachable, Some(false));

    let mut merged = part(scan(&base));
    merged
        .facts
        .components
        .push(crate::own::tests::launcher("com.example.app.Main"));
    merged.absorb_split(part(scan(&split)));
    merged.mark_reachable();
    assert_eq!(merged.facts.api_uses.len(), 2);
    assert_eq!(
        merged.facts.api_uses[0].caller_class,
        "com.example.app.Main"
    );
    assert_eq!(merged.facts.api_uses[0].reachable, Some(true));
    let u = &merged.facts.api_uses[1];
    assert_eq!(u.caller_class, "com.example.feature.Feature");
    assert_eq!(u.reachable, Some(true));
    assert_eq!(
        u.entry_path,
        vec![
            "com.example.app.Main.onCreate".to_string(),
            "com.example.feature.Feature.run".to_string()
        ]
    );
}

/// `pm.queryIntentActivities(intent, 0)` on `new Intent(action)`, with `addCategory(category)`
/// and `setPackage("com.tencent.mm")` when asked.
fn intent_query(action: &str, category: Option<&str>, set_package: bool) -> CodeScan {
    let mut b = Builder::new(35);
    let intent = b.type_("Landroid/content/Intent;");
    let init = b.method(
        "Landroid/content/Intent;",
        "<init>",
        "V",
        &["Ljava/lang/String;"],
    );
    let intent_call = |b: &mut Builder, name: &str| {
        b.method(
            "Landroid/content/Intent;",
            name,
            "Landroid/content/Intent;",
            &["Ljava/lang/String;"],
        )
    };
    let add_category = intent_call(&mut b, "addCategory");
    let set_package_call = intent_call(&mut b, "setPackage");
    let query = b.method(
        "Landroid/content/pm/PackageManager;",
        "queryIntentActivities",
        "Ljava/util/List;",
        &["Landroid/content/Intent;", "I"],
    );
    let action = b.string(action);
    let mut code = asm::new_instance(0, intent as u16);
    code.extend(asm::const_string(1, action as u16));
    code.extend(asm::op35c(0x70, &[0, 1], init as u16));
    if let Some(category) = category {
        let category = b.string(category);
        code.extend(asm::const_string(1, category as u16));
        code.extend(asm::op35c(0x6e, &[0, 1], add_category as u16));
    }
    if set_package {
        let package = b.string("com.tencent.mm");
        code.extend(asm::const_string(1, package as u16));
        code.extend(asm::op35c(0x6e, &[0, 1], set_package_call as u16));
    }
    code.extend([0x0212]); // const/4 v2, #0
    code.extend(asm::op35c(0x6e, &[7, 0, 2], query as u16));
    ids_reader(&mut b, code)
}

const ACTION_MAIN: &str = "android.intent.action.MAIN";
const CATEGORY_LAUNCHER: &str = "android.intent.category.LAUNCHER";

/// `queryIntentActivities(new Intent(ACTION_MAIN).addCategory(CATEGORY_LAUNCHER), 0)` lists
/// every app with a launcher icon; the same query for an intent with an explicit package
/// answers one question about one app and is not app-list collection.
#[test]
fn launcher_intent_queries_list_the_apps() {
    let launcher = intent_query(ACTION_MAIN, Some(CATEGORY_LAUNCHER), false);
    assert_eq!(
        indirect_uses(&launcher),
        vec![(
            "Landroid/content/pm/PackageManager;->queryIntentActivities".to_string(),
            PiCategory::InstalledApps,
            hegui_model::ApiVia::Direct,
            vec![ACTION_MAIN.to_string(), CATEGORY_LAUNCHER.to_string()],
        )]
    );
    let explicit = intent_query("android.intent.action.VIEW", None, true);
    assert!(indirect_uses(&explicit).is_empty());
}

/// The launcher intent made explicit (`setPackage(getPackageName())`, AndroidX's shortcut
/// parser) or `ACTION_MAIN` with another category (ApiDemos' own samples) lists no other app.
#[test]
fn narrowed_launcher_queries_are_not_app_lists() {
    let made_explicit = intent_query(ACTION_MAIN, Some(CATEGORY_LAUNCHER), true);
    assert!(indirect_uses(&made_explicit).is_empty());
    let own_samples = intent_query(
        ACTION_MAIN,
        Some("android.intent.category.SAMPLE_CODE"),
        false,
    );
    assert!(indirect_uses(&own_samples).is_empty());
}

/// Constructing an `AudioRecord` is recording (two such sites were missed before).
#[test]
fn audio_record_construction_uses_the_microphone() {
    let mut b = Builder::new(35);
    let record = b.type_("Landroid/media/AudioRecord;");
    let init = b.method(
        "Landroid/media/AudioRecord;",
        "<init>",
        "V",
        &["I", "I", "I", "I", "I"],
    );
    let mut code = asm::new_instance(0, record as u16);
    code.extend(asm::op3rc(0x76, 0, 6, init as u16)); // invoke-direct/range {v0..v5}
    let out = ids_reader(&mut b, code);
    assert_eq!(
        indirect_uses(&out),
        vec![(
            "Landroid/media/AudioRecord;-><init>".to_string(),
            PiCategory::Microphone,
            hegui_model::ApiVia::Direct,
            vec![],
        )]
    );
}
