package io.quire.core.blob;

import io.quire.core.Hash;
import io.quire.core.QuireException;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The one owner of the blob path layout. A blob whose SHA-256 is {@code abcdef…} (64 lowercase
 * hex digits) lives at:
 *
 * <pre>
 *   blobs/
 *     sha256/
 *       ab/                 FAN_OUT_CHARS = 2 hex digits: at most 256 directories
 *         cdef…             FILE_NAME_CHARS = the other 62 hex digits
 *     tmp/
 *       &lt;random&gt;.tmp       writes in progress; deleted on open (left by a crash)
 * </pre>
 *
 * <p>Paths are canonical, like Go's {@code tlog.ParseTilePath}: a path is a blob path only if it
 * re-encodes to exactly the same string. Uppercase hex, extra or missing digits, deeper or
 * shallower nesting, {@code ..} and symlinks are never accepted as aliases of a blob.
 */
final class BlobPaths {
    static final String SHA256_DIR = "sha256";
    static final String TMP_DIR = "tmp";
    static final String TMP_SUFFIX = ".tmp";
    static final int DIGEST_HEX_CHARS = 2 * Hash.BYTES;
    static final int FAN_OUT_CHARS = 2;
    static final int FILE_NAME_CHARS = DIGEST_HEX_CHARS - FAN_OUT_CHARS;

    private BlobPaths() {}

    /** {@code sha256Dir/ab/cdef…} for the digest. */
    static Path pathOf(Path sha256Dir, Hash digest) {
        String hex = digest.hex();
        return sha256Dir.resolve(hex.substring(0, FAN_OUT_CHARS)).resolve(hex.substring(FAN_OUT_CHARS));
    }

    /**
     * Parses a digest written exactly as Quire writes it: 64 lowercase hex digits. Unlike
     * {@link Hash#parse} this refuses uppercase, so one blob has exactly one spelling.
     */
    static Hash parseDigest(String hex) {
        if (hex == null || hex.length() != DIGEST_HEX_CHARS || !isLowerHex(hex)) {
            throw QuireException.invalid("a blob digest is exactly " + DIGEST_HEX_CHARS
                    + " lowercase hex digits (SHA-256), got: " + describe(hex));
        }
        return Hash.parse(hex);
    }

    /**
     * The digest a file under {@code sha256Dir} stands for, or empty when its path is not the
     * canonical path of any digest (a stray file: reported by {@code strays()}, never served).
     */
    static Optional<Hash> digestOf(Path sha256Dir, Path file) {
        Path rel = sha256Dir.relativize(file);
        if (rel.getNameCount() != 2) return Optional.empty();
        String dir = rel.getName(0).toString();
        String name = rel.getName(1).toString();
        if (dir.length() != FAN_OUT_CHARS || name.length() != FILE_NAME_CHARS) return Optional.empty();
        String hex = dir + name;
        if (!isLowerHex(hex)) return Optional.empty();
        Hash h = Hash.parse(hex);
        // Round-trip: the path must be exactly the one pathOf would produce.
        return pathOf(sha256Dir, h).equals(file) ? Optional.of(h) : Optional.empty();
    }

    static boolean isLowerHex(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) return false;
        }
        return true;
    }

    private static String describe(String s) {
        if (s == null) return "nothing";
        String shown = s.length() > 80 ? s.substring(0, 80) + "…" : s;
        return "\"" + shown + "\" (" + s.length() + " characters)";
    }
}
