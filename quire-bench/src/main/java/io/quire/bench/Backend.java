package io.quire.bench;

import java.util.List;

/**
 * One system under test, reduced to what the workloads need. Implementations: {@link QuireBackend},
 * {@link SqliteBackend}, {@link RawBackend}. Sequence numbers are per stream, 1-based and contiguous.
 */
public interface Backend extends AutoCloseable {

    /** "quire", "sqlite" or "raw-fsync" (the JSON {@code system} field). */
    String system();

    /** A single-thread appender (each writer thread gets its own; SQLite: its own connection). */
    Appender appender(String stream) throws Exception;

    /** Appends all payloads to {@code stream}, durable together per the backend's durability. */
    void appendBatch(String stream, List<byte[]> payloads) throws Exception;

    /** Reads (and materializes) up to {@code limit} entries with seq > afterSeq; returns how many. */
    int readPage(String stream, long afterSeq, int limit) throws Exception;

    @Override void close() throws Exception;

    interface Appender extends AutoCloseable {
        void append(byte[] payload) throws Exception;

        @Override default void close() throws Exception {}
    }
}
