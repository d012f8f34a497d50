package dev.hackablemail.runner.fuzz;

import java.util.Locale;

/**
 * What every call of the fuzzed export must hold, whatever the input. A failing input
 * breaks one of them; when it breaks several, the first in this order is reported (a bad
 * host payload usually explains the error that follows it).
 */
public enum Property {
    HOST_PAYLOADS("host payloads match the schema"),
    NO_TRAP_OR_ERROR("no trap or error"),
    NO_TIMEOUT_OR_LIMIT("no timeout or limit"),
    OUTPUT_MATCHES_SCHEMA("output matches the schema"),
    DETERMINISTIC("deterministic");

    private final String title;

    Property(String title) {
        this.title = title;
    }

    /** How tests and reports name it, e.g. "no trap or error". */
    public String title() {
        return title;
    }

    /** A file-name friendly id, e.g. "no-trap-or-error". */
    public String id() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
