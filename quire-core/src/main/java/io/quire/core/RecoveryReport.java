package io.quire.core;

/**
 * What opening the ledger did: whether it was closed cleanly, how many bytes of a torn tail (never
 * acknowledged) it truncated and where, and how many entries it re-derived into the indexes.
 */
public record RecoveryReport(boolean cleanShutdown, String tornFile, long tornOffset, long tornBytes,
                             long reindexedEntries) {
    public boolean truncated() { return tornBytes > 0; }

    @Override public String toString() {
        if (!truncated()) return "clean=" + cleanShutdown + " reindexed=" + reindexedEntries;
        return "clean=" + cleanShutdown + " torn tail truncated: " + tornBytes + " bytes at " + tornFile
                + " offset " + tornOffset + " reindexed=" + reindexedEntries;
    }
}
