// ---- runtime: errors, JSON (parse, encode), base64, Extism memory ----
import { Host, Memory } from "@extism/as-pdk";
import { error_set, log_info, free, length } from "@extism/as-pdk/lib/env";

/** A value that may be absent, for numbers, booleans and enums (which cannot be null). */
export class Optional<T> {
  constructor(public value: T) {}
}

let _error: string | null = null;

/** Fails the export with this message (the host sees it); returns a placeholder to return. */
export function fail<T>(message: string): T {
  setError(message);
  return _zero<T>();
}

/** Fails the export with this message (the host sees it), in a function that returns nothing. */
export function setError(message: string): void {
  if (_error === null) _error = message;
}

/** Writes a line to the host's log (shown with --log-level info). */
export function logInfo(message: string): void {
  const memory = Memory.allocateString(message);
  log_info(memory.offset);
  memory.free();
}

export function _zero<T>(): T {
  if (isReference<T>()) return changetype<T>(0);
  // @ts-ignore: a number, boolean or enum
  return <T>0;
}

export function _begin(): void {
  _error = null;
}

export function _failed(): bool {
  return _error !== null;
}

/** Sets the call's error (prefixed) and returns the export's failure code. */
export function _report(prefix: string): i32 {
  const message = prefix + (_error !== null ? _error! : "failed");
  _error = null;
  const memory = _store(Uint8Array.wrap(String.UTF8.encode(message)));
  error_set(memory.offset);
  return 1;
}

/** Makes every trap (out of bounds, a failed assertion...) an error with a reason: asc --use abort=... */
export function _abort(message: string | null, fileName: string | null, line: u32, column: u32): void {
  let text = "trap: " + (message !== null ? message : "abort");
  if (fileName !== null) text += " at " + fileName + ":" + line.toString() + ":" + column.toString();
  const bytes = String.UTF8.encode(text);
  const memory = Memory.allocate(<u64>bytes.byteLength);
  memory.store(Uint8Array.wrap(bytes));
  error_set(memory.offset);
  unreachable();
}

export function _store(bytes: Uint8Array): Memory {
  const memory = Memory.allocate(<u64>bytes.length);
  if (bytes.length > 0) memory.store(bytes.byteOffset == 0 ? bytes : bytes.slice(0));
  return memory;
}

export function _output(bytes: Uint8Array): void {
  Host.outputMemory(_store(bytes));
}

/** The bytes of a block the host returned, freed; null (and an error) when there is none. */
export function _answerBytes(offset: u64, name: string): Uint8Array | null {
  if (offset == 0) {
    setError(name + " returned no output");
    return null;
  }
  const memory = new Memory(offset, length(offset));
  const bytes = memory.toUint8Array();
  free(offset);
  return bytes;
}

// ---- JSON values ----

export const JSON_NULL: i32 = 0;
export const JSON_BOOL: i32 = 1;
export const JSON_NUMBER: i32 = 2;
export const JSON_STRING: i32 = 3;
export const JSON_ARRAY: i32 = 4;
export const JSON_OBJECT: i32 = 5;

/** A parsed JSON value; also what a free-form object property holds. */
export class JsonValue {
  kind: i32 = JSON_NULL;
  bool: bool = false;
  /** A string's value, or a number's text as written. */
  text: string = "";
  items: Array<JsonValue> = [];
  keys: Array<string> = [];

  static object(): JsonValue {
    const v = new JsonValue();
    v.kind = JSON_OBJECT;
    return v;
  }

  /** An object's member (the last one of that name), or null. */
  get(key: string): JsonValue | null {
    for (let i = this.keys.length - 1; i >= 0; i--) {
      if (this.keys[i] == key) return this.items[i];
    }
    return null;
  }

  set(key: string, value: JsonValue): void {
    this.keys.push(key);
    this.items.push(value);
  }

  typeName(): string {
    switch (this.kind) {
      case JSON_NULL: return "null";
      case JSON_BOOL: return "a boolean";
      case JSON_NUMBER: return "a number";
      case JSON_STRING: return "a string";
      case JSON_ARRAY: return "an array";
      default: return "an object";
    }
  }
}

const MAX_DEPTH = 512;

class _Parser {
  pos: i32 = 0;
  depth: i32 = 0;
  error: string | null = null;
  lastKey: string | null = null;
  constructor(public bytes: Uint8Array) {}

