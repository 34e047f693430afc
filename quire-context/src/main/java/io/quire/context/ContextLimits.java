package io.quire.context;

import io.quire.core.Limits;

/**
 * Every limit of the context ledger, named with its unit last (STYLE "Limits"). Each is tested at
 * {@code max} and {@code max + 1} through a real server ({@code ContextLimitsIT}).
 */
public final class ContextLimits {
    private ContextLimits() {}

    /** A context is the core stream {@code ctx/<context_id>}. */
    public static final String STREAM_PREFIX = "ctx/";

    /** Context ids are 1..251 bytes of UTF-8, no NUL: the stream name {@code ctx/<id>} must fit the core's 255. */
    public static final int CONTEXT_ID_BYTES_MAX = Limits.STREAM_NAME_BYTES_MAX - STREAM_PREFIX.length();

    /** Metadata keys starting with this are the ledger's own: refused from clients, hidden from them. */
    public static final String RESERVED_METADATA_PREFIX = "quire.";
    /** Where an entry's Lamport clock is stored (hashed with the entry, so it is part of the chain). */
    public static final String LAMPORT_METADATA_KEY = "quire.lamport";
    /** Client metadata entries: one of the core's 64 is kept for {@link #LAMPORT_METADATA_KEY}. */
    public static final int CLIENT_METADATA_ENTRIES_MAX = Limits.METADATA_ENTRIES_MAX - 1;
    /** Client metadata bytes: room is kept for the Lamport key and a 20-digit value. */
    public static final int CLIENT_METADATA_BYTES_MAX = Limits.METADATA_BYTES_MAX - 64;

    /**
     * Largest Lamport value a client may send: far below 2^63, so that ticking from it can never
     * overflow (it would take 2^62 appends), and a client cannot wedge a context's clock.
     */
    public static final long LAMPORT_MAX = 1L << 62;

    /** Largest encoded Get response; a bigger answer is refused with RESOURCE_EXHAUSTED (page with limit). */
    public static final int GET_RESPONSE_BYTES_MAX = 64 * 1024 * 1024;
    /** Largest snapshot served or accepted by one call (the gRPC message limit of the server must allow it). */
    public static final int SNAPSHOT_BYTES_MAX = 64 * 1024 * 1024;

    /** Default: a watcher more than this many entries behind the head is ended (RESOURCE_EXHAUSTED). */
    public static final long WATCH_LAG_ENTRIES_DEFAULT = 10_000;
    /** Default: a watcher whose client has not read for this long is ended (RESOURCE_EXHAUSTED). */
    public static final long WATCH_STALL_MS_DEFAULT = 30_000;
    /** Default: running watches in the whole server (each holds a virtual thread). */
    public static final int WATCHERS_TOTAL_DEFAULT = 4096;

    static {
        // The Lamport entry must always fit next to the client's metadata, or a valid request
        // could be refused by the core for a field the client never sent.
        long lamportBytes = LAMPORT_METADATA_KEY.length() + Long.toUnsignedString(-1L).length();
        if (CLIENT_METADATA_BYTES_MAX + lamportBytes > Limits.METADATA_BYTES_MAX) {
            throw new ExceptionInInitializerError("bad limits: CLIENT_METADATA_BYTES_MAX leaves no room for the Lamport entry");
        }
        if (CONTEXT_ID_BYTES_MAX < 1) throw new ExceptionInInitializerError("bad limits: CONTEXT_ID_BYTES_MAX < 1");
        // A maximal entry must fit a Get response, or limit 1 could never return it.
        if (GET_RESPONSE_BYTES_MAX < 2L * Limits.PAYLOAD_BYTES_MAX) throw new ExceptionInInitializerError("bad limits: GET_RESPONSE_BYTES_MAX");
    }
}
