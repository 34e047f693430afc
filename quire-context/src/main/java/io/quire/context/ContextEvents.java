package io.quire.context;

/** What the services report for metrics; the server implements it with Micrometer. No-op by default. */
public interface ContextEvents {
    ContextEvents NONE = new ContextEvents() {};

    /** One entry was appended (not an idempotent replay) with this many payload bytes. */
    default void appended(String contextId, long payloadBytes) {}

    /** A Load appended this many entries. */
    default void loaded(String contextId, long entries) {}

    /** The number of running watches changed by {@code delta}. */
    default void watchers(int delta) {}

    /** A watch was ended because its client fell behind. */
    default void watchLagging() {}

    /** A checkpoint was served covering {@code size} entries. */
    default void checkpoint(long size) {}
}