  fail(what: string): JsonValue {
    if (this.error === null) {
      let text = what + " at byte " + this.pos.toString();
      const key = this.lastKey;
      if (key !== null) text += " (after the key \"" + key + "\")";
      this.error = text;
    }
    return new JsonValue();
  }

  space(): void {
    const b = this.bytes;
    while (this.pos < b.length) {
      const c = b[this.pos];
      if (c != 0x20 && c != 0x0a && c != 0x0d && c != 0x09) break;
      this.pos++;
    }
  }

  literal(word: string, value: JsonValue): JsonValue {
    for (let i = 0; i < word.length; i++) {
      if (this.pos >= this.bytes.length || <i32>this.bytes[this.pos] != word.charCodeAt(i)) return this.fail("invalid literal");
      this.pos++;
    }
    return value;
  }

  value(): JsonValue {
    this.space();
    if (this.pos >= this.bytes.length) return this.fail("unexpected end of input");
    const c = this.bytes[this.pos];
    if (c == 0x7b) return this.object();
    if (c == 0x5b) return this.array();
    if (c == 0x22) {
      const v = new JsonValue();
      v.kind = JSON_STRING;
      const s = this.string();
      if (s === null) return v;
      v.text = s;
      return v;
    }
    if (c == 0x74) {
      const v = new JsonValue();
      v.kind = JSON_BOOL;
      v.bool = true;
      return this.literal("true", v);
    }
    if (c == 0x66) {
      const v = new JsonValue();
      v.kind = JSON_BOOL;
      return this.literal("false", v);
    }
    if (c == 0x6e) return this.literal("null", new JsonValue());
    if (c == 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
    return this.fail("unexpected character");
  }

  digits(): i32 {
    const start = this.pos;
    while (this.pos < this.bytes.length && this.bytes[this.pos] >= 0x30 && this.bytes[this.pos] <= 0x39) this.pos++;
    return this.pos - start;
  }

  number(): JsonValue {
    const start = this.pos;
    if (this.bytes[this.pos] == 0x2d) this.pos++;
    const first = this.pos < this.bytes.length ? this.bytes[this.pos] : 0;
    const n = this.digits();
    if (n == 0 || (first == 0x30 && n > 1)) return this.fail("invalid number");
    if (this.pos < this.bytes.length && this.bytes[this.pos] == 0x2e) {
      this.pos++;
      if (this.digits() == 0) return this.fail("invalid number");
    }
    if (this.pos < this.bytes.length && (this.bytes[this.pos] == 0x65 || this.bytes[this.pos] == 0x45)) {
      this.pos++;
      if (this.pos < this.bytes.length && (this.bytes[this.pos] == 0x2b || this.bytes[this.pos] == 0x2d)) this.pos++;
      if (this.digits() == 0) return this.fail("invalid number");
    }
    const v = new JsonValue();
    v.kind = JSON_NUMBER;
    v.text = String.UTF8.decodeUnsafe(this.bytes.dataStart + <usize>start, <usize>(this.pos - start));
    return v;
  }

  hex4(): i32 {
    if (this.pos + 4 > this.bytes.length) return -1;
    let v = 0;
    for (let i = 0; i < 4; i++) {
      const c = <i32>this.bytes[this.pos + i];
      let d: i32;
      if (c >= 0x30 && c <= 0x39) d = c - 0x30;
      else if (c >= 0x61 && c <= 0x66) d = c - 0x61 + 10;
      else if (c >= 0x41 && c <= 0x46) d = c - 0x41 + 10;
      else return -1;
      v = (v << 4) | d;
    }
    this.pos += 4;
    return v;
  }

  /** A JSON string (the opening quote at pos), decoded from UTF-8 (which must be valid). */
  string(): string | null {
    this.pos++;
    const b = this.bytes;
    // size the buffer by the string's bytes (each byte makes at most one UTF-16 unit)
    let end = this.pos;
    while (end < b.length && b[end] != 0x22) end += b[end] == 0x5c ? 2 : 1;
    const units = new Uint16Array(min(end, b.length) - this.pos);
    let n = 0;
    const data = b.dataStart;
    const length = b.length;
    while (true) {
      if (this.pos >= length) {
        this.fail("unterminated string");
        return null;
      }
      const c = <u32>load<u8>(data + <usize>this.pos);
      if (c >= 0x20 && c < 0x80 && c != 0x22 && c != 0x5c) {
        // the common case: plain ASCII
        store<u16>(units.dataStart + (<usize>n << 1), <u16>c);
        n++;
        this.pos++;
        continue;
      }
      if (c == 0x22) {
        this.pos++;
        break;
      }
      if (c < 0x20) {
        this.fail("control character in a string");
        return null;
      }
      if (c == 0x5c) {
        this.pos++;
        if (this.pos >= b.length) {
          this.fail("unterminated string");
          return null;
        }
        const e = b[this.pos++];
        if (e == 0x22) units[n++] = 0x22;
        else if (e == 0x5c) units[n++] = 0x5c;
        else if (e == 0x2f) units[n++] = 0x2f;
        else if (e == 0x62) units[n++] = 0x08;
        else if (e == 0x66) units[n++] = 0x0c;
        else if (e == 0x6e) units[n++] = 0x0a;
        else if (e == 0x72) units[n++] = 0x0d;
        else if (e == 0x74) units[n++] = 0x09;
        else if (e == 0x75) {
          const u = this.hex4();
          if (u < 0) {
            this.fail("invalid \\u escape");
            return null;
          }
          units[n++] = <u16>u;
        } else {
          this.fail("invalid escape");
          return null;
        }
        continue;
      }
      if (c < 0x80) {
        units[n++] = <u16>c;
        this.pos++;
        continue;
      }
      let extra: i32;
      let cp: u32;
      if (c >= 0xc2 && c <= 0xdf) { extra = 1; cp = c & 0x1f; }
      else if (c >= 0xe0 && c <= 0xef) { extra = 2; cp = c & 0x0f; }
      else if (c >= 0xf0 && c <= 0xf4) { extra = 3; cp = c & 0x07; }
      else {
        this.fail("invalid UTF-8");
        return null;
      }
      if (this.pos + extra >= b.length) {
        this.fail("invalid UTF-8");
        return null;
      }
      for (let k = 1; k <= extra; k++) {
        const d = <u32>b[this.pos + k];
        if ((d & 0xc0) != 0x80) {
          this.fail("invalid UTF-8");
          return null;
        }
        cp = (cp << 6) | (d & 0x3f);
      }
      if ((extra == 2 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) || (extra == 3 && (cp < 0x10000 || cp > 0x10ffff))) {
        this.fail("invalid UTF-8");
        return null;
      }
      this.pos += extra + 1;
      if (cp >= 0x10000) {
        cp -= 0x10000;
        units[n++] = <u16>(0xd800 + (cp >> 10));
        units[n++] = <u16>(0xdc00 + (cp & 0x3ff));
      } else {
        units[n++] = <u16>cp;
      }
    }
    return String.UTF16.decodeUnsafe(units.dataStart, <usize>n << 1);
  }

  array(): JsonValue {
    const v = new JsonValue();
    v.kind = JSON_ARRAY;
    if (++this.depth > MAX_DEPTH) return this.fail("nested more than " + MAX_DEPTH.toString() + " levels deep");
    this.pos++;
    this.space();
    if (this.pos < this.bytes.length && this.bytes[this.pos] == 0x5d) {
      this.pos++;
      this.depth--;
      return v;
    }
    while (true) {
      const item = this.value();
      if (this.error !== null) return v;
      v.items.push(item);
      this.space();
      if (this.pos >= this.bytes.length) return this.fail("unterminated array");
      const c = this.bytes[this.pos++];
      if (c == 0x5d) break;
      if (c != 0x2c) return this.fail("expected , or ]");
    }
    this.depth--;
    return v;
  }

  object(): JsonValue {
    const v = JsonValue.object();
    if (++this.depth > MAX_DEPTH) return this.fail("nested more than " + MAX_DEPTH.toString() + " levels deep");
    this.pos++;
    this.space();
    if (this.pos < this.bytes.length && this.bytes[this.pos] == 0x7d) {
      this.pos++;
      this.depth--;
      return v;
    }
    while (true) {
      this.space();
      if (this.pos >= this.bytes.length || this.bytes[this.pos] != 0x22) return this.fail("expected a key");
      const key = this.string();
      if (key === null) return v;
      this.lastKey = key;
      this.space();
      if (this.pos >= this.bytes.length || this.bytes[this.pos] != 0x3a) return this.fail("expected :");
      this.pos++;
      const item = this.value();
      if (this.error !== null) return v;
      v.set(key, item);
      this.space();
      if (this.pos >= this.bytes.length) return this.fail("unterminated object");
      const c = this.bytes[this.pos++];
      if (c == 0x7d) break;
      if (c != 0x2c) return this.fail("expected , or }");
    }
    this.depth--;
    return v;
  }
}

/** Parses JSON bytes; null (and an error naming `at`) when they are not valid JSON in UTF-8. */
export function _parse(bytes: Uint8Array, at: string): JsonValue | null {
  const parser = new _Parser(bytes);
  const v = parser.value();
  if (parser.error === null) {
    parser.space();
    if (parser.pos < bytes.length) parser.fail("unexpected data after the value");
  }
  if (parser.error !== null) {
    setError(at + " is not valid JSON: " + parser.error!);
    return null;
  }
  return v;
}

/** UTF-8 bytes as a string; null (and an error) when they are not valid UTF-8. */
export function _text(bytes: Uint8Array, at: string): string | null {
  // reuse the JSON string decoder on a quoted copy, checking only UTF-8
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] < 0x20 || bytes[i] == 0x22 || bytes[i] == 0x5c) return _textSlow(bytes, at);
  }
  const quoted = new Uint8Array(bytes.length + 2);
  quoted[0] = 0x22;
  quoted.set(bytes, 1);
  quoted[bytes.length + 1] = 0x22;
  const parser = new _Parser(quoted);
  const s = parser.string();
  if (s === null) {
    setError(at + " is not valid UTF-8 text");
    return null;
  }
  return s;
}

