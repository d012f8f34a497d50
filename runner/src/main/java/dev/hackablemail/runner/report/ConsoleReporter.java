package dev.hackablemail.runner.report;

import dev.hackablemail.runner.sim.AssertionResult;
import dev.hackablemail.runner.sim.SimulationListener;
import dev.hackablemail.runner.sim.SimulationResult;
import dev.hackablemail.runner.sim.SimulationSpec;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Prints a simulation as it runs, for a person reading a terminal or a CI log: each group,
 * each assert with a pass or fail mark and, on failure, its reason; timings measured with
 * {@code time}; then the line {@code N passed, M failed}. Colour only when asked to.
 */
public final class ConsoleReporter implements SimulationListener {

    private static final String GREEN = "\u001b[32m";
    private static final String RED = "\u001b[31m";
    private static final String DIM = "\u001b[2m";
    private static final String BOLD = "\u001b[1m";
    private static final String RESET = "\u001b[0m";

    private final PrintWriter out;
    private final boolean color;
    private boolean inGroup;

    public ConsoleReporter(PrintWriter out, boolean color) {
        this.out = out;
        this.color = color;
    }

    @Override
    public void simulationStarted(SimulationSpec spec) {
        out.println(paint(BOLD, "simulation " + spec.name()) + paint(DIM, " (test " + spec.testModule()
                + ", plugin " + spec.pluginName() + spec.mockHost().map(h -> ", mock host " + h).orElse("")
                + (spec.wasi().seed().isPresent() ? ", seed " + spec.wasi().seed().getAsLong() : "") + ")"));
        out.flush();
    }

    @Override
    public void groupStarted(String name) {
        out.println("  " + paint(BOLD, name));
        inGroup = true;
        out.flush();
    }

    @Override
    public void assertion(AssertionResult result) {
        String indent = inGroup ? "    " : "  ";
        if (result.passed()) {
            out.println(indent + paint(GREEN, "✓") + " " + result.name());
        } else {
            String reason = result.reason() == null || result.reason().isEmpty() ? "" : ": " + result.reason();
            out.println(indent + paint(RED, "✗ " + result.name() + reason));
        }
        out.flush();
    }

    @Override
    public void callTimed(String group, String function, long nanos) {
        out.println((inGroup ? "    " : "  ") + paint(DIM, "⏱ " + function + " took " + formatNanos(nanos)));
        out.flush();
    }

    @Override
    public void simulationFinished(SimulationResult result) {
        if (result.failure() != null) {
            out.println(paint(RED, "  " + result.failure()));
        }
        String summary = result.passed() + " passed, " + result.failed() + " failed";
        out.println(paint(result.successful() ? GREEN : RED, summary));
        out.println(paint(DIM, result.name() + (result.successful() ? " passed" : " FAILED") + " in "
                + formatNanos(result.elapsed().toNanos())));
        out.flush();
        inGroup = false;
    }

    private String paint(String style, String text) {
        return color ? style + text + RESET : text;
    }

    /** 734 ns, 12.3 µs, 4.56 ms, 1.23 s. */
    public static String formatNanos(long nanos) {
        if (nanos < 1_000) {
            return nanos + " ns";
        }
        if (nanos < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f µs", nanos / 1e3);
        }
        if (nanos < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.2f ms", nanos / 1e6);
        }
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }
}
