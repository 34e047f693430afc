package io.quire.core.blob;

import io.quire.core.Hash;

import java.io.InputStream;
import java.io.OutputStream;
import java.util.Optional;

/**
 * Content-addressed blob store (DESIGN §3.2): {@code blobs/sha256/ab/cdef…}, written atomically
 * (temp, fsync, rename, fsync dir), deduplicated, streamed in chunks, verified on read.
 */
public interface BlobStore {
    /** Stores the stream's bytes and returns their SHA-256. Storing the same bytes twice is a no-op. */
    Hash put(InputStream in);

    default Hash put(byte[] bytes) { return put(new java.io.ByteArrayInputStream(bytes)); }

    /**
     * Streams the blob into {@code out}, verifying its digest; INTEGRITY error if it does not match.
     * The digest can only be known at the end, so on a mismatch the bytes have already been
     * written to {@code out}: stream into a temporary place and commit only when this returns.
     */
    void get(Hash digest, OutputStream out);

    /** Reads a whole blob into memory (verified). NOT_FOUND if absent. */
    byte[] getBytes(Hash digest);

    boolean contains(Hash digest);

    Optional<Long> size(Hash digest);

    /** Every stored digest, in ascending order. */
    java.util.List<Hash> list();

    /** Re-hashes a stored blob; empty when it verifies, otherwise what is wrong. */
    Optional<String> check(Hash digest);
}
