package dev.hackablemail.simulations;

import dev.hackablemail.junit.Simulations;

/**
 * Runs {@code exact-subject.simulation.yaml}: the example plugin's variant that reads
 * {@code headers["Subject"]} spelled exactly so, as the upstream demo does. It passes only
 * because the host hands canonical header names ({@code schema/on-email.yaml}); the
 * simulation hands them the same way.
 */
@Simulations("exact-subject.simulation.yaml")
class ExactSubjectSimulationTest {}
