package io.quire.context;

import io.quire.core.QuireException;

/**
 * Tunables of the context service.
 *
 * @param watchLagEntriesMax a watcher further behind the head than this is ended with RESOURCE_EXHAUSTED (resume it)
 * @param watchStallMsMax    a watcher whose client has not read for this long is ended with RESOURCE_EXHAUSTED
 * @param watchersTotalMax   running watches in the whole service
 */
public record ContextOptions(long watchLagEntriesMax, long watchStallMsMax, int watchersTotalMax) {
    public ContextOptions {
        if (watchLagEntriesMax < 1) throw QuireException.invalid("watch lag must be >= 1 entries, got " + watchLagEntriesMax);
        if (watchStallMsMax < 1) throw QuireException.invalid("watch stall must be >= 1 ms, got " + watchStallMsMax);
        if (watchersTotalMax < 1) throw QuireException.invalid("watchers total must be >= 1, got " + watchersTotalMax);
    }

    public static ContextOptions defaults() {
        return new ContextOptions(ContextLimits.WATCH_LAG_ENTRIES_DEFAULT, ContextLimits.WATCH_STALL_MS_DEFAULT, ContextLimits.WATCHERS_TOTAL_DEFAULT);
    }

    public ContextOptions withWatchLagEntriesMax(long n) { return new ContextOptions(n, watchStallMsMax, watchersTotalMax); }

    public ContextOptions withWatchStallMsMax(long ms) { return new ContextOptions(watchLagEntriesMax, ms, watchersTotalMax); }

    public ContextOptions withWatchersTotalMax(int n) { return new ContextOptions(watchLagEntriesMax, watchStallMsMax, n); }
}
