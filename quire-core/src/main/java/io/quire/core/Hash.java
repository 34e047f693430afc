package io.quire.core;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/** A SHA-256 digest: 32 immutable bytes, printed as lowercase hex. */
public final class Hash implements Comparable<Hash> {
    public static final int BYTES = 32;
    public static final Hash ZERO = new Hash(new byte[BYTES]);
    private static final HexFormat HEX = HexFormat.of();

    private final byte[] bytes;

    private Hash(byte[] bytes) { this.bytes = bytes; }

    /** Wraps a copy of {@code b}, which must be exactly 32 bytes. */
    public static Hash of(byte[] b) {
        if (b.length != BYTES) throw new IllegalArgumentException("hash must be 32 bytes, got " + b.length);
        return new Hash(b.clone());
    }

    /** Reads 32 bytes at {@code off}. */
    public static Hash of(byte[] b, int off) { return new Hash(Arrays.copyOfRange(b, off, off + BYTES)); }

    /** Parses 64 lowercase or uppercase hex digits; anything else is refused with a clear message. */
    public static Hash parse(String hex) {
        if (hex == null || hex.length() != 2 * BYTES) {
            throw QuireException.invalid("a hash is 64 hex digits, got " + (hex == null ? "nothing" : hex.length() + " characters"));
        }
        try {
            return new Hash(HEX.parseHex(hex.toLowerCase(java.util.Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            throw QuireException.invalid("not a hex hash: " + hex);
        }
    }

    /**
     * A fresh SHA-256 digest. Cloned from an untouched prototype: cloning skips the provider lookup
     * of {@code getInstance}, which costs more than hashing a small entry (measured on the writer's
     * hot path). The prototype is never updated, so concurrent clones are safe.
     */
    public static MessageDigest sha256() {
        try {
            return (MessageDigest) SHA256_PROTOTYPE.clone();
        } catch (CloneNotSupportedException e) {
            return newSha256();
        }
    }

    private static final MessageDigest SHA256_PROTOTYPE = newSha256();

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    public static Hash sha256(byte[] data) { return new Hash(sha256().digest(data)); }

    /** Wraps the digest's output without copying (the digest hands over a fresh array). */
    public static Hash finish(MessageDigest md) { return new Hash(md.digest()); }

    public byte[] toBytes() { return bytes.clone(); }

    /** Copies the 32 bytes into {@code dst} at {@code off}. */
    public void copyTo(byte[] dst, int off) { System.arraycopy(bytes, 0, dst, off, BYTES); }

    public void update(MessageDigest md) { md.update(bytes); }

    /** Puts the 32 bytes at the buffer's position. */
    public void putTo(java.nio.ByteBuffer b) { b.put(bytes); }

    public String hex() { return HEX.formatHex(bytes); }

    public boolean isZero() { return equals(ZERO); }

    @Override public boolean equals(Object o) { return o instanceof Hash h && MessageDigest.isEqual(bytes, h.bytes); }

    @Override public int hashCode() { return Arrays.hashCode(bytes); }

    @Override public int compareTo(Hash o) { return Arrays.compareUnsigned(bytes, o.bytes); }

    @Override public String toString() { return hex(); }
}
