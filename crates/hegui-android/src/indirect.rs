//! PI reached without calling a privacy API: reflection with constant names, shell commands
//! that print identifiers, files the system exposes them in. The walk notes the call sites;
//! after it, each site's arguments are read by the local data flow (a constant set anywhere
//! earlier in the method) or taken from the strings loaded just before the call, and matched
//! against the knowledge tables. A computed name or command is not reported: nothing says
//! what it reads.

use hegui_dex::Dex;
use hegui_knowledge::AndroidApis;
use hegui_model::{ApiVia, PiCategory};

use crate::flow::Val;

/// Calls that reach PI indirectly, by (class descriptor, method name).
pub(crate) const INDIRECT_APIS: &[(&str, &str, Indirect)] = &[
    ("Ljava/lang/Runtime;", "exec", Indirect::Shell),
    ("Ljava/lang/ProcessBuilder;", "<init>", Indirect::Shell),
    ("Ljava/lang/ProcessBuilder;", "command", Indirect::Shell),
    ("Ljava/io/FileReader;", "<init>", Indirect::File),
    ("Ljava/io/FileInputStream;", "<init>", Indirect::File),
    ("Ljava/io/File;", "<init>", Indirect::File),
    ("Ljava/io/RandomAccessFile;", "<init>", Indirect::File),
    ("Ljava/lang/Class;", "getMethod", Indirect::Reflection),
    (
        "Ljava/lang/Class;",
        "getDeclaredMethod",
        Indirect::Reflection,
    ),
    (
        "Landroid/content/pm/PackageManager;",
        "queryIntentActivities",
        Indirect::IntentQuery,
    ),
    (
        "Landroid/content/pm/PackageManager;",
        "queryIntentServices",
        Indirect::IntentQuery,
    ),
    (
        "Landroid/content/pm/PackageManager;",
        "queryBroadcastReceivers",
        Indirect::IntentQuery,
    ),
    ("Landroid/content/ContentResolver;", "query", READ_ARG1),
    ("Landroid/content/ContentResolver;", "insert", WRITE_ARG1),
    (
        "Landroid/content/ContentResolver;",
        "bulkInsert",
        WRITE_ARG1,
    ),
    ("Landroid/content/ContentResolver;", "update", WRITE_ARG1),
    ("Landroid/content/ContentResolver;", "delete", WRITE_ARG1),
    (
        "Landroid/content/ContentProviderClient;",
        "query",
        READ_ARG1,
    ),
    ("Landroid/app/Activity;", "managedQuery", READ_ARG1),
    // `ContentResolverCompat.query(resolver, uri, …)` is static: the URI is argument 1 too.
    (
        "Landroidx/core/content/ContentResolverCompat;",
        "query",
        READ_ARG1,
    ),
    (
        "Landroid/support/v4/content/ContentResolverCompat;",
        "query",
        READ_ARG1,
    ),
    // `new CursorLoader(context, uri, …)`: the receiver, the context, then the URI.
    ("Landroid/content/CursorLoader;", "<init>", READ_ARG2),
    (
        "Landroidx/loader/content/CursorLoader;",
        "<init>",
        READ_ARG2,
    ),
    (
        "Landroid/support/v4/content/CursorLoader;",
        "<init>",
        READ_ARG2,
    ),
    (
        "Ldalvik/system/DexClassLoader;",
        "<init>",
        Indirect::CodeLoad,
    ),
    (
        "Ldalvik/system/PathClassLoader;",
        "<init>",
        Indirect::CodeLoad,
    ),
    (
        "Ldalvik/system/InMemoryDexClassLoader;",
        "<init>",
        Indirect::CodeLoad,
    ),
    (
        "Ldalvik/system/DelegateLastClassLoader;",
        "<init>",
        Indirect::CodeLoad,
    ),
    ("Ldalvik/system/DexFile;", "loadDex", Indirect::CodeLoad),
];

const READ_ARG1: Indirect = Indirect::Provider {
    uri_arg: 1,
    write: false,
};
const READ_ARG2: Indirect = Indirect::Provider {
    uri_arg: 2,
    write: false,
};
const WRITE_ARG1: Indirect = Indirect::Provider {
    uri_arg: 1,
    write: true,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Indirect {
    Shell,
    File,
    Reflection,
    /// A package-manager intent query: judged by the intent its method builds (`code.rs`).
    IntentQuery,
    /// A content-provider call: judged by the URI its argument `uri_arg` (receiver counted)
    /// holds (`code.rs`); `write` for insert/update/delete.
    Provider {
        uri_arg: u8,
        write: bool,
    },
    /// A class loader built at run time: recorded as a `CodeLoad`, not a PI read.
    CodeLoad,
}

/// What an indirect call site reads.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct Found {
    /// The API the finding names: the reflected one, or the call that runs the command or
    /// opens the file.
    pub(crate) api: Option<String>,
    pub(crate) category: PiCategory,
    pub(crate) via: ApiVia,
    /// The command, the path, or the reflected class and method.
    pub(crate) args: Vec<String>,
}

/// Match one call site. `args` are the values of its arguments (receiver first), `recent` the
/// strings loaded just before it; `reflected` says whether (class descriptor, name) is a
/// catalogued privacy API and of which category.
pub(crate) fn resolve(
    kind: Indirect,
    dex: &Dex<'_>,
    apis: &AndroidApis,
    args: &[Val],
    recent: &[String],
    reflected: impl Fn(&str, &str) -> Option<PiCategory>,
) -> Option<Found> {
    let constant = |v: &Val| match v {
        Val::Str(s) => dex.string(*s).ok().map(|s| s.into_owned()),
        _ => None,
    };
    // The constants the data flow ties to the arguments; when it ties none (a command
    // array, a path built in another register), the strings loaded just before the call.
    let mut strings: Vec<String> = args.iter().filter_map(constant).collect();
    if strings.is_empty() {
        strings.extend(recent.iter().cloned());
    }
    match kind {
        Indirect::Shell | Indirect::File => {
            let via = if kind == Indirect::Shell {
                ApiVia::Shell
            } else {
                ApiVia::File
            };
            let category_of = |text: &str| match kind {
                Indirect::Shell => apis.command_category(text),
                _ => apis.file_category(text),
            };
            strings.iter().find_map(|s| {
                category_of(s).map(|category| Found {
                    api: None,
                    category,
                    via,
                    args: vec![s.clone()],
                })
            })
        }
        Indirect::IntentQuery | Indirect::Provider { .. } | Indirect::CodeLoad => None,
        Indirect::Reflection => {
            // `getMethod(name, types…)`: the receiver is the class, the first argument the name.
            let name = args.get(1).and_then(constant)?;
            let mut classes: Vec<String> = Vec::new();
            if let Some(Val::Class(t)) = args.first()
                && let Ok(d) = dex.type_descriptor(*t)
            {
                classes.push(d.into_owned());
            }
            classes.extend(
                recent
                    .iter()
                    .filter(|s| s.contains('.') && !s.contains(['/', ' ', ':']))
                    .map(|s| format!("L{};", s.replace('.', "/"))),
            );
            classes.iter().find_map(|class| {
                reflected(class, &name).map(|category| Found {
                    api: Some(format!("{class}->{name}")),
                    category,
                    via: ApiVia::Reflection,
                    args: vec![hegui_dex::descriptor_to_java(class), name.clone()],
                })
            })
        }
    }
}
