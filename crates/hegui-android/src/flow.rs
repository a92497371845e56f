//! Small, local data flow: inside one method, where a call's arguments come from and what
//! the method does with a value it obtained.
//!
//! Linear in code order, no merging of branches: the last write of a register before a use
//! is taken to reach it. That is exact for straight-line code and right for the shapes
//! compilers emit for the questions asked here (a loop body follows its head; an argument
//! is loaded just before its call). It runs only on the few methods holding a call whose
//! meaning depends on it, after the main walk.

use hegui_dex::{
    Dex, FILL_ARRAY_DATA_PAYLOAD, PACKED_SWITCH_PAYLOAD, SPARSE_SWITCH_PAYLOAD, insn_width,
};
use hegui_model::ValueFlow;

/// Registers a method may use (a `code_item` says at most 65535); beyond this nothing is tracked.
const MAX_REGISTERS: usize = 4096;

/// What a register holds, as far as a linear read can tell.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Val {
    Unknown,
    /// `const-string` with this string index.
    Str(u32),
    /// The result of a call to this method id.
    Ret(u32),
    /// A field read (`iget`/`sget`) of this field id.
    Field(u32),
    /// A `const-class` of this type id.
    Class(u32),
    /// An incoming parameter (or `this`).
    Param,
}

/// One decoded instruction: byte position in the method and its code units.
struct Insn {
    pos: usize,
    op: u8,
    u: [u16; 3],
}

impl Insn {
    fn a4(&self) -> usize {
        usize::from((self.u[0] >> 8) & 0xf)
    }
    fn b4(&self) -> usize {
        usize::from(self.u[0] >> 12)
    }
    fn a8(&self) -> usize {
        usize::from(self.u[0] >> 8)
    }
    /// Argument registers of an invoke (35c or 3rc form).
    fn invoke_args(&self) -> Vec<usize> {
        match self.op {
            0x6e..=0x72 | 0xfa | 0x24 => {
                let count = usize::from(self.u[0] >> 12).min(5);
                let c = self.u[2];
                let regs = [
                    usize::from(c & 0xf),
                    usize::from((c >> 4) & 0xf),
                    usize::from((c >> 8) & 0xf),
                    usize::from(c >> 12),
                    self.a4(),
                ];
                regs[..count].to_vec()
            }
            0x74..=0x78 | 0xfb | 0x25 => {
                let first = usize::from(self.u[2]);
                (first..first + self.a8()).collect()
            }
            _ => Vec::new(),
        }
    }
    fn is_invoke(&self) -> bool {
        matches!(self.op, 0x6e..=0x72 | 0x74..=0x78 | 0xfa | 0xfb)
    }
}

/// The instructions of `code` (payloads skipped); stops at the first undecodable one.
fn decode(code: &[u8]) -> Vec<Insn> {
    let unit = |i: usize| {
        code.get(i * 2..i * 2 + 2)
            .map(|b| u16::from_le_bytes([b[0], b[1]]))
    };
    let mut out = Vec::new();
    let mut i = 0usize;
    while let Some(first) = unit(i) {
        let width = match first {
            PACKED_SWITCH_PAYLOAD => unit(i + 1).map_or(0, |n| usize::from(n) * 2 + 4),
            SPARSE_SWITCH_PAYLOAD => unit(i + 1).map_or(0, |n| usize::from(n) * 4 + 2),
            FILL_ARRAY_DATA_PAYLOAD => {
                let w = unit(i + 1).map_or(0, usize::from);
                let n = match (unit(i + 2), unit(i + 3)) {
                    (Some(lo), Some(hi)) => (usize::from(hi) << 16) | usize::from(lo),
                    _ => return out,
                };
                (n.saturating_mul(w)).div_ceil(2) + 4
            }
            _ => {
                let op = (first & 0xff) as u8;
                let width = usize::from(insn_width(op));
                if width == 0 {
                    return out;
                }
                out.push(Insn {
                    pos: i * 2,
                    op,
                    u: [first, unit(i + 1).unwrap_or(0), unit(i + 2).unwrap_or(0)],
                });
                width
            }
        };
        if width == 0 {
            return out;
        }
        i = i.saturating_add(width);
    }
    out
}

/// Register state: what each register holds and whether it derives from the tracked value.
#[derive(Clone)]
struct Regs {
    val: Vec<Val>,
    taint: Vec<bool>,
}

