package io.quire.core.snapshot;

import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A buffered, hashing, counting, big-endian writer for the snapshot layout. The count lets the
 * encoder assert that it wrote exactly the size it computed beforehand (a pair assertion).
 */
final class SnapshotOutput {
    private static final int BUFFER_BYTES = 64 * 1024;

    private final OutputStream out;
    private final MessageDigest trailer = Hash.sha256();
    // Big-endian is the snapshot's byte order; set explicitly, never assumed.
    private final ByteBuffer scratch = ByteBuffer.allocate(Long.BYTES).order(ByteOrder.BIG_ENDIAN);
    private long written;

    SnapshotOutput(OutputStream out) { this.out = new BufferedOutputStream(out, BUFFER_BYTES); }

    long written() { return written; }

    void raw(byte[] b) {
        trailer.update(b);
        put(b, b.length);
    }

    void u16(int v) { scratch.clear().putShort((short) v); fromScratch(Short.BYTES); }

    void u32(long v) { scratch.clear().putInt((int) v); fromScratch(Integer.BYTES); }

    void u64(long v) { scratch.clear().putLong(v); fromScratch(Long.BYTES); }

    void hash(Hash h) { raw(h.toBytes()); }

    void lengthPrefixed(byte[] b) { u32(b.length); raw(b); }

    void utf8(String s) { lengthPrefixed(s.getBytes(StandardCharsets.UTF_8)); }

    /** Writes the SHA-256 of everything written so far (not hashed itself) and flushes. */
    void trailerAndFlush() {
        put(trailer.digest(), Hash.BYTES);
        try {
            out.flush();
        } catch (IOException e) {
            throw ioError(e);
        }
    }

    private void fromScratch(int n) {
        byte[] b = new byte[n];
        scratch.flip().get(b);
        raw(b);
    }

    private void put(byte[] b, int n) {
        try {
            out.write(b, 0, n);
        } catch (IOException e) {
            throw ioError(e);
        }
        written += n;
    }

    private QuireException ioError(IOException e) {
        return QuireException.io("writing the snapshot failed: " + e.getMessage(), new Where(null, written, null, -1, -1), e);
    }
}
