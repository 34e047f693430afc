package io.quire.core.snapshot;

import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;

/**
 * A bounded, hashing, big-endian reader over the snapshot input. It is the only place that
 * allocates while decoding, and it checks every length first: against the field's own limit and
 * against what {@link SnapshotLimits#bytesMax()} still allows. An input stream's remaining length
 * is unknown, so the allowance stands in for it, and {@link InputStream#readNBytes(int)} reads in
 * chunks, so a length that claims more than the input holds costs at most what was really read.
 * Every byte read is fed to the trailer digest until {@link #trailerDigest()} is taken.
 */
final class SnapshotInput {
    private final InputStream in;
    private final long bytesMax;
    private final MessageDigest trailer = Hash.sha256();
    private long offset;

    SnapshotInput(InputStream in, long bytesMax) {
        this.in = in;
        this.bytesMax = bytesMax;
    }

    long offset() { return offset; }

    /** Exactly {@code n} bytes, hashed into the trailer digest; {@code what} names the field in errors. */
    byte[] bytes(long n, long fieldMax, String what) {
        checkLength(n, fieldMax, what);
        byte[] b = readExactly((int) n, what);
        trailer.update(b);
        return b;
    }

    int u16(String what) { return Short.toUnsignedInt(fixed(Short.BYTES, what).getShort()); }

    long u64(String what) { return fixed(Long.BYTES, what).getLong(); }

    /** A u32 length or count, returned as a non-negative long (u32 is unsigned on the wire). */
    long u32(String what) { return Integer.toUnsignedLong(fixed(Integer.BYTES, what).getInt()); }

    Hash hash(String what) { return Hash.of(bytes(Hash.BYTES, Hash.BYTES, what)); }

    /** A u32-length-prefixed UTF-8 string of at most {@code bytesMax} bytes, decoded strictly. */
    String utf8(long fieldBytesMax, String what) {
        long n = u32(what + " length");
        long at = offset;
        byte[] b = bytes(n, fieldBytesMax, what);
        return decodeUtf8(b, what, at);
    }

    /** A u32-length-prefixed byte string of at most {@code fieldBytesMax} bytes. */
    byte[] blob(long fieldBytesMax, String what) { return bytes(u32(what + " length"), fieldBytesMax, what); }

    /** The SHA-256 of everything read so far; after this, reads are no longer hashed. */
    Hash trailerDigest() { return Hash.finish(trailer); }

    /** Reads the trailer itself, which is not part of what it covers. */
    Hash unhashedHash(String what) {
        checkLength(Hash.BYTES, Hash.BYTES, what);
        return Hash.of(readExactly(Hash.BYTES, what));
    }

    /** The snapshot is the whole input: anything after the trailer is refused. */
    void expectEnd() {
        int next;
        try {
            next = in.read();
        } catch (IOException e) {
            throw ioError(e);
        }
        if (next != -1) throw SnapshotCheck.TRAILER.failAtOffset("unexpected bytes after the trailer", offset);
    }

    private ByteBuffer fixed(int n, String what) {
        checkLength(n, n, what);
        byte[] b = readExactly(n, what);
        trailer.update(b);
        // The snapshot layout is big-endian throughout; say so rather than rely on the default.
        return ByteBuffer.wrap(b).order(ByteOrder.BIG_ENDIAN);
    }

    private void checkLength(long n, long fieldMax, String what) {
        if (n > fieldMax) {
            throw SnapshotCheck.LIMIT.failAtOffset(what + " is " + n + " bytes; the limit is " + fieldMax, offset);
        }
        if (n > bytesMax - offset) {
            throw SnapshotCheck.LIMIT.failAtOffset(what + " needs " + n + " bytes but the snapshot limit of "
                    + bytesMax + " bytes leaves " + (bytesMax - offset), offset);
        }
    }

    private byte[] readExactly(int n, String what) {
        byte[] b;
        try {
            b = in.readNBytes(n);
        } catch (IOException e) {
            throw ioError(e);
        }
        if (b.length < n) {
            throw SnapshotCheck.TRUNCATED.failAtOffset("input ended in " + what + " after " + b.length
                    + " of " + n + " bytes", offset + b.length);
        }
        offset += n;
        return b;
    }

    /**
     * Strict decoding: malformed or overlong UTF-8 is refused rather than replaced, so every
     * string re-encodes to exactly the bytes that were hashed.
     */
    static String decodeUtf8(byte[] b, String what, long at) {
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b));
            return chars.toString();
        } catch (CharacterCodingException e) {
            throw SnapshotCheck.ENCODING.failAtOffset(what + " is not valid UTF-8", at);
        }
    }

    private QuireException ioError(IOException e) {
        return QuireException.io("reading the snapshot failed: " + e.getMessage(), new Where(null, offset, null, -1, -1), e);
    }
}
