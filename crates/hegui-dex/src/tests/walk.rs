//! The instruction walker: exact events, offsets, widths, payloads, bad code.

use super::{Event, Recorder, asm, sample, sample_builder};
use crate::testutil::{Builder, ClassSpec, MethodSpec};
use crate::{Dex, InvokeKind, Limits, Site, WalkStats};

#[test]
fn sample_walk_sees_exactly_the_expected_events() {
    let (built, ids) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let mut rec = Recorder::default();
    let stats = dex.walk_code(&mut rec).unwrap();
    assert_eq!(
        stats,
        WalkStats {
            classes: 2,
            methods: 3,
            instructions: 2 + 10 + 9,
            bad_methods: 0,
            bad_classes: 0,
            skipped_methods: 0,
        }
    );

    let main = ids.t_main;
    let at = |m: u32, pc: u32| Site {
        class_idx: main,
        method_idx: m,
        file_offset: built.insns_of(m) + 2 * pc,
    };
    let (init, helper, run) = (ids.m_init, ids.m_helper, ids.m_run);
    let expected = vec![
        Event::Enter(main, init),
        Event::Invoke(at(init, 0), InvokeKind::Direct, ids.m_object_init),
        Event::Enter(main, helper),
        Event::ConstClass(at(helper, 0), ids.t_main),
        Event::NewInstance(at(helper, 2), ids.t_tm),
        Event::FieldWrite(at(helper, 9), ids.f_count, true),
        Event::Invoke(at(helper, 11), InvokeKind::Polymorphic, ids.m_invoke_exact),
        Event::InvokeCustom(at(helper, 15), 0),
        Event::ConstString(at(helper, 32), ids.s_end),
        Event::Enter(main, run),
        Event::ConstString(at(run, 0), ids.s_imei),
        Event::Invoke(at(run, 2), InvokeKind::Virtual, ids.m_get_device_id),
        Event::Invoke(at(run, 5), InvokeKind::Static, ids.m_helper),
        Event::FieldRead(at(run, 8), ids.f_serial, true),
        Event::FieldRead(at(run, 13), ids.f_count, false),
        Event::ConstString(at(run, 24), ids.s_tail),
    ];
    assert_eq!(rec.events, expected);
}

#[test]
fn offsets_point_at_the_instruction_bytes() {
    let (built, ids) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let mut rec = Recorder::default();
    dex.walk_code(&mut rec).unwrap();
    for e in &rec.events {
        let (site, opcodes): (&Site, &[u8]) = match e {
            Event::Invoke(s, ..) => (s, &[0x6e, 0x70, 0x77, 0xfa]),
            Event::ConstString(s, _) => (s, &[0x1a, 0x1b]),
            Event::FieldRead(s, ..) => (s, &[0x52, 0x62]),
            Event::FieldWrite(s, ..) => (s, &[0x67]),
            Event::InvokeCustom(s, _) => (s, &[0xfc]),
            Event::ConstClass(s, _) => (s, &[0x1c]),
            Event::NewInstance(s, _) => (s, &[0x22]),
            _ => continue,
        };
        let op = built.bytes[site.file_offset as usize];
        assert!(opcodes.contains(&op), "{e:?}: byte {op:#x} at the offset");
    }
    // Spot-check one absolute offset by hand: run() is the last code item.
    let run_insns = built.insns_of(ids.m_run) as usize;
    assert_eq!(
        built.bytes[run_insns + 48],
        0x1b,
        "const-string/jumbo at unit 24"
    );
}

#[test]
fn enter_method_false_skips_the_method() {
    let (built, ids) = sample(35);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let mut rec = Recorder {
        skip: vec![ids.m_helper, ids.m_run],
        ..Recorder::default()
    };
    let stats = dex.walk_code(&mut rec).unwrap();
    assert_eq!(stats.methods, 1);
    assert_eq!(stats.skipped_methods, 2);
    assert_eq!(stats.instructions, 2);
    assert_eq!(rec.events.len(), 4, "{:?}", rec.events);
    assert_eq!(rec.events[3], Event::Enter(ids.t_main, ids.m_run));
}

