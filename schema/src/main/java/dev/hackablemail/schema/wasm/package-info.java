/**
 * Checks a plugin's Wasm module against an XTP schema without running it: its exports
 * and imports, read with Chicory's parser. Entry point: {@link dev.hackablemail.schema.wasm.PluginChecker}.
 */
package dev.hackablemail.schema.wasm;
