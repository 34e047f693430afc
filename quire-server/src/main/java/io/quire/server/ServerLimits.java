package io.quire.server;

import io.quire.context.ContextLimits;

/** Limits of the server, named with their unit last; each has a default shown by {@code quire serve --help}. */
public final class ServerLimits {
    private ServerLimits() {}

    /** Default largest inbound gRPC message: a maximal snapshot plus room for the request around it. */
    public static final int MESSAGE_BYTES_DEFAULT = ContextLimits.SNAPSHOT_BYTES_MAX + 1024 * 1024;
    /** Smallest allowed inbound message limit: a maximal entry must fit an Append. */
    public static final int MESSAGE_BYTES_MIN = io.quire.core.Limits.PAYLOAD_BYTES_MAX + io.quire.core.Limits.METADATA_BYTES_MAX + 4096;
    /** Largest inbound header block (tokens and the like). */
    public static final int METADATA_BYTES_MAX = 16 * 1024;
    /** Concurrent calls on one connection (watches included). */
    public static final int CALLS_PER_CONNECTION_MAX = 2048;
    /** Default time a graceful shutdown waits for in-flight calls before cutting them. */
    public static final long DRAIN_MS_DEFAULT = 10_000;
    /**
     * Default Netty event loops: one per CPU, not Netty's two. The loops only move bytes and frame HTTP/2; every
     * handler runs on a virtual thread. On 2 vCPUs, 2 loops instead of 4 gave 14.0k and 16.0k appends/s with 64
     * clients against 8.7k to 11.7k (docs/BENCHMARKS.md, run W5-6).
     */
    public static final int EVENT_LOOPS_DEFAULT = Math.max(1, Runtime.getRuntime().availableProcessors());
    /** More loops than this is a typo, not a tuning. */
    public static final int EVENT_LOOPS_MAX = 1024;
    /** Bearer tokens are 16..512 characters: short ones are guessable, long ones are a mistake. */
    public static final int TOKEN_CHARS_MIN = 16;
    public static final int TOKEN_CHARS_MAX = 512;

    static {
        if (MESSAGE_BYTES_DEFAULT < MESSAGE_BYTES_MIN) throw new ExceptionInInitializerError("bad limits: MESSAGE_BYTES_DEFAULT < MESSAGE_BYTES_MIN");
    }
}
