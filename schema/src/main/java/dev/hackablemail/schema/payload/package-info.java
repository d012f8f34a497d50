/**
 * Checks the payloads that cross the host boundary (an export's input and output, an
 * import's input and output) against a schema. Entry point:
 * {@link dev.hackablemail.schema.payload.PayloadValidator}.
 */
package dev.hackablemail.schema.payload;
