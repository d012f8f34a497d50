package dev.hackablemail.schema.xtp;

/** A place in a YAML file, both numbers counting from 1 as editors do. */
public record Location(int line, int column) {

    @Override
    public String toString() {
        return line + ":" + column;
    }
}
