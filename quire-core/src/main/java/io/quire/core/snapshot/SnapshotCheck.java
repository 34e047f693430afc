package io.quire.core.snapshot;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;

/**
 * The named checks a snapshot must pass. Every refusal is a {@link QuireException} of kind
 * INVALID_INPUT whose message starts with {@code "snapshot check failed: <name>: "}; its
 * {@link Where} carries the byte offset and/or the stream and seq it applies to, so a caller
 * (and the CLI) can say exactly where a snapshot went wrong.
 */
enum SnapshotCheck {
    /** The first 8 bytes are not the snapshot magic: not a snapshot at all. */
    MAGIC("magic"),
    /** Format version unknown (newer, or 0) or flags this version does not define. */
    VERSION("version"),
    /** The input ended before the layout said it would. */
    TRUNCATED("truncated"),
    /** The SHA-256 trailer does not match the bytes before it, or bytes follow it. */
    TRAILER("trailer"),
    /** A length or count is over its limit (field limits of {@code Limits}, or {@link SnapshotLimits}). */
    LIMIT("limit"),
    /** Bytes that do not decode canonically: invalid UTF-8, metadata keys not strictly ascending. */
    ENCODING("encoding"),
    /** The stream name is not a valid stream name, or an entry belongs to another stream. */
    STREAM_NAME("stream-name"),
    /** Sequences are not 1, 2, 3, … in order. */
    SEQUENCE("sequence"),
    /** An entry's stored hash is not the hash of its fields. */
    ENTRY_HASH("entry-hash"),
    /** An entry's prev_hash is not the previous entry's hash (Hash.ZERO for seq 1). */
    CHAIN("chain"),
    /** The stored stream root is not the RFC 6962 root of the entries' hashes. */
    MERKLE_ROOT("merkle-root");

    static final String PREFIX = "snapshot check failed: ";

    private final String checkName;

    SnapshotCheck(String checkName) { this.checkName = checkName; }

    String checkName() { return checkName; }

    QuireException fail(String detail, Where where) {
        return new QuireException(ErrorKind.INVALID_INPUT, PREFIX + checkName + ": " + detail, where);
    }

    QuireException failAtOffset(String detail, long offset) { return fail(detail, new Where(null, offset, null, -1, -1)); }

    QuireException failAtSeq(String detail, String stream, long seq) { return fail(detail, Where.stream(stream, seq)); }
}
