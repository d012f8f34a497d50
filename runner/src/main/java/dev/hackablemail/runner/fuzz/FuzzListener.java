package dev.hackablemail.runner.fuzz;

/** Hears how a fuzzing run goes, for progress output. Every method has a silent default. */
public interface FuzzListener {

    FuzzListener SILENT = new FuzzListener() {};

    /** {@code runs} inputs have run, in {@code elapsedNanos}. */
    default void progress(int runs, long elapsedNanos) {}

    /** Input number {@code caseNumber} broke {@code property} for the first time; shrinking follows. */
    default void found(Property property, int caseNumber, String message) {}

    /** A failure was shrunk. */
    default void shrunk(FuzzFailure failure, long nanos) {}
}
