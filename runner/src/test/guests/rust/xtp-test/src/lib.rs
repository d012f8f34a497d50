//! xtp-test module for the count-vowels plugin, written with the in-crate
//! `xtp` library. Exports `test() -> i32`.

mod xtp;

const HELLO: &str = "Hello, World!";

#[no_mangle]
pub extern "C" fn test() -> i32 {
    xtp::group("count vowels", || {
        let out = xtp::call_string("count_vowels", HELLO);
        xtp::assert_contains("count_vowels counts 3 vowels", &out, "\"count\":3");
        let out = xtp::call_string("count_vowels", HELLO);
        xtp::assert_contains("the running total reaches 6", &out, "\"total\":6");
    });

    xtp::group("reset clears vars", || {
        let out = xtp::call_string("count_vowels", HELLO);
        xtp::assert_contains("the total starts again at 3", &out, "\"total\":3");
    });

    xtp::group("speed", || {
        let ns = xtp::time_ns("count_vowels", HELLO.as_bytes());
        xtp::assert_lt("it should be really fast", ns, 300_000);
    });

    xtp::group("mock input", || match xtp::mock_input() {
        Some(bytes) => {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            xtp::assert_eq("mock input text", text.as_str(), "hello from mock input");
        }
        None => {
            xtp::assert_eq("no mock input", xtp::mock_input_offset(), 0);
        }
    });

    0
}
