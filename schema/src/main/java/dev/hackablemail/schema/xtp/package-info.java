/**
 * XTP schemas (versions {@code v1-draft} and {@code v0}): the model, the parser and the
 * validator.
 *
 * <p>Entry point: {@link dev.hackablemail.schema.xtp.SchemaParser}. It reads the YAML
 * with SnakeYAML's node API, so that every {@link dev.hackablemail.schema.xtp.Problem}
 * carries the dotted path of the offending value (e.g. {@code exports.onEmail.input.$ref})
 * and, where SnakeYAML knows it, the line and column. All problems of a file are reported
 * at once; the parser never stops at the first one.
 */
package dev.hackablemail.schema.xtp;
