package dev.hackablemail.simulations;

import dev.hackablemail.junit.Simulations;

/**
 * Runs {@code email.simulation.yaml} under Surefire: the xtp-simulation engine turns this
 * class into the simulation's container, each group into a container and each assert into a
 * test. The class has no body; the simulation is the test.
 */
@Simulations("email.simulation.yaml")
class EmailSimulationTest {}