impl Regs {
    fn new(registers: usize, ins: usize) -> Self {
        let n = registers.min(MAX_REGISTERS);
        let mut val = vec![Val::Unknown; n];
        for v in val.iter_mut().skip(n.saturating_sub(ins)) {
            *v = Val::Param;
        }
        Regs {
            val,
            taint: vec![false; n],
        }
    }
    fn get(&self, r: usize) -> Val {
        self.val.get(r).copied().unwrap_or(Val::Unknown)
    }
    fn tainted(&self, r: usize) -> bool {
        self.taint.get(r).copied().unwrap_or(false)
    }
    fn set(&mut self, r: usize, v: Val, t: bool) {
        if let (Some(slot), Some(ts)) = (self.val.get_mut(r), self.taint.get_mut(r)) {
            *slot = v;
            *ts = t;
        }
    }
}

/// Apply an instruction's register writes (invoke results arrive through `move-result`).
fn step(insn: &Insn, regs: &mut Regs, last_result: (Val, bool)) {
    let op = insn.op;
    match op {
        // move, move-wide, move-object (12x, 22x, 32x)
        0x01 | 0x04 | 0x07 => {
            let (v, t) = (regs.get(insn.b4()), regs.tainted(insn.b4()));
            regs.set(insn.a4(), v, t);
        }
        0x02 | 0x05 | 0x08 => {
            let b = usize::from(insn.u[1]);
            let (v, t) = (regs.get(b), regs.tainted(b));
            regs.set(insn.a8(), v, t);
        }
        0x03 | 0x06 | 0x09 => {
            let b = usize::from(insn.u[2]);
            let (v, t) = (regs.get(b), regs.tainted(b));
            regs.set(usize::from(insn.u[1]), v, t);
        }
        // move-result*
        0x0a..=0x0c => regs.set(insn.a8(), last_result.0, last_result.1),
        0x0d => regs.set(insn.a8(), Val::Unknown, false),
        // const/4, instance-of, array-length, unary ops, binary/2addr, binary/lit16
        0x12 | 0x20 | 0x21 | 0x7b..=0x8f | 0xb0..=0xcf | 0xd0..=0xd7 => {
            regs.set(insn.a4(), Val::Unknown, false)
        }
        // const/16 .. const-wide/high16, new-instance, cmp*, binary ops, binary/lit8
        0x13..=0x19 | 0x22 | 0x2d..=0x31 | 0x90..=0xaf | 0xd8..=0xe2 => {
            regs.set(insn.a8(), Val::Unknown, false)
        }
        0x23 => regs.set(insn.a4(), Val::Unknown, false),
        0x1a => regs.set(insn.a8(), Val::Str(u32::from(insn.u[1])), false),
        0x1b => {
            let idx = u32::from(insn.u[1]) | (u32::from(insn.u[2]) << 16);
            regs.set(insn.a8(), Val::Str(idx), false);
        }
        0x1c => regs.set(insn.a8(), Val::Class(u32::from(insn.u[1])), false),
        // aget*: an element of a tracked array is tracked.
        0x44..=0x4a => {
            let arr = usize::from(insn.u[1] & 0xff);
            let t = regs.tainted(arr);
            regs.set(insn.a8(), Val::Unknown, t);
        }
        // iget*: a field of a tracked object is tracked.
        0x52..=0x58 => {
            let t = regs.tainted(insn.b4());
            regs.set(insn.a4(), Val::Field(u32::from(insn.u[1])), t);
        }
        0x60..=0x66 => regs.set(insn.a8(), Val::Field(u32::from(insn.u[1])), false),
        _ => {}
    }
}

/// Names of methods, resolved lazily (the flow pass runs on few methods).
fn method_key(dex: &Dex<'_>, m: u32) -> Option<(String, String)> {
    dex.method_ref(m)
        .ok()
        .map(|r| (r.class.into_owned(), r.name.into_owned()))
}

