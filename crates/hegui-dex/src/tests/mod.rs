//! Unit tests over DEX files assembled in code (see `testutil`).

mod container;
mod corpus;
mod errors;
mod fuzz;
mod tables;
mod walk;

use crate::testutil::{Builder, Built, ClassSpec, MethodSpec, asm};
use crate::{CodeVisitor, DexError, InvokeKind, Site};

/// Everything a visitor can see, in order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Event {
    Enter(u32, u32),
    Invoke(Site, InvokeKind, u32),
    InvokeCustom(Site, u32),
    ConstString(Site, u32),
    FieldRead(Site, u32, bool),
    FieldWrite(Site, u32, bool),
    ConstClass(Site, u32),
    NewInstance(Site, u32),
    Malformed(u32, Option<u32>, &'static str),
}

#[derive(Default)]
pub(crate) struct Recorder {
    pub events: Vec<Event>,
    /// Methods for which `enter_method` returns false.
    pub skip: Vec<u32>,
}

impl CodeVisitor for Recorder {
    fn enter_method(&mut self, class_idx: u32, method_idx: u32) -> bool {
        self.events.push(Event::Enter(class_idx, method_idx));
        !self.skip.contains(&method_idx)
    }
    fn invoke(&mut self, site: &Site, kind: InvokeKind, method_idx: u32) {
        self.events.push(Event::Invoke(*site, kind, method_idx));
    }
    fn invoke_custom(&mut self, site: &Site, call_site_idx: u32) {
        self.events.push(Event::InvokeCustom(*site, call_site_idx));
    }
    fn const_string(&mut self, site: &Site, string_idx: u32) {
        self.events.push(Event::ConstString(*site, string_idx));
    }
    fn field_read(&mut self, site: &Site, field_idx: u32, is_static: bool) {
        self.events
            .push(Event::FieldRead(*site, field_idx, is_static));
    }
    fn field_write(&mut self, site: &Site, field_idx: u32, is_static: bool) {
        self.events
            .push(Event::FieldWrite(*site, field_idx, is_static));
    }
    fn const_class(&mut self, site: &Site, type_idx: u32) {
        self.events.push(Event::ConstClass(*site, type_idx));
    }
    fn new_instance(&mut self, site: &Site, type_idx: u32) {
        self.events.push(Event::NewInstance(*site, type_idx));
    }
    fn malformed(&mut self, class_idx: u32, method_idx: Option<u32>, error: &DexError) {
        self.events
            .push(Event::Malformed(class_idx, method_idx, error.code()));
    }
}

/// Indices of the things in [`sample`].
#[derive(Debug, Clone, Copy)]
pub(crate) struct Ids {
    pub t_object: u32,
    pub t_main: u32,
    pub t_iface: u32,
    pub t_runnable: u32,
    pub t_string: u32,
    pub t_tm: u32,
    pub s_imei: u32,
    pub s_tail: u32,
    pub s_end: u32,
    pub s_source: u32,
    pub f_serial: u32,
    pub f_count: u32,
    pub m_object_init: u32,
    pub m_get_device_id: u32,
    pub m_init: u32,
    pub m_helper: u32,
    pub m_run: u32,
    pub m_iface_call: u32,
    pub m_invoke_exact: u32,
    pub p_helper: u16,
}

/// Code of `Main.run()`, with the payload at unit 16 and a tail after it.
pub(crate) fn run_code(ids: &Ids) -> Vec<u16> {
    let mut c = Vec::new();
    c.extend(asm::const_string(0, ids.s_imei as u16)); // pc 0
    c.extend(asm::op35c(0x6e, &[1, 0], ids.m_get_device_id as u16)); // pc 2 invoke-virtual
    c.extend(asm::op3rc(0x77, 0, 2, ids.m_helper as u16)); // pc 5 invoke-static/range
    c.extend(asm::op21c(0x62, 0, ids.f_serial as u16)); // pc 8 sget-object
    c.extend(asm::op31t(0x2b, 0, 6)); // pc 10 packed-switch → pc 16
    c.extend(asm::op22c(0x52, 1, 2, ids.f_count as u16)); // pc 13 iget
    c.extend(asm::return_void()); // pc 15
    c.extend(asm::packed_payload(10, &[-15, -3])); // pc 16..24
    c.extend(asm::const_string_jumbo(0, ids.s_tail)); // pc 24
    c.extend(asm::return_void()); // pc 27
    assert_eq!(c.len(), 28);
    c
}

