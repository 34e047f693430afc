package io.quire.client;

import io.grpc.Status;
import io.quire.api.context.v1.Entry;

/** Receives a {@link Watch}'s entries. Callbacks of one watch never run concurrently. */
public interface WatchListener {
    /**
     * The next entry: sequences strictly increase, none is skipped. If this throws, the watch ends for good with
     * {@link #onEnd} (CANCELLED, the exception as cause) and that entry does not count as delivered.
     */
    void onEntry(Entry entry);

    /** The watch ended for good: a status that is not retried, or too many failed reconnects. Not called on close. */
    default void onEnd(Status status) {}

    /** The stream ended with {@code status} and will be resumed after {@code lastSequence} in {@code delayMillis}. */
    default void onReconnect(Status status, long lastSequence, long delayMillis) {}
}
