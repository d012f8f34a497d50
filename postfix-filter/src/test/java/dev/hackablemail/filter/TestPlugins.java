package dev.hackablemail.filter;

import com.dylibso.chicory.wabt.Wat2Wasm;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * Plugins for the tests: the real example plugin, and misbehaving ones written in WAT
 * (assembled with Chicory's wat2wasm) around one {@code onEmail} body. Helpers available
 * to a body: {@code $input} (the input as a new block), {@code $const} (the data segment
 * as a new block), {@code $out} (a block as the output), and the imports {@code $deliver}
 * and {@code $reply}.
 */
public final class TestPlugins {

    public static final Path EXAMPLE = Path.of("../example-plugin/dist/plugin.wasm");
    /** The example plugin reading {@code headers["Subject"]} spelled exactly so (built with -DEXACT_SUBJECT). */
    public static final Path EXACT_SUBJECT = Path.of("../example-plugin/dist/exact-subject.wasm");

    private TestPlugins() {}

    /** A plugin whose onEmail is {@code body}; {@code data} is available through {@code $const}. */
    public static byte[] wat(String body, String data) {
        byte[] bytes = data.getBytes(StandardCharsets.UTF_8);
        StringBuilder escaped = new StringBuilder();
        for (byte b : bytes) {
            escaped.append(String.format("\\%02x", b & 0xff));
        }
        String module = "(module\n"
                + "  (import \"extism:host/env\" \"input_length\" (func $input_length (result i64)))\n"
                + "  (import \"extism:host/env\" \"input_load_u8\" (func $input_load_u8 (param i64) (result i32)))\n"
                + "  (import \"extism:host/env\" \"alloc\" (func $alloc (param i64) (result i64)))\n"
                + "  (import \"extism:host/env\" \"store_u8\" (func $store_u8 (param i64 i32)))\n"
                + "  (import \"extism:host/env\" \"length\" (func $length (param i64) (result i64)))\n"
                + "  (import \"extism:host/env\" \"output_set\" (func $output_set (param i64 i64)))\n"
                + "  (import \"extism:host/env\" \"input_offset\" (func $input_block (result i64)))\n"
                + "  (import \"extism:host/user\" \"deliver\" (func $deliver (param i64) (result i64)))\n"
                + "  (import \"extism:host/user\" \"reply\" (func $reply (param i64) (result i64)))\n"
                + "  (memory (export \"memory\") 1)\n"
                + "  (data (i32.const 0) \"" + escaped + "\")\n"
                + "  (func $input (result i64) (local $n i64) (local $p i64) (local $i i64)\n"
                + "    (local.set $n (call $input_length))\n"
                + "    (local.set $p (call $alloc (local.get $n)))\n"
                + "    (block $done (loop $next\n"
                + "      (br_if $done (i64.ge_u (local.get $i) (local.get $n)))\n"
                + "      (call $store_u8 (i64.add (local.get $p) (local.get $i)) (call $input_load_u8 (local.get $i)))\n"
                + "      (local.set $i (i64.add (local.get $i) (i64.const 1)))\n"
                + "      (br $next)))\n"
                + "    (local.get $p))\n"
                + "  (func $const (result i64) (local $p i64) (local $i i32)\n"
                + "    (local.set $p (call $alloc (i64.const " + bytes.length + ")))\n"
                + "    (block $done (loop $next\n"
                + "      (br_if $done (i32.ge_u (local.get $i) (i32.const " + bytes.length + ")))\n"
                + "      (call $store_u8 (i64.add (local.get $p) (i64.extend_i32_u (local.get $i)))\n"
                + "                      (i32.load8_u (local.get $i)))\n"
                + "      (local.set $i (i32.add (local.get $i) (i32.const 1)))\n"
                + "      (br $next)))\n"
                + "    (local.get $p))\n"
                + "  (func $out (param $block i64)\n"
                + "    (call $output_set (local.get $block) (call $length (local.get $block))))\n"
                + "  (func $zero (result i64) (local $p i64)\n"
                + "    (local.set $p (call $alloc (i64.const 1)))\n"
                + "    (call $store_u8 (local.get $p) (i32.const 48))\n"
                + "    (local.get $p))\n"
                + "  (func (export \"onEmail\") (result i32)\n"
                + "    " + body + ")\n"
                + ")\n";
        return Wat2Wasm.parse(module);
    }

    /** Returns {@code output} (any text) without calling deliver or reply. */
    public static byte[] returning(String output) {
        return wat("(call $out (call $const)) (i32.const 0)", output);
    }

    public static byte[] spinForever() {
        return wat("(loop $forever (br $forever)) (i32.const 0)", "");
    }

    public static byte[] trap() {
        return wat("unreachable", "");
    }

    public static byte[] exhaustMemory() {
        return wat("(loop $more (br_if $more (i32.ne (memory.grow (i32.const 1)) (i32.const -1)))) unreachable", "");
    }

    /** Asks the Extism kernel for 8 MiB blocks without end: the host's heap runs out when the kernel's limit allows it. */
    public static byte[] allocateForever() {
        return wat("(loop $more (drop (call $alloc (i64.const 8388608))) (br $more)) (i32.const 0)", "");
    }

    /**
     * Logs one block of {@code bytes} bytes (never written: zeros): the host copies it out of
     * the kernel, in the middle of the call.
     */
    public static byte[] logBlockOf(long bytes) {
        return Wat2Wasm.parse("(module\n"
                + "  (import \"extism:host/env\" \"alloc\" (func $alloc (param i64) (result i64)))\n"
                + "  (import \"extism:host/env\" \"log_info\" (func $log_info (param i64)))\n"
                + "  (memory (export \"memory\") 1)\n"
                + "  (func (export \"onEmail\") (result i32)\n"
                + "    (call $log_info (call $alloc (i64.const " + bytes + ")))\n"
                + "    (i32.const 0)))\n");
    }

    /** Delivers the input as is and returns deliver's result. */
    public static byte[] deliverInput() {
        return wat("(call $out (call $deliver (call $input))) (i32.const 0)", "");
    }

    /** Delivers the kernel's input block itself (no copy: fast for large mail), returns deliver's result. */
    public static byte[] deliverInputBlock() {
        return wat("(call $out (call $deliver (call $input_block))) (i32.const 0)", "");
    }

    public static byte[] deliverTwice() {
        return wat("(drop (call $deliver (call $input))) (call $out (call $deliver (call $input))) (i32.const 0)", "");
    }

    public static byte[] deliverThenTrap() {
        return wat("(drop (call $deliver (call $input))) unreachable", "");
    }

    public static byte[] deliverThenSpin() {
        return wat("(drop (call $deliver (call $input))) (loop $forever (br $forever)) (i32.const 0)", "");
    }

    /** Delivers {@code json} (an IncomingEmail of its own) and returns deliver's result. */
    public static byte[] deliverJson(String json) {
        return wat("(call $out (call $deliver (call $const))) (i32.const 0)", json);
    }

    /** Hands {@code json} to deliver, then returns 0 whatever deliver answered. */
    public static byte[] deliverJsonIgnoringTheResult(String json) {
        return wat("(drop (call $deliver (call $const))) (call $out (call $zero)) (i32.const 0)", json);
    }

    /** Replies with {@code json} (a ReplyEmail) without delivering; returns reply's result. */
    public static byte[] replyJson(String json) {
        return wat("(call $out (call $reply (call $const))) (i32.const 0)", json);
    }

    public static byte[] replyTwice(String json) {
        return wat("(drop (call $reply (call $const))) (call $out (call $reply (call $const))) (i32.const 0)", json);
    }

    /** Delivers the input, then replies with {@code json}, returns reply's result. */
    public static byte[] deliverThenReply(String json) {
        return wat("(drop (call $deliver (call $input))) (call $out (call $reply (call $const))) (i32.const 0)", json);
    }
}
