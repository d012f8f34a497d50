package dev.hackablemail.runner.project;

/** An {@code xtp.toml} that cannot be used; the message names the file and the problem. */
public class XtpTomlException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public XtpTomlException(String message) {
        super(message);
    }
}
