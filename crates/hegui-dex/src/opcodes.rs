//! Instruction widths of the Dalvik instruction set, from the "Dalvik bytecode"
//! instruction formats (10x .. 51l).

/// Width in 16-bit code units of the instruction with opcode `op`, or 0 for an
/// opcode that is unused in DEX files (0x3e-0x43, 0x73, 0x79-0x7a, 0xe3-0xf9).
///
/// Opcode 0x00 (`nop`, format 10x) has width 1; the three payload
/// pseudo-instructions that share it are sized from their contents instead.
pub const fn insn_width(op: u8) -> u8 {
    match op {
        // nop 10x; move 12x; move/from16 22x; move/16 32x; same for -wide, -object
        0x00 | 0x01 | 0x04 | 0x07 => 1,
        0x02 | 0x05 | 0x08 => 2,
        0x03 | 0x06 | 0x09 => 3,
        // move-result*, move-exception 11x; return-void 10x; return* 11x; const/4 11n
        0x0a..=0x12 => 1,
        0x13 => 2,        // const/16 21s
        0x14 => 3,        // const 31i
        0x15 => 2,        // const/high16 21h
        0x16 => 2,        // const-wide/16 21s
        0x17 => 3,        // const-wide/32 31i
        0x18 => 5,        // const-wide 51l
        0x19 => 2,        // const-wide/high16 21h
        0x1a => 2,        // const-string 21c
        0x1b => 3,        // const-string/jumbo 31c
        0x1c => 2,        // const-class 21c
        0x1d | 0x1e => 1, // monitor-enter/exit 11x
        0x1f => 2,        // check-cast 21c
        0x20 => 2,        // instance-of 22c
        0x21 => 1,        // array-length 12x
        0x22 => 2,        // new-instance 21c
        0x23 => 2,        // new-array 22c
        0x24 | 0x25 => 3, // filled-new-array 35c, /range 3rc
        0x26 => 3,        // fill-array-data 31t
        0x27 => 1,        // throw 11x
        0x28 => 1,        // goto 10t
        0x29 => 2,        // goto/16 20t
        0x2a => 3,        // goto/32 30t
        0x2b | 0x2c => 3, // packed-switch, sparse-switch 31t
        0x2d..=0x31 => 2, // cmpkind 23x
        0x32..=0x37 => 2, // if-test 22t
        0x38..=0x3d => 2, // if-testz 21t
        0x3e..=0x43 => 0, // unused
        0x44..=0x51 => 2, // arrayop 23x
        0x52..=0x5f => 2, // iinstanceop 22c
        0x60..=0x6d => 2, // sstaticop 21c
        0x6e..=0x72 => 3, // invoke-kind 35c
        0x73 => 0,        // unused
        0x74..=0x78 => 3, // invoke-kind/range 3rc
        0x79 | 0x7a => 0, // unused
        0x7b..=0x8f => 1, // unop 12x
        0x90..=0xaf => 2, // binop 23x
        0xb0..=0xcf => 1, // binop/2addr 12x
        0xd0..=0xd7 => 2, // binop/lit16 22s
        0xd8..=0xe2 => 2, // binop/lit8 22b
        0xe3..=0xf9 => 0, // unused
        0xfa | 0xfb => 4, // invoke-polymorphic 45cc, /range 4rcc
        0xfc | 0xfd => 3, // invoke-custom 35c, /range 3rc
        0xfe | 0xff => 2, // const-method-handle, const-method-type 21c
    }
}

/// [`insn_width`] for every opcode.
pub(crate) const WIDTHS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut i = 0;
    while i < 256 {
        t[i] = insn_width(i as u8);
        i += 1;
    }
    t
};

/// Identifier (first code unit) of a `packed-switch-payload`.
pub const PACKED_SWITCH_PAYLOAD: u16 = 0x0100;
/// Identifier of a `sparse-switch-payload`.
pub const SPARSE_SWITCH_PAYLOAD: u16 = 0x0200;
/// Identifier of a `fill-array-data-payload`.
pub const FILL_ARRAY_DATA_PAYLOAD: u16 = 0x0300;

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn width_counts_by_format() {
        let count = |w: u8| WIDTHS.iter().filter(|&&x| x == w).count();
        // 6 + 1 + 2 + 6 unused ranges: 0x3e-0x43, 0x73, 0x79-0x7a, 0xe3-0xf9
        assert_eq!(count(0), 6 + 1 + 2 + 23);
        assert_eq!(count(5), 1);
        assert_eq!(count(4), 2);
        assert_eq!(WIDTHS.iter().map(|&w| usize::from(w)).sum::<usize>(), {
            // Sum by hand from the formats table.
            let ones = 4 + 9 + 2 + 1 + 1 + 1 + 21 + 32;
            let twos = 3
                + 1
                + 1
                + 1
                + 1
                + 1
                + 1
                + 1
                + 1
                + 1
                + 1
                + 1
                + 5
                + 6
                + 6
                + 14
                + 14
                + 14
                + 32
                + 8
                + 11
                + 2;
            let threes = 3 + 1 + 1 + 1 + 2 + 1 + 1 + 2 + 5 + 5 + 2;
            ones + 2 * twos + 3 * threes + 4 * 2 + 5
        });
        assert_eq!(WIDTHS[0x6e], 3);
        assert_eq!(WIDTHS[0x1b], 3);
        assert_eq!(WIDTHS[0x18], 5);
        assert_eq!(WIDTHS[0xfa], 4);
        assert_eq!(WIDTHS[0x73], 0);
    }
}
