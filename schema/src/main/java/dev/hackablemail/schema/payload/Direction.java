package dev.hackablemail.schema.payload;

/** Which side of a call a payload is: what the caller passes, or what the callee returns. */
public enum Direction {
    INPUT,
    OUTPUT;

    String word() {
        return this == INPUT ? "input" : "output";
    }
}