/// Does `v` stand for the app's own process id, package or process name?
fn is_own(dex: &Dex<'_>, v: Val) -> bool {
    match v {
        Val::Ret(m) => method_key(dex, m).is_some_and(|(class, name)| match name.as_str() {
            "myPid" | "myUid" => class == "Landroid/os/Process;",
            // Context.getPackageName(), not ComponentName/PackageInfo's.
            "getPackageName" | "getOpPackageName" => class != "Landroid/content/ComponentName;",
            "getProcessName" => {
                class == "Landroid/app/Application;" || class == "Landroid/os/Process;"
            }
            _ => false,
        }),
        Val::Field(f) => dex.field_ref(f).is_ok_and(|r| {
            r.class == "Landroid/content/pm/ApplicationInfo;"
                && (r.name == "processName" || r.name == "packageName" || r.name == "uid")
        }),
        _ => false,
    }
}

/// Calls that compare their receiver with their argument.
fn is_comparison(name: &str) -> bool {
    matches!(
        name,
        "equals" | "equalsIgnoreCase" | "contentEquals" | "startsWith" | "endsWith" | "compareTo"
    )
}

/// Calls that only look at a value (no copy kept): passing the tracked value to them is not an escape.
fn is_harmless_sink(class: &str, name: &str) -> bool {
    class == "Landroid/text/TextUtils;" && (name == "equals" || name == "isEmpty")
        || class == "Landroid/os/Process;" && (name == "killProcess" || name == "sendSignal")
        || class == "Ljava/util/Objects;" && name == "equals"
        || class == "Ljava/lang/String;" && is_comparison(name)
}

/// Byte positions an instruction may jump to (besides falling through), and whether it
/// falls through at all.
fn successors(insn: &Insn, code: &[u8]) -> (Vec<usize>, bool) {
    let here = (insn.pos / 2) as i64;
    let at = |rel: i64| usize::try_from((here + rel) * 2).ok();
    let wide = |lo: u16, hi: u16| i64::from(((u32::from(hi) << 16) | u32::from(lo)) as i32);
    match insn.op {
        0x28 => (
            at(i64::from((insn.u[0] >> 8) as u8 as i8))
                .into_iter()
                .collect(),
            false,
        ),
        0x29 => (at(i64::from(insn.u[1] as i16)).into_iter().collect(), false),
        0x2a => (at(wide(insn.u[1], insn.u[2])).into_iter().collect(), false),
        0x32..=0x3d => (at(i64::from(insn.u[1] as i16)).into_iter().collect(), true),
        0x2b | 0x2c => {
            let unit = |i: usize| {
                code.get(i * 2..i * 2 + 2)
                    .map(|b| u16::from_le_bytes([b[0], b[1]]))
            };
            let Some(payload) = usize::try_from(here + wide(insn.u[1], insn.u[2])).ok() else {
                return (Vec::new(), true);
            };
            let n = unit(payload + 1).map_or(0, usize::from);
            // packed: ident, size, first_key(2), targets(2 each); sparse: ident, size, keys(2 each), targets(2 each)
            let first = if insn.op == 0x2b {
                payload + 4
            } else {
                payload + 2 + 2 * n
            };
            let targets = (0..n.min(4096))
                .filter_map(|k| {
                    let (lo, hi) = (unit(first + 2 * k)?, unit(first + 2 * k + 1)?);
                    at(wide(lo, hi))
                })
                .collect();
            (targets, true)
        }
        // return*, throw
        0x0e..=0x11 | 0x27 => (Vec::new(), false),
        _ => (Vec::new(), true),
    }
}

/// Join `from` into `into`: a register may hold either value (taint is "may"), and a known
/// value wins over an unknown one.
fn join(into: &mut Regs, from: &Regs) -> bool {
    let mut changed = false;
    for (i, (&v, &t)) in from.val.iter().zip(&from.taint).enumerate() {
        if let (Some(iv), Some(it)) = (into.val.get_mut(i), into.taint.get_mut(i)) {
            if *iv == Val::Unknown && v != Val::Unknown {
                *iv = v;
                changed = true;
            }
            if t && !*it {
                *it = true;
                changed = true;
            }
        }
    }
    changed
}