/// Code of `Main.helper(String, int)`.
pub(crate) fn helper_code(ids: &Ids) -> Vec<u16> {
    let mut c = Vec::new();
    c.extend(asm::const_class(0, ids.t_main as u16)); // pc 0
    c.extend(asm::new_instance(1, ids.t_tm as u16)); // pc 2
    c.extend(asm::const_wide(2, 0x1122_3344_5566_7788)); // pc 4
    c.extend(asm::op21c(0x67, 0, ids.f_count as u16)); // pc 9 sput
    c.extend(asm::invoke_polymorphic(
        &[0, 1],
        ids.m_invoke_exact as u16,
        ids.p_helper,
    )); // pc 11
    c.extend(asm::op35c(0xfc, &[0], 0)); // pc 15 invoke-custom
    c.extend(asm::nop()); // pc 18
    c.extend(asm::return_void()); // pc 19
    c.extend(asm::array_payload(1, &[1, 2, 3])); // pc 20..26
    c.extend(asm::sparse_payload(&[7], &[-26])); // pc 26..32
    c.extend(asm::const_string(0, ids.s_end as u16)); // pc 32
    c.extend(asm::return_void()); // pc 34
    assert_eq!(c.len(), 35);
    c
}

/// Code of `Main.<init>()`.
pub(crate) fn init_code(ids: &Ids) -> Vec<u16> {
    let mut c = asm::op35c(0x70, &[0], ids.m_object_init as u16);
    c.extend(asm::return_void());
    c
}

/// The builder and indices of a small app: class `Main` (with `<init>`,
/// static `helper`, virtual `run`) and interface `Iface` (one abstract method).
pub(crate) fn sample_builder(version: u16) -> (Builder, Ids) {
    let mut b = Builder::new(version);
    let t_object = b.type_("Ljava/lang/Object;");
    let t_main = b.type_("Lcom/example/Main;");
    let t_iface = b.type_("Lcom/example/Iface;");
    let t_runnable = b.type_("Ljava/lang/Runnable;");
    let t_string = b.type_("Ljava/lang/String;");
    let t_tm = b.type_("Landroid/telephony/TelephonyManager;");
    let s_imei = b.string("imei");
    let s_tail = b.string("tail");
    let s_end = b.string("end");
    let s_source = b.string("Main.java");
    let f_serial = b.field("Landroid/os/Build;", "SERIAL", "Ljava/lang/String;");
    let f_count = b.field("Lcom/example/Main;", "count", "I");
    let m_object_init = b.method("Ljava/lang/Object;", "<init>", "V", &[]);
    let m_get_device_id = b.method(
        "Landroid/telephony/TelephonyManager;",
        "getDeviceId",
        "Ljava/lang/String;",
        &[],
    );
    let m_init = b.method("Lcom/example/Main;", "<init>", "V", &[]);
    let m_helper = b.method(
        "Lcom/example/Main;",
        "helper",
        "V",
        &["Ljava/lang/String;", "I"],
    );
    let p_helper = b.methods[m_helper as usize].1;
    let m_run = b.method("Lcom/example/Main;", "run", "V", &[]);
    let m_iface_call = b.method("Lcom/example/Iface;", "call", "V", &[]);
    let m_invoke_exact = b.method(
        "Ljava/lang/invoke/MethodHandle;",
        "invokeExact",
        "Ljava/lang/Object;",
        &["[Ljava/lang/Object;"],
    );
    b.call_sites = 1;
    let ids = Ids {
        t_object,
        t_main,
        t_iface,
        t_runnable,
        t_string,
        t_tm,
        s_imei,
        s_tail,
        s_end,
        s_source,
        f_serial,
        f_count,
        m_object_init,
        m_get_device_id,
        m_init,
        m_helper,
        m_run,
        m_iface_call,
        m_invoke_exact,
        p_helper,
    };
    b.classes.push(ClassSpec {
        class_idx: t_main,
        access: 0x1,
        superclass: Some(t_object),
        interfaces: vec![t_runnable as u16],
        source_file: Some(s_source),
        static_fields: vec![],
        instance_fields: vec![(f_count, 0x2)],
        direct: vec![
            MethodSpec::with_code(m_init, 0x1_0001, init_code(&ids)),
            MethodSpec::with_code(m_helper, 0x9, helper_code(&ids)),
        ],
        virtuals: vec![MethodSpec::with_code(m_run, 0x1, run_code(&ids))],
    });
    b.classes.push(ClassSpec {
        class_idx: t_iface,
        access: 0x601,
        superclass: Some(t_object),
        virtuals: vec![MethodSpec::without_code(m_iface_call, 0x401)],
        ..ClassSpec::default()
    });
    (b, ids)
}

pub(crate) fn sample(version: u16) -> (Built, Ids) {
    let (b, ids) = sample_builder(version);
    (b.build(), ids)
}
