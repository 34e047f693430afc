package io.quire.client;

/** A proof, signature or entry that did not check out; the message names the failed check. */
public final class VerificationException extends RuntimeException {
    public VerificationException(String message) { super(message); }

    public VerificationException(String message, Throwable cause) { super(message, cause); }
}
