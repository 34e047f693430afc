package io.quire.core.watch;

/**
 * Why a watch ended, with the last sequence delivered so the caller can resume from it
 * ({@code afterSeq = lastSeq}).
 */
public record WatchEnd(Reason reason, long lastSeq, Throwable error) {
    public enum Reason {
        /** {@link Watch#close()} was called. */
        CANCELLED,
        /** The watcher fell more than its allowed lag behind the head; resume from {@code lastSeq}. */
        LAGGING,
        /** The ledger is closing. */
        LEDGER_CLOSED,
        /** The listener threw or reading failed; see {@code error}. */
        FAILED
    }
}
