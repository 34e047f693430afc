package io.quire.core.merkle;

import io.quire.core.Hash;
import io.quire.core.QuireException;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.InvalidKeyException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.Base64;
import java.util.Objects;

/**
 * A signed statement "the ledger {@code origin} had {@code size} entries with Merkle root
 * {@code root} at {@code timestampNs}", signed with the ledger's Ed25519 key (DESIGN §3.2).
 *
 * <p>Text form, UTF-8, every line ended by one LF (docs/FORMAT.md "Checkpoint"):
 * <pre>
 * quire checkpoint v1                 ┐
 * origin &lt;origin&gt;                     │
 * size &lt;decimal&gt;                      │ signed bytes: everything up to and
 * root &lt;64 lowercase hex&gt;              │ including the LF before "sig"
 * timestamp_ns &lt;decimal&gt;              │
 * key &lt;base64 X.509 DER public key&gt;   ┘
 * sig &lt;base64 Ed25519 signature, 64 bytes&gt;
 * </pre>
 * Every value has exactly one spelling, so {@code parse(t).encode().equals(t)} for every accepted
 * {@code t}, and the signature is checked over the re-encoded bytes.
 *
 * @param publicKey the signer's X.509 DER encoded Ed25519 public key (copied in and out)
 * @param signature the 64-byte Ed25519 signature over {@link #signedBytes()} (copied in and out)
 */
public record Checkpoint(String origin, long size, Hash root, long timestampNs, byte[] publicKey, byte[] signature) {
    static final String MAGIC = "quire checkpoint";
    /** Longest origin in UTF-8 bytes. */
    public static final int ORIGIN_BYTES_MAX = 255;
    /** An Ed25519 signature is 64 bytes (RFC 8032 §5.1.6). */
    public static final int SIGNATURE_BYTES = 64;
    /** An X.509 SubjectPublicKeyInfo of an Ed25519 key is 44 bytes (RFC 8410 §4). */
    public static final int PUBLIC_KEY_DER_BYTES = 44;
    private static final String ALGORITHM = "Ed25519";

    public Checkpoint {
        checkOrigin(origin);
        if (size < 0) throw QuireException.invalid("checkpoint size must be >= 0, got " + size);
        Objects.requireNonNull(root, "root");
        if (timestampNs < 0) throw QuireException.invalid("checkpoint timestamp_ns must be >= 0, got " + timestampNs);
        publicKey = publicKey.clone();
        signature = signature.clone();
        if (signature.length != SIGNATURE_BYTES) {
            throw QuireException.invalid("checkpoint signature must be " + SIGNATURE_BYTES + " bytes, got " + signature.length);
        }
        decodeKey(publicKey); // refuses anything that is not an Ed25519 key
    }