/// A dex with one class whose direct methods have the given code, each with
/// its own method id.
fn one_class(codes: Vec<Vec<u16>>) -> (Vec<u8>, Vec<u32>, u32) {
    let mut b = Builder::new(35);
    let t = b.type_("LX;");
    let s = b.string("s");
    assert_eq!(s, 1);
    let mut spec = ClassSpec {
        class_idx: t,
        ..ClassSpec::default()
    };
    let mut ms = Vec::new();
    for (i, code) in codes.into_iter().enumerate() {
        let m = b.method("LX;", &format!("m{i}"), "V", &[]);
        spec.direct.push(MethodSpec::with_code(m, 0x9, code));
        ms.push(m);
    }
    b.classes.push(spec);
    let built = b.build();
    (built.bytes, ms, t)
}

#[test]
fn bad_code_stops_only_that_method() {
    let good = [asm::const_string(0, 1), asm::return_void()].concat();
    let cases: Vec<(Vec<u16>, &str)> = vec![
        // unused opcode 0x3e after one good instruction
        (
            [asm::const_string(0, 1), vec![0x003e]].concat(),
            "bad-dex-instruction",
        ),
        (vec![0x0073], "bad-dex-instruction"),
        (vec![0x00e3], "bad-dex-instruction"),
        // const-string cut short (operand missing)
        (vec![0x001a], "bad-dex-instruction"),
        // const-wide cut short
        (vec![0x0018, 0, 0], "bad-dex-instruction"),
        // packed-switch payload claiming 100 targets in 4 units
        (vec![0x0100, 100, 0, 0], "bad-dex-instruction"),
        // sparse-switch payload header cut off
        (vec![0x000e, 0x0200], "bad-dex-instruction"),
        // fill-array-data with a huge element count
        (vec![0x0300, 4, 0xffff, 0xffff, 0, 0], "bad-dex-instruction"),
        // string index out of range
        (asm::const_string(0, 999), "dex-index-out-of-range"),
        (
            asm::const_string_jumbo(0, 0x0001_0000),
            "dex-index-out-of-range",
        ),
        // method, field, type indices out of range
        (asm::op35c(0x6e, &[0], 500), "dex-index-out-of-range"),
        (asm::op21c(0x60, 0, 7), "dex-index-out-of-range"),
        (asm::op22c(0x5b, 0, 1, 7), "dex-index-out-of-range"),
        (asm::new_instance(0, 300), "dex-index-out-of-range"),
        // invoke-custom with call site 0 while the map lists none is passed through
    ];
    for (bad, code) in cases {
        let (bytes, ms, t) = one_class(vec![good.clone(), bad.clone(), good.clone()]);
        let dex = Dex::parse(&bytes, &Limits::default()).unwrap();
        let mut rec = Recorder::default();
        let stats = dex.walk_code(&mut rec).unwrap();
        assert_eq!(stats.methods, 3, "{bad:04x?}");
        assert_eq!(stats.bad_methods, 1, "{bad:04x?}");
        assert!(
            rec.events.contains(&Event::Malformed(t, Some(ms[1]), code)),
            "{bad:04x?}: {:?}",
            rec.events
        );
        let strings_seen = rec
            .events
            .iter()
            .filter(|e| matches!(e, Event::ConstString(s, 1) if s.method_idx == ms[2]))
            .count();
        assert_eq!(strings_seen, 1, "the method after the bad one is walked");
    }
}

#[test]
fn walk_method_reports_the_offset_of_the_bad_instruction() {
    let (bytes, ms, t) = one_class(vec![
        [asm::nop(), asm::const_string(0, 1), vec![0x0079]].concat(),
    ]);
    let dex = Dex::parse(&bytes, &Limits::default()).unwrap();
    let class = dex.class_def(0).unwrap();
    let m = dex.class_methods(&class).unwrap()[0];
    let code = dex.code_item(m.code_off).unwrap().unwrap();
    let err = dex
        .walk_method(t, ms[0], &code, &mut Recorder::default())
        .unwrap_err();
    let at = code.insns_file_offset + 6;
    assert_eq!(
        err,
        crate::DexError::BadInstruction {
            offset: u64::from(at),
            opcode: 0x79,
            reason: "unused opcode"
        }
    );
    assert_eq!(
        err.to_string(),
        format!("bad instruction at offset {at:#x} (opcode 0x79): unused opcode")
    );
}

