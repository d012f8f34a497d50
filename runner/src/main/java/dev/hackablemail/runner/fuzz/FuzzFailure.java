package dev.hackablemail.runner.fuzz;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A failing input, shrunk.
 *
 * @param property the property it breaks
 * @param message what the shrunk input does, for a person
 * @param input the shrunk input (a JSON value; a string for text inputs)
 * @param hostSeed the seed of the generated host answers it fails with
 * @param caseNumber which generated input (from 1) first failed this way
 * @param originalBytes the size of that first failing input
 * @param inputBytes the size of the shrunk input
 * @param shrinkAttempts how many candidates the shrinker tried
 */
public record FuzzFailure(Property property, String message, JsonNode input, long hostSeed, int caseNumber,
        int originalBytes, int inputBytes, int shrinkAttempts) {

    /** The shrunk input as one line of JSON, cut after {@code max} characters. */
    public String inputText(int max) {
        String text = input.toString();
        return text.length() <= max ? text : text.substring(0, max) + "... (" + inputBytes + " bytes in all)";
    }

    /** The message and the shrunk input, for a failed test or a rejection. */
    public String summary(long seed, int maxInput) {
        return message + "\nshrunk input (" + inputBytes + " bytes; seed " + seed + ", input " + caseNumber
                + ", host seed " + hostSeed + "): " + inputText(maxInput);
    }
}
