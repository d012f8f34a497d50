package dev.hackablemail.filter;

import dev.hackablemail.onemail.IncomingEmail;

/**
 * What the core shows of one message's handling beyond its {@link Outcome}, for
 * {@code hackable-email try} ({@code trial.MailTrial}), which prints it. The pipe filter and the
 * daemon pass {@link #NONE}: nothing is kept for them.
 */
public interface FilterTrace {

    FilterTrace NONE = new FilterTrace() {};

    /** The mail {@code onEmail} was given (its JSON input is written from it, headers in this order). */
    default void pluginInput(IncomingEmail email) {}

    /**
     * A host function the plugin called, with the payload as the plugin passed it, and the
     * answer it got (a JSON integer), or, when the call failed the plugin, why (answer null).
     */
    default void hostCall(String function, byte[] payload, String answer, String failure) {}

    /** A line the plugin logged (level, message as the plugin wrote it). */
    default void guestLog(String level, String message) {}

    /** An answer ({@code reply}, {@code invitation}) that is not sent, and the rule that suppressed it. */
    default void suppressed(String what, String rule) {}

    /** A {@code deliver} or an answer the host refused as the plugin asked for it (it cannot be applied or sent faithfully), and why. */
    default void refused(String what, String why) {}
}
