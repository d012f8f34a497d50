//! A tiny xtp-test library: safe wrappers around the six `xtp:test/harness`
//! imports. Strings and bytes handed to the harness are copied into blocks of
//! this module's Extism memory (`extism:host/env` alloc + store_u64/store_u8);
//! blocks the harness returns are read with length + load_u64/load_u8 and then
//! freed, as the public xtp-test libraries do.

mod harness {
    #[link(wasm_import_module = "xtp:test/harness")]
    extern "C" {
        pub fn call(name: i64, input: i64) -> i64;
        pub fn time(name: i64, input: i64) -> i64;
        pub fn assert(name: i64, value: i64, reason: i64);
        pub fn group(name: i64);
        pub fn reset();
        pub fn mock_input() -> i64;
    }
}

mod env {
    #[link(wasm_import_module = "extism:host/env")]
    extern "C" {
        pub fn alloc(length: i64) -> i64;
        pub fn free(offset: i64);
        pub fn length(offset: i64) -> i64;
        pub fn load_u8(offset: i64) -> i32;
        pub fn load_u64(offset: i64) -> i64;
        pub fn store_u8(offset: i64, value: i32);
        pub fn store_u64(offset: i64, value: i64);
    }
}

/// A block of Extism memory allocated by this module, freed when dropped.
struct Block(i64);

impl Block {
    fn new(bytes: &[u8]) -> Block {
        unsafe {
            let offset = env::alloc(bytes.len() as i64);
            let mut chunks = bytes.chunks_exact(8);
            let mut at = offset;
            for chunk in &mut chunks {
                let mut word = [0u8; 8];
                word.copy_from_slice(chunk);
                env::store_u64(at, i64::from_le_bytes(word));
                at += 8;
            }
            for b in chunks.remainder() {
                env::store_u8(at, *b as i32);
                at += 1;
            }
            Block(offset)
        }
    }
}

impl Drop for Block {
    fn drop(&mut self) {
        unsafe { env::free(self.0) }
    }
}

/// Reads the whole block at `offset` (0 reads as empty).
fn read_block(offset: i64) -> Vec<u8> {
    if offset == 0 {
        return Vec::new();
    }
    unsafe {
        let len = env::length(offset);
        let mut out = Vec::with_capacity(len as usize);
        let mut i = 0;
        while i + 8 <= len {
            out.extend_from_slice(&env::load_u64(offset + i).to_le_bytes());
            i += 8;
        }
        while i < len {
            out.push(env::load_u8(offset + i) as u8);
            i += 1;
        }
        out
    }
}

/// Calls the plugin export `name` with `input` and returns its output.
pub fn call(name: &str, input: &[u8]) -> Vec<u8> {
    let name = Block::new(name.as_bytes());
    let input = Block::new(input);
    let out = unsafe { harness::call(name.0, input.0) };
    let bytes = read_block(out);
    if out != 0 {
        unsafe { env::free(out) };
    }
    bytes
}

/// Like [`call`], with the output taken as (lossy) UTF-8 text.
pub fn call_string(name: &str, input: &str) -> String {
    String::from_utf8_lossy(&call(name, input.as_bytes())).into_owned()
}

/// Calls the plugin export `name` with `input`; returns how long it took, in ns.
pub fn time_ns(name: &str, input: &[u8]) -> u64 {
    let name = Block::new(name.as_bytes());
    let input = Block::new(input);
    unsafe { harness::time(name.0, input.0) as u64 }
}

/// Records an assertion: `value` true passes; `reason` is shown when it fails.
pub fn assert(name: &str, value: bool, reason: &str) {
    let name = Block::new(name.as_bytes());
    let reason = Block::new(reason.as_bytes());
    unsafe { harness::assert(name.0, value as i64, reason.0) }
}

pub fn assert_eq<T: PartialEq + core::fmt::Debug>(name: &str, actual: T, expected: T) {
    let ok = actual == expected;
    assert(
        name,
        ok,
        &format!("expected {:?}, got {:?}", expected, actual),
    );
}

pub fn assert_lt<T: PartialOrd + core::fmt::Debug>(name: &str, actual: T, bound: T) {
    let ok = actual < bound;
    assert(name, ok, &format!("expected {:?} < {:?}", actual, bound));
}

pub fn assert_contains(name: &str, haystack: &str, needle: &str) {
    assert(
        name,
        haystack.contains(needle),
        &format!("expected {:?} to contain {:?}", haystack, needle),
    );
}

/// Resets the plugin under test (fresh instance, vars cleared).
pub fn reset() {
    unsafe { harness::reset() }
}

/// Starts a named group, with a reset of the plugin before and after `f`.
pub fn group<F: FnOnce()>(name: &str, f: F) {
    {
        let name = Block::new(name.as_bytes());
        unsafe { harness::group(name.0) }
    }
    reset();
    f();
    reset();
}

/// The raw offset returned by the harness's `mock_input` (0: no mock input).
pub fn mock_input_offset() -> i64 {
    unsafe { harness::mock_input() }
}

/// The mock input, if one was given. The block belongs to the harness and is
/// only read, not freed.
pub fn mock_input() -> Option<Vec<u8>> {
    match mock_input_offset() {
        0 => None,
        offset => Some(read_block(offset)),
    }
}
