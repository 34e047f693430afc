package io.quire.core.watch;

/** A running watch. Closing it is idempotent; the listener then gets {@code onEnd(CANCELLED)}. */
public interface Watch extends AutoCloseable {
    String stream();

    /** The last sequence delivered to the listener (the resume point). */
    long lastDeliveredSeq();

    /** True once the watch has delivered its backlog and reached the stream's head at least once. */
    boolean live();

    /** Entries published in the stream after the watch's read cursor (0 when caught up). */
    long lag();

    /** Blocks until the watch has ended (for tests and the CLI). Returns the end. */
    WatchEnd awaitEnd() throws InterruptedException;

    @Override void close();
}