/// Walk the instructions, merging register states at branch targets, until nothing changes
/// (at most a few passes: loops deliver their back-edge state on the next pass). `visit`
/// sees every instruction with the state before it and the result of the last call.
fn run<F: FnMut(&Insn, &Regs, (Val, bool))>(
    code: &[u8],
    registers: u16,
    ins: u16,
    mut seed: impl FnMut(&Insn, &mut Regs, &mut (Val, bool)),
    mut visit: F,
) {
    let insns = decode(code);
    let mut at_target: std::collections::HashMap<usize, Regs> = std::collections::HashMap::new();
    for _pass in 0..3 {
        let mut regs = Regs::new(usize::from(registers), usize::from(ins));
        let mut live = true;
        let mut last_result = (Val::Unknown, false);
        let mut changed = false;
        for insn in &insns {
            if let Some(state) = at_target.get(&insn.pos) {
                if live {
                    join(&mut regs, state);
                } else {
                    regs = state.clone();
                }
            } else if !live {
                // Unreached in code order (a handler or a block only jumped to later):
                // start from nothing known.
                regs = Regs::new(usize::from(registers), usize::from(ins));
            }
            visit(insn, &regs, last_result);
            if insn.is_invoke() {
                last_result = (Val::Ret(u32::from(insn.u[1])), false);
            }
            if !insn.is_invoke() {
                step(insn, &mut regs, last_result);
            }
            seed(insn, &mut regs, &mut last_result);
            let (targets, falls) = successors(insn, code);
            for t in targets {
                match at_target.get_mut(&t) {
                    Some(state) => changed |= join(state, &regs),
                    None => {
                        at_target.insert(t, regs.clone());
                        changed = true;
                    }
                }
            }
            live = falls;
        }
        if !changed {
            break;
        }
    }
}

/// What the method does with the value produced at byte offset `site` of `code` (the result
/// of the call there, or the field read there).
pub(crate) fn value_flow(
    dex: &Dex<'_>,
    code: &[u8],
    registers: u16,
    ins: u16,
    site: usize,
) -> ValueFlow {
    let mut flow = ValueFlow::default();
    let mut compared = Vec::new();
    let seed = |insn: &Insn, regs: &mut Regs, last: &mut (Val, bool)| {
        if insn.is_invoke() {
            let args = insn.invoke_args();
            let receiver_taint = matches!(insn.op, 0x6e | 0x72 | 0x74 | 0x78)
                && args.first().is_some_and(|&r| regs.tainted(r));
            last.1 = insn.pos == site || receiver_taint;
        } else if insn.pos == site {
            // A field read at the site (already applied): its destination is the tracked value.
            match insn.op {
                0x52..=0x58 => regs.set(insn.a4(), regs.get(insn.a4()), true),
                0x60..=0x66 => regs.set(insn.a8(), regs.get(insn.a8()), true),
                _ => {}
            }
        }
    };
    let visit = |insn: &Insn, regs: &Regs, _last: (Val, bool)| {
        if insn.is_invoke() {
            let args = insn.invoke_args();
            let key = method_key(dex, u32::from(insn.u[1]));
            let (class, name) = key
                .as_ref()
                .map_or(("", ""), |(c, n)| (c.as_str(), n.as_str()));
            let any_taint = args.iter().any(|&r| regs.tainted(r));
            let receiver_taint = matches!(insn.op, 0x6e | 0x72 | 0x74 | 0x78)
                && args.first().is_some_and(|&r| regs.tainted(r));
            if any_taint && (is_comparison(name) || is_harmless_sink(class, name)) {
                compared.extend(
                    args.iter()
                        .filter(|&&r| !regs.tainted(r))
                        .map(|&r| regs.get(r)),
                );
            } else if args.iter().skip(1).any(|&r| regs.tainted(r))
                || (any_taint && !receiver_taint)
            {
                // Handed to another method (a list's add, a logger, a sender).
                flow.escapes = true;
            }
            if receiver_taint
                && matches!(
                    name,
                    "iterator" | "listIterator" | "size" | "forEach" | "toArray" | "stream"
                )
            {
                flow.iterated = true;
            }
            if any_taint && name == "withAppendedId" {
                flow.selects_one_row = true;
            }
            if any_taint && name == "query" {
                // query(uri, projection, selection, …): the selection names one row.
                if let Some(Val::Str(s)) = args.get(3).map(|&r| regs.get(r))
                    && dex.string(s).is_ok_and(|t| selects_one_row(&t))
                {
                    flow.selects_one_row = true;
                }
            }
            return;
        }
        match insn.op {
            // if-eq .. if-le: a comparison of two registers.
            0x32..=0x37 => {
                let (a, b) = (insn.a4(), insn.b4());
                if regs.tainted(a) && !regs.tainted(b) {
                    compared.push(regs.get(b));
                } else if regs.tainted(b) && !regs.tainted(a) {
                    compared.push(regs.get(a));
                }
            }
            0x0f..=0x11 if regs.tainted(insn.a8()) => flow.returned = true,
            // sput*, aput* and iput* of a tracked value: it is kept.
            0x67..=0x6d | 0x4b..=0x51 if regs.tainted(insn.a8()) => flow.escapes = true,
            0x59..=0x5f if regs.tainted(insn.a4()) => flow.escapes = true,
            _ => {}
        }
    };
    run(code, registers, ins, seed, visit);
    for v in compared {
        if is_own(dex, v) {
            flow.compared_with_own = true;
        } else if matches!(v, Val::Str(_)) {
            flow.compared_with_constant = true;
        }
    }
    flow
}

