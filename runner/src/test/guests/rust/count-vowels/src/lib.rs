//! count-vowels: a minimal Extism plugin written against the raw
//! `extism:host/env` kernel imports (no crates, no extism-pdk).
//!
//! Exports:
//! - `count_vowels`: reads its input, counts the vowels in `aeiouAEIOU`,
//!   adds the count to a running total kept in the Extism var `total`
//!   (so the total starts again from 0 on a fresh instance), and outputs
//!   `{"count":N,"total":T,"vowels":"aeiouAEIOU"}`.
//! - `fail`: sets the error "deliberate failure" and returns 1.

#[link(wasm_import_module = "extism:host/env")]
extern "C" {
    fn input_length() -> i64;
    fn input_load_u8(offset: i64) -> i32;
    fn alloc(length: i64) -> i64;
    fn store_u8(offset: i64, value: i32);
    fn output_set(offset: i64, length: i64);
    fn var_get(key: i64) -> i64;
    fn var_set(key: i64, value: i64);
    fn length(offset: i64) -> i64;
    fn load_u8(offset: i64) -> i32;
    fn error_set(offset: i64);
}

const VOWELS: &str = "aeiouAEIOU";
const TOTAL_VAR: &[u8] = b"total";

/// Copies `bytes` into a new block of Extism memory and returns its offset.
fn to_block(bytes: &[u8]) -> i64 {
    unsafe {
        let offset = alloc(bytes.len() as i64);
        for (i, b) in bytes.iter().enumerate() {
            store_u8(offset + i as i64, *b as i32);
        }
        offset
    }
}

/// Reads a whole block of Extism memory; offset 0 reads as empty.
fn from_block(offset: i64) -> Vec<u8> {
    if offset == 0 {
        return Vec::new();
    }
    unsafe {
        let len = length(offset);
        (0..len).map(|i| load_u8(offset + i) as u8).collect()
    }
}

fn read_input() -> Vec<u8> {
    unsafe {
        let len = input_length();
        (0..len).map(|i| input_load_u8(i) as u8).collect()
    }
}

/// The running total, stored as an 8-byte little-endian unsigned integer.
fn get_total() -> u64 {
    let value = from_block(unsafe { var_get(to_block(TOTAL_VAR)) });
    if value.len() == 8 {
        let mut buf = [0u8; 8];
        buf.copy_from_slice(&value);
        u64::from_le_bytes(buf)
    } else {
        0
    }
}

fn set_total(total: u64) {
    unsafe { var_set(to_block(TOTAL_VAR), to_block(&total.to_le_bytes())) }
}

#[no_mangle]
pub extern "C" fn count_vowels() -> i32 {
    let input = read_input();
    let count = input
        .iter()
        .filter(|b| VOWELS.as_bytes().contains(b))
        .count() as u64;
    let total = get_total() + count;
    set_total(total);
    let json = format!(
        "{{\"count\":{},\"total\":{},\"vowels\":\"{}\"}}",
        count, total, VOWELS
    );
    let out = to_block(json.as_bytes());
    unsafe { output_set(out, json.len() as i64) };
    0
}

#[no_mangle]
pub extern "C" fn fail() -> i32 {
    unsafe { error_set(to_block(b"deliberate failure")) };
    1
}