function _textSlow(bytes: Uint8Array, at: string): string | null {
  // control characters, quotes and backslashes are fine in text: check UTF-8 by replacing them
  const copy = bytes.slice(0);
  for (let i = 0; i < copy.length; i++) {
    if (copy[i] < 0x20 || copy[i] == 0x22 || copy[i] == 0x5c) copy[i] = 0x20;
  }
  if (_text(copy, at) === null) return null;
  return String.UTF8.decodeUnsafe(bytes.dataStart, <usize>bytes.length);
}

// ---- decoding JSON values into typed values (an error names the path, e.g. input.headers["x"]) ----

export function _wrong<T>(at: string, what: string): T {
  setError(at + ": " + what);
  return _zero<T>();
}

export function _expected<T>(at: string, what: string, v: JsonValue): T {
  return _wrong<T>(at, "expected " + what + ", got " + v.typeName());
}

export function _decodeString(v: JsonValue, at: string): string {
  if (v.kind != JSON_STRING) return _expected<string>(at, "a string", v);
  return v.text;
}

export function _decodeBool(v: JsonValue, at: string): bool {
  if (v.kind != JSON_BOOL) return _expected<bool>(at, "a boolean", v);
  return v.bool;
}

function _isInteger(text: string): bool {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c == 0x2e || c == 0x65 || c == 0x45) return false;
  }
  return true;
}

