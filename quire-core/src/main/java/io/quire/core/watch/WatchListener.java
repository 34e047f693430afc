package io.quire.core.watch;

import io.quire.core.Entry;

/**
 * Receives a watch's entries, in order, exactly once each, on the watch's own (virtual) thread.
 * {@link #onEntry} may block: that is the back-pressure, and the ledger never buffers for a slow
 * listener (the watch reads from the log at its own pace). {@link #onEnd} is called exactly once.
 */
public interface WatchListener {
    void onEntry(Entry entry) throws Exception;

    default void onEnd(WatchEnd end) {}
}