/// `_id = ?`, `_data=?`, `_id=123`: a selection of one row by its key.
fn selects_one_row(selection: &str) -> bool {
    let s: String = selection
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect::<String>()
        .to_ascii_lowercase();
    let one_key = ["_id=", "_data=", "_display_name="]
        .iter()
        .any(|k| s.starts_with(k));
    one_key && !s.contains(" or ") && !s.contains("like")
}

/// The values of the arguments of the invoke at byte offset `site` (receiver first for
/// instance calls); empty if there is no invoke there.
pub(crate) fn call_args(code: &[u8], registers: u16, ins: u16, site: usize) -> Vec<Val> {
    at_site(code, registers, ins, site, |insn, regs| {
        insn.is_invoke()
            .then(|| insn.invoke_args().iter().map(|&r| regs.get(r)).collect())
    })
    .unwrap_or_default()
}

/// The value a field write (`sput*`/`iput*`) at byte position `site` stores.
pub(crate) fn stored_value(code: &[u8], registers: u16, ins: u16, site: usize) -> Val {
    at_site(code, registers, ins, site, |insn, regs| match insn.op {
        0x67..=0x6d => Some(regs.get(insn.a8())),
        0x59..=0x5f => Some(regs.get(insn.a4())),
        _ => None,
    })
    .unwrap_or(Val::Unknown)
}

/// What `read` makes of the instruction at byte position `site` and the registers before it.
fn at_site<T>(
    code: &[u8],
    registers: u16,
    ins: u16,
    site: usize,
    read: impl Fn(&Insn, &Regs) -> Option<T>,
) -> Option<T> {
    let mut out = None;
    run(
        code,
        registers,
        ins,
        |_, _, _| {},
        |insn, regs, _| {
            if insn.pos == site
                && let Some(v) = read(insn, regs)
            {
                out = Some(v);
            }
        },
    );
    out
}

/// Whether `v` is a value that names the app itself (see [`is_own`]).
pub(crate) fn names_own(dex: &Dex<'_>, v: Val) -> bool {
    is_own(dex, v)
}

/// A package read from the package manager's list of installed packages
/// (`PackageInfo.packageName`). Component infos are left out: they answer intent queries
/// (a chooser the user picks from, the app's own receivers), not "every app on the device".
pub(crate) fn is_queried_package(dex: &Dex<'_>, v: Val) -> bool {
    match v {
        Val::Field(f) => dex.field_ref(f).is_ok_and(|r| {
            r.name == "packageName" && r.class == "Landroid/content/pm/PackageInfo;"
        }),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_row_selections() {
        assert!(selects_one_row("_id = ?"));
        assert!(selects_one_row("_data=?"));
        assert!(!selects_one_row("bucket_id = ?"));
        assert!(!selects_one_row("mime_type like 'image/%'"));
    }

    #[test]
    fn decodes_through_payloads_and_stops_at_garbage() {
        // const/4 v0, #1 ; packed-switch payload (0 targets) ; return v0 ; unused opcode 0x3e
        let units: [u16; 7] = [0x1012, 0x0100, 0x0000, 0x0000, 0x0000, 0x000f, 0x003e];
        let bytes: Vec<u8> = units.iter().flat_map(|u| u.to_le_bytes()).collect();
        let ops: Vec<u8> = decode(&bytes).iter().map(|i| i.op).collect();
        assert_eq!(ops, vec![0x12, 0x0f]);
    }
}