#[test]
fn invoke_custom_index_is_checked_against_the_map() {
    let (mut b, _) = sample_builder(38);
    b.call_sites = 0;
    // Without call sites in the map, invoke-custom indices pass unchecked.
    let dex_bytes = b.build().bytes;
    let dex = Dex::parse(&dex_bytes, &Limits::default()).unwrap();
    assert_eq!(dex.call_site_count(), 0);
    assert_eq!(
        dex.walk_code(&mut Recorder::default()).unwrap().bad_methods,
        0
    );

    let (built, _) = sample(38);
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    assert_eq!(dex.call_site_count(), 1);
    // Patch the invoke-custom operand (helper pc 15 → unit 16) to call site 5.
    let (_, ids) = sample(38);
    let at = built.insns_of(ids.m_helper) as usize + 2 * 16;
    let mut bytes = built.bytes.clone();
    bytes[at] = 5;
    let dex = Dex::parse(&bytes, &Limits::default()).unwrap();
    let mut rec = Recorder::default();
    let stats = dex.walk_code(&mut rec).unwrap();
    assert_eq!(stats.bad_methods, 1);
    assert!(rec.events.contains(&Event::Malformed(
        ids.t_main,
        Some(ids.m_helper),
        "dex-index-out-of-range"
    )));
}

#[test]
fn every_opcode_width_walks_in_step() {
    // One instruction of every used opcode, operands zero, then const-string:
    // if any width were wrong the final const-string would be misread.
    let mut code = Vec::new();
    let mut count = 0u64;
    for op in 0..=255u8 {
        let w = crate::insn_width(op);
        if w == 0
            || matches!(op, 0x1a | 0x1b | 0x1c | 0x22 | 0x52..=0x72 | 0x74..=0x78 | 0xfa..=0xfd)
        {
            continue;
        }
        code.push(u16::from(op));
        code.extend(std::iter::repeat_n(0xffff, usize::from(w) - 1));
        count += 1;
    }
    code.extend(asm::const_string(0, 1));
    let (bytes, ms, _) = one_class(vec![code]);
    let dex = Dex::parse(&bytes, &Limits::default()).unwrap();
    let mut rec = Recorder::default();
    let stats = dex.walk_code(&mut rec).unwrap();
    assert_eq!(stats.bad_methods, 0, "{:?}", rec.events);
    assert_eq!(stats.instructions, count + 1);
    assert!(matches!(rec.events.last(), Some(Event::ConstString(s, 1)) if s.method_idx == ms[0]));
}

#[test]
fn shared_code_items_hit_the_walk_limit() {
    // 300 methods share one 60000-unit code item: 36 MB of decoding for a
    // file of about 120 KB.
    let mut b = Builder::new(35);
    let t = b.type_("LX;");
    let m = b.method("LX;", "m", "V", &[]);
    let mut spec = ClassSpec {
        class_idx: t,
        ..ClassSpec::default()
    };
    let mut code = vec![0u16; 60_000];
    code[0] = 0x0e;
    spec.direct.push(MethodSpec::with_code(m, 0x9, code));
    for _ in 0..300 {
        spec.direct.push(MethodSpec {
            method_idx: m,
            access: 0x9,
            code: None,
            share_code_of: Some(0),
        });
    }
    b.classes.push(spec);
    let built = b.build();
    let dex = Dex::parse(&built.bytes, &Limits::default()).unwrap();
    let mut rec = Recorder::default();
    let err = dex.walk_code(&mut rec).unwrap_err();
    assert_eq!(err.code(), "dex-walk-limit");
    let entered = rec
        .events
        .iter()
        .filter(|e| matches!(e, Event::Enter(..)))
        .count();
    assert!(entered > 10 && entered < 300, "{entered}");
    // The same file is fine method by method.
    let class = dex.class_def(0).unwrap();
    assert_eq!(dex.class_methods(&class).unwrap().len(), 301);
}
