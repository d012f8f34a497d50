;; A plugin that reads WASI's random bytes and clocks and returns them, hex-encoded:
;; 16 random bytes, then the realtime and the monotonic clock (8 bytes each, little-endian).
(module
  (import "wasi_snapshot_preview1" "random_get" (func $random_get (param i32 i32) (result i32)))
  (import "wasi_snapshot_preview1" "clock_time_get" (func $clock_time_get (param i32 i64 i32) (result i32)))
  (import "extism:host/env" "alloc" (func $alloc (param i64) (result i64)))
  (import "extism:host/env" "store_u8" (func $store_u8 (param i64 i32)))
  (import "extism:host/env" "output_set" (func $output_set (param i64 i64)))
  (memory (export "memory") 1)
  (data (i32.const 64) "0123456789abcdef")

  (func (export "entropy") (result i32) (local $out i64) (local $i i32) (local $b i32)
    (drop (call $random_get (i32.const 0) (i32.const 16)))
    (drop (call $clock_time_get (i32.const 0) (i64.const 1) (i32.const 16)))
    (drop (call $clock_time_get (i32.const 1) (i64.const 1) (i32.const 24)))
    (local.set $out (call $alloc (i64.const 64)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
        (local.set $b (i32.load8_u (local.get $i)))
        (call $store_u8 (i64.add (local.get $out) (i64.extend_i32_u (i32.mul (local.get $i) (i32.const 2))))
                        (i32.load8_u (i32.add (i32.const 64) (i32.shr_u (local.get $b) (i32.const 4)))))
        (call $store_u8 (i64.add (local.get $out) (i64.extend_i32_u (i32.add (i32.mul (local.get $i) (i32.const 2)) (i32.const 1))))
                        (i32.load8_u (i32.add (i32.const 64) (i32.and (local.get $b) (i32.const 15)))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (call $output_set (local.get $out) (i64.const 64))
    (i32.const 0))
)
