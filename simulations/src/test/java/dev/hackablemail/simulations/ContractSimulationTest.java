package dev.hackablemail.simulations;

import dev.hackablemail.junit.Simulations;

/**
 * Runs {@code contract.simulation.yaml} under Surefire, the same module the push gate runs on
 * every plugin (its host-call observations included): the example plugin honours the contract.
 */
@Simulations("contract.simulation.yaml")
class ContractSimulationTest {}