    /** Signs (origin, size, root, timestamp) with {@code kp}, which must be an Ed25519 key pair. */
    public static Checkpoint sign(String origin, long size, Hash root, long timestampNs, KeyPair kp) {
        checkOrigin(origin);
        byte[] key = kp.getPublic().getEncoded();
        byte[] body = body(origin, size, root, timestampNs, key).getBytes(StandardCharsets.UTF_8);
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(kp.getPrivate());
            s.update(body);
            return new Checkpoint(origin, size, root, timestampNs, key, s.sign());
        } catch (InvalidKeyException e) {
            throw QuireException.invalid("checkpoints are signed with an Ed25519 key, got " + kp.getPrivate().getAlgorithm());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK failed to sign with Ed25519", e);
        }
    }

    @Override public byte[] publicKey() { return publicKey.clone(); }

    @Override public byte[] signature() { return signature.clone(); }

    /**
     * The embedded signer key, decoded. (Named {@code signerKey} because the record component
     * accessor {@code publicKey()} already returns the DER bytes.)
     */
    public PublicKey signerKey() { return decodeKey(publicKey); }

    /** The bytes the signature covers: every line before "sig", including its LF. */
    public byte[] signedBytes() { return body(origin, size, root, timestampNs, publicKey).getBytes(StandardCharsets.UTF_8); }

    public String encode() { return body(origin, size, root, timestampNs, publicKey) + "sig " + Base64.getEncoder().encodeToString(signature) + "\n"; }

    /** True iff the signature is valid under the embedded key. Says nothing about whom that key belongs to. */
    public boolean verifySignature() {
        try {
            Signature s = Signature.getInstance(ALGORITHM);
            s.initVerify(decodeKey(publicKey));
            s.update(signedBytes());
            return s.verify(signature);
        } catch (java.security.SignatureException e) {
            return false;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK failed to verify an Ed25519 signature", e);
        }
    }

    /** True iff the embedded key is {@code trusted} and the signature is valid under it. */
    public boolean verifySignature(PublicKey trusted) {
        return Arrays.equals(trusted.getEncoded(), publicKey) && verifySignature();
    }

    /** Parses the text form exactly; anything else is INVALID_INPUT naming the line. Does not verify the signature. */
    public static Checkpoint parse(String text) {
        TextLines t = TextLines.split("checkpoint", text);
        t.header(MAGIC, "checkpoint");
        String origin = t.field("origin");
        try {
            checkOrigin(origin);
        } catch (QuireException e) {
            throw t.error(t.lineNumber(), e.reason());
        }
        long size = t.decimal("size");
        Hash root = t.hash("root");
        long ts = t.decimal("timestamp_ns");
        byte[] key = t.base64("key");
        try {
            decodeKey(key);
        } catch (QuireException e) {
            throw t.error(t.lineNumber(), e.reason());
        }
        byte[] sig = t.base64("sig");
        if (sig.length != SIGNATURE_BYTES) throw t.error(t.lineNumber(), "sig must be " + SIGNATURE_BYTES + " bytes, got " + sig.length);
        t.end();
        return new Checkpoint(origin, size, root, ts, key, sig);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Checkpoint c && size == c.size && timestampNs == c.timestampNs && origin.equals(c.origin)
                && root.equals(c.root) && Arrays.equals(publicKey, c.publicKey) && Arrays.equals(signature, c.signature);
    }

    @Override
    public int hashCode() {
        return Objects.hash(origin, size, root, timestampNs, Arrays.hashCode(publicKey), Arrays.hashCode(signature));
    }

    @Override
    public String toString() {
        return "Checkpoint[origin=" + origin + ", size=" + size + ", root=" + root + ", timestampNs=" + timestampNs
                + ", key=" + Base64.getEncoder().encodeToString(publicKey) + ", sig=" + Base64.getEncoder().encodeToString(signature) + "]";
    }

    private static String body(String origin, long size, Hash root, long ts, byte[] key) {
        return MAGIC + " v1\n"
                + "origin " + origin + "\n"
                + "size " + size + "\n"
                + "root " + root.hex() + "\n"
                + "timestamp_ns " + ts + "\n"
                + "key " + Base64.getEncoder().encodeToString(key) + "\n";
    }

    /** 1..255 UTF-8 bytes, no control characters (so the origin stays one line), no outer spaces. */
    private static void checkOrigin(String origin) {
        if (origin == null || origin.isEmpty()) throw QuireException.invalid("checkpoint origin is empty");
        int bytes = origin.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > ORIGIN_BYTES_MAX) throw QuireException.invalid("checkpoint origin is " + bytes + " bytes, at most " + ORIGIN_BYTES_MAX);
        if (origin.strip().length() != origin.length()) throw QuireException.invalid("checkpoint origin has leading or trailing spaces");
        for (int i = 0; i < origin.length(); i++) {
            char c = origin.charAt(i);
            if (c < 0x20 || c == 0x7f || Character.isSurrogate(c) && !validSurrogateAt(origin, i)) {
                throw QuireException.invalid("checkpoint origin has a control or unpaired surrogate character at index " + i);
            }
        }
    }

    private static boolean validSurrogateAt(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }

    static PublicKey decodeKey(byte[] der) {
        if (der.length != PUBLIC_KEY_DER_BYTES) {
            throw QuireException.invalid("key is not an Ed25519 public key: " + der.length + " bytes, expected " + PUBLIC_KEY_DER_BYTES);
        }
        try {
            PublicKey k = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
            if (!Arrays.equals(k.getEncoded(), der)) throw QuireException.invalid("key is not a canonical Ed25519 public key");
            return k;
        } catch (java.security.spec.InvalidKeySpecException e) {
            throw QuireException.invalid("key is not an Ed25519 public key: " + e.getMessage());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }
}
