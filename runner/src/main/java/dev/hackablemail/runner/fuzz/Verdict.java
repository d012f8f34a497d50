package dev.hackablemail.runner.fuzz;

/**
 * How one input fared: passed ({@code property} null) or broke a property, and why.
 *
 * @param property the property it broke, or null
 * @param message what happened, for a person
 * @param timedOut whether the call ran out of time (worth a second try: a loaded machine or a
 *     cold JVM can make a good call slow once)
 */
record Verdict(Property property, String message, boolean timedOut) {

    static final Verdict PASSED = new Verdict(null, null, false);

    Verdict(Property property, String message) {
        this(property, message, false);
    }

    boolean failed() {
        return property != null;
    }
}