export function _decodeI64(v: JsonValue, at: string): i64 {
  if (v.kind != JSON_NUMBER || !_isInteger(v.text)) return _expected<i64>(at, "an integer", v);
  const text = v.text;
  const negative = text.charCodeAt(0) == 0x2d;
  // accumulate towards the sign, so that the int64 minimum fits
  let value: i64 = 0;
  for (let i = negative ? 1 : 0; i < text.length; i++) {
    const d = <i64>(text.charCodeAt(i) - 0x30);
    if (negative) {
      if (value < (i64.MIN_VALUE + d) / 10) return _wrong<i64>(at, "integer out of range for int64");
      value = value * 10 - d;
    } else {
      if (value > (i64.MAX_VALUE - d) / 10) return _wrong<i64>(at, "integer out of range for int64");
      value = value * 10 + d;
    }
  }
  return value;
}

export function _decodeI32(v: JsonValue, at: string): i32 {
  const wide = _decodeI64(v, at);
  if (_failed()) return 0;
  if (wide < <i64>i32.MIN_VALUE || wide > <i64>i32.MAX_VALUE) return _wrong<i32>(at, "integer out of range for int32");
  return <i32>wide;
}

export function _decodeF64(v: JsonValue, at: string): f64 {
  if (v.kind != JSON_NUMBER) return _expected<f64>(at, "a number", v);
  return F64.parseFloat(v.text);
}

