package io.quire.windows.engines;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Progress counters of one engine (read by the runner's meters and the CLI). Monotonic except
 * {@code backlog}, which is the last scan's count of windows not yet done (ready or waiting).
 */
public final class EngineStats {
    /** Windows whose column(s) this engine filled (one per slot written). */
    public final AtomicLong windowsProcessed = new AtomicLong();
    /** Of those, windows taken from a priority region before the default queue. */
    public final AtomicLong regionWindows = new AtomicLong();
    /** Claims or writes refused by the slot layer (someone else changed the slot): re-read, never overwritten. */
    public final AtomicLong conflicts = new AtomicLong();
    /** Pending claims given back (no output for the window, a failure, or shutdown). */
    public final AtomicLong released = new AtomicLong();
    /** Greeks recomputed because rf_rate_ref's version changed. */
    public final AtomicLong recomputed = new AtomicLong();
    /** Malformed input rows (ingest), each also reported with file and line. */
    public final AtomicLong malformedRows = new AtomicLong();
    /** Windows not done at the last scan. */
    public final AtomicLong backlog = new AtomicLong();
}