export function _decodeF32(v: JsonValue, at: string): f32 {
  const wide = _decodeF64(v, at);
  if (_failed()) return 0;
  if (isFinite(wide) && Math.abs(wide) > <f64>f32.MAX_VALUE * (1 + 1e-7)) return _wrong<f32>(at, "number out of range for a float");
  return <f32>wide;
}

export function _decodeAny(v: JsonValue, at: string): JsonValue {
  if (v.kind != JSON_OBJECT) return _expected<JsonValue>(at, "an object", v);
  return v;
}

function _base64Digit(c: i32): i32 {
  if (c >= 0x41 && c <= 0x5a) return c - 0x41;
  if (c >= 0x61 && c <= 0x7a) return c - 0x61 + 26;
  if (c >= 0x30 && c <= 0x39) return c - 0x30 + 52;
  if (c == 0x2b) return 62;
  if (c == 0x2f) return 63;
  return -1;
}

export function _decodeBytes(v: JsonValue, at: string): Uint8Array {
  if (v.kind != JSON_STRING) return _expected<Uint8Array>(at, "a base64 string", v);
  const text = v.text;
  if (text.length % 4 != 0) return _wrong<Uint8Array>(at, "not base64 (length is not a multiple of 4)");
  let padding = 0;
  if (text.length > 0 && text.charCodeAt(text.length - 1) == 0x3d) padding++;
  if (text.length > 1 && text.charCodeAt(text.length - 2) == 0x3d) padding++;
  const out = new Uint8Array(text.length / 4 * 3 - padding);
  let n = 0;
  for (let i = 0; i < text.length; i += 4) {
    let bits: u32 = 0;
    for (let k = 0; k < 4; k++) {
      const c = text.charCodeAt(i + k);
      let d = _base64Digit(c);
      if (d < 0) {
        if (c == 0x3d && i + k >= text.length - padding) d = 0;
        else return _wrong<Uint8Array>(at, "not base64 (character " + (i + k).toString() + ")");
      }
      bits = (bits << 6) | <u32>d;
    }
    if (n < out.length) out[n++] = <u8>(bits >> 16);
    if (n < out.length) out[n++] = <u8>(bits >> 8);
    if (n < out.length) out[n++] = <u8>bits;
  }
  return out;
}

export function _member(v: JsonValue, key: string, required: bool, at: string): JsonValue | null {
  const m = v.get(key);
  if (m === null && required) setError(at + "." + key + ": required property missing");
  return m;
}

// ---- encoding ----

const DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const HEX = "0123456789abcdef";

export class JsonWriter {
  bytes: Uint8Array = new Uint8Array(256);
  length: i32 = 0;

  /** Makes room for n more bytes. */
  reserve(n: i32): void {
    if (this.length + n <= this.bytes.length) return;
    let size = this.bytes.length * 2;
    while (size < this.length + n) size *= 2;
    const bigger = new Uint8Array(size);
    bigger.set(this.bytes.subarray(0, this.length));
    this.bytes = bigger;
  }

  byte(b: u32): void {
    this.reserve(1);
    store<u8>(this.bytes.dataStart + <usize>this.length, <u8>b);
    this.length++;
  }

  /** A byte where reserve made room (no check). */
  @inline put(b: u32): void {
    store<u8>(this.bytes.dataStart + <usize>this.length, <u8>b);
    this.length++;
  }

  raw(s: string): void {
    for (let i = 0; i < s.length; i++) this.byte(<u32>s.charCodeAt(i));
  }

  /** A string as UTF-8 bytes (for text/plain), without JSON quoting. */
  utf8(s: string, quote: bool): void {
    // at most 6 bytes per UTF-16 unit (a \u00XX escape)
    this.reserve(s.length * 6);
    const units = changetype<usize>(s);
    const n = s.length;
    for (let i = 0; i < n; i++) {
      let c = <u32>load<u16>(units + (<usize>i << 1));
      if (c < 0x80) {
        if (quote && (c == 0x22 || c == 0x5c)) {
          this.put(0x5c);
          this.put(c);
        } else if (quote && c < 0x20) {
          this.put(0x5c);
          this.put(0x75);
          this.put(0x30);
          this.put(0x30);
          this.put(<u32>HEX.charCodeAt(c >> 4));
          this.put(<u32>HEX.charCodeAt(c & 15));
        } else {
          this.put(c);
        }
        continue;
      }
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < n) {
        const low = <u32>load<u16>(units + (<usize>(i + 1) << 1));
        if (low >= 0xdc00 && low <= 0xdfff) {
          c = 0x10000 + ((c - 0xd800) << 10) + (low - 0xdc00);
          i++;
        }
      }
      if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd; // a lone surrogate
      if (c < 0x800) {
        this.put(0xc0 | (c >> 6));
      } else if (c < 0x10000) {
        this.put(0xe0 | (c >> 12));
        this.put(0x80 | ((c >> 6) & 0x3f));
      } else {
        this.put(0xf0 | (c >> 18));
        this.put(0x80 | ((c >> 12) & 0x3f));
        this.put(0x80 | ((c >> 6) & 0x3f));
      }
      this.put(0x80 | (c & 0x3f));
    }
  }

  string(s: string): void {
    this.byte(0x22);
    this.utf8(s, true);
    this.byte(0x22);
  }

  toBytes(): Uint8Array {
    return this.bytes.slice(0, this.length);
  }
}

export function _encodeString(w: JsonWriter, v: string): void {
  w.string(v);
}

export function _encodeBool(w: JsonWriter, v: bool): void {
  w.raw(v ? "true" : "false");
}

export function _encodeI32(w: JsonWriter, v: i32): void {
  w.raw(v.toString());
}

export function _encodeI64(w: JsonWriter, v: i64): void {
  w.raw(v.toString());
}

export function _encodeF64(w: JsonWriter, v: f64): void {
  w.raw(isFinite(v) ? v.toString() : "null");
}

export function _encodeF32(w: JsonWriter, v: f32): void {
  w.raw(isFinite(v) ? v.toString() : "null");
}

export function _encodeBytes(w: JsonWriter, v: Uint8Array): void {
  w.byte(0x22);
  let i = 0;
  for (; i + 3 <= v.length; i += 3) {
    const bits = (<u32>v[i] << 16) | (<u32>v[i + 1] << 8) | <u32>v[i + 2];
    w.byte(<u32>DIGITS.charCodeAt(bits >> 18));
    w.byte(<u32>DIGITS.charCodeAt((bits >> 12) & 63));
    w.byte(<u32>DIGITS.charCodeAt((bits >> 6) & 63));
    w.byte(<u32>DIGITS.charCodeAt(bits & 63));
  }
  if (i < v.length) {
    const two = i + 1 < v.length;
    const bits = (<u32>v[i] << 16) | (two ? <u32>v[i + 1] << 8 : 0);
    w.byte(<u32>DIGITS.charCodeAt(bits >> 18));
    w.byte(<u32>DIGITS.charCodeAt((bits >> 12) & 63));
    w.byte(two ? <u32>DIGITS.charCodeAt((bits >> 6) & 63) : 0x3d);
    w.byte(0x3d);
  }
  w.byte(0x22);
}

export function _encodeAny(w: JsonWriter, v: JsonValue): void {
  switch (v.kind) {
    case JSON_NULL: w.raw("null"); break;
    case JSON_BOOL: w.raw(v.bool ? "true" : "false"); break;
    case JSON_NUMBER: w.raw(v.text); break;
    case JSON_STRING: w.string(v.text); break;
    case JSON_ARRAY: {
      w.byte(0x5b);
      for (let i = 0; i < v.items.length; i++) {
        if (i > 0) w.byte(0x2c);
        _encodeAny(w, v.items[i]);
      }
      w.byte(0x5d);
      break;
    }
    default: {
      w.byte(0x7b);
      for (let i = 0; i < v.keys.length; i++) {
        if (i > 0) w.byte(0x2c);
        w.string(v.keys[i]);
        w.byte(0x3a);
        _encodeAny(w, v.items[i]);
      }
      w.byte(0x7d);
    }
  }
}
