package io.quire.core.merkle;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The ledger's Ed25519 signing key, kept in {@code <ledger>/keys/}:
 * <pre>
 *   keys/ledger.key   PKCS#8 DER private key, mode 0600 where POSIX permissions exist
 *   keys/ledger.pub   X.509 SubjectPublicKeyInfo DER public key (44 bytes)
 * </pre>
 * Both are written atomically (temp file, fsync, rename, fsync directory), the private key first.
 */
public final class LedgerKeys {
    public static final String PRIVATE_KEY_FILE = "ledger.key";
    public static final String PUBLIC_KEY_FILE = "ledger.pub";
    /** Larger files are refused before reading: an Ed25519 PKCS#8 key is 48 bytes. */
    static final int KEY_FILE_BYTES_MAX = 4096;
    private static final String ALGORITHM = "Ed25519";

    private LedgerKeys() {}

    /** Generates a key pair and writes both files. CONFLICT if either file already exists. */
    public static KeyPair create(Path keysDir) {
        Path priv = keysDir.resolve(PRIVATE_KEY_FILE);
        Path pub = keysDir.resolve(PUBLIC_KEY_FILE);
        try {
            Files.createDirectories(keysDir);
        } catch (IOException e) {
            throw QuireException.io("cannot create the keys directory: " + e.getMessage(), Where.file(keysDir.toString(), -1), e);
        }
        for (Path p : new Path[] {priv, pub}) {
            if (Files.exists(p)) {
                throw QuireException.conflict("refusing to overwrite the ledger key " + p
                        + "; a ledger keeps its key for life (move both key files away first if you really mean to replace it)");
            }
        }
        KeyPair kp;
        try {
            kp = KeyPairGenerator.getInstance(ALGORITHM).generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
        writeAtomically(priv, kp.getPrivate().getEncoded(), true);
        writeAtomically(pub, kp.getPublic().getEncoded(), false);
        return kp;
    }

    /** Loads both files and checks they form one pair. NOT_FOUND or INTEGRITY naming the file. */
    public static KeyPair load(Path keysDir) {
        Path privFile = keysDir.resolve(PRIVATE_KEY_FILE);
        PublicKey pub = loadPublic(keysDir.resolve(PUBLIC_KEY_FILE));
        byte[] der = read(privFile, "private key");
        PrivateKey priv;
        try {
            priv = KeyFactory.getInstance(ALGORITHM).generatePrivate(new PKCS8EncodedKeySpec(der));
        } catch (GeneralSecurityException e) {
            throw QuireException.integrity("not a PKCS#8 Ed25519 private key: " + e.getMessage(), Where.file(privFile.toString(), 0));
        }
        if (!isPair(priv, pub)) {
            throw QuireException.integrity(PRIVATE_KEY_FILE + " and " + PUBLIC_KEY_FILE + " are not one key pair",
                    Where.file(privFile.toString(), 0));
        }
        return new KeyPair(pub, priv);
    }

    /** Loads an X.509 DER Ed25519 public key (a ledger.pub). NOT_FOUND or INTEGRITY naming the file. */
    public static PublicKey loadPublic(Path file) {
        byte[] der = read(file, "public key");
        try {
            PublicKey k = KeyFactory.getInstance(ALGORITHM).generatePublic(new X509EncodedKeySpec(der));
            if (der.length != Checkpoint.PUBLIC_KEY_DER_BYTES) throw new GeneralSecurityException(der.length + " bytes, expected " + Checkpoint.PUBLIC_KEY_DER_BYTES);
            return k;
        } catch (GeneralSecurityException e) {
            throw QuireException.integrity("not an X.509 Ed25519 public key: " + e.getMessage(), Where.file(file.toString(), 0));
        }
    }

    private static boolean isPair(PrivateKey priv, PublicKey pub) {
        try {
            byte[] probe = "quire key pair check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            Signature s = Signature.getInstance(ALGORITHM);
            s.initSign(priv);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(pub);
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] read(Path file, String what) {
        try {
            long len = Files.size(file);
            if (len > KEY_FILE_BYTES_MAX) {
                throw QuireException.integrity(what + " file is " + len + " bytes, at most " + KEY_FILE_BYTES_MAX, Where.file(file.toString(), 0));
            }
            return Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new QuireException(io.quire.core.ErrorKind.NOT_FOUND, "the ledger " + what + " is missing (was the ledger initialised?)",
                    Where.file(file.toString(), -1));
        } catch (IOException e) {
            throw QuireException.io("cannot read the ledger " + what + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
    }

    /** Temp file (0600 if {@code secret}), write, fsync, rename over nothing, fsync the directory. */
    private static void writeAtomically(Path target, byte[] bytes, boolean secret) {
        Path dir = target.getParent();
        Path tmp = dir.resolve(target.getFileName() + ".tmp-" + HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        try {
            FileAttribute<?>[] attrs = secret && dir.getFileSystem().supportedFileAttributeViews().contains("posix")
                    ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))}
                    : new FileAttribute<?>[0];
            try (FileChannel ch = FileChannel.open(tmp, java.util.Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE), attrs)) {
                ByteBuffer buf = ByteBuffer.wrap(bytes);
                while (buf.hasRemaining()) ch.write(buf);
                ch.force(true);
            }
            if (Files.exists(target)) throw new FileAlreadyExistsException(target.toString());
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target);
            }
            forceDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            deleteQuietly(tmp);
            throw QuireException.conflict("refusing to overwrite the ledger key " + target);
        } catch (IOException e) {
            deleteQuietly(tmp);
            throw QuireException.io("cannot write " + target.getFileName() + ": " + e.getMessage(), Where.file(target.toString(), -1), e);
        }
    }

    static void forceDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            // Some platforms (Windows) cannot open or fsync a directory; the rename is then as
            // durable as that platform makes it.
            if (dir.getFileSystem().supportedFileAttributeViews().contains("posix")) throw e;
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException ignored) {
            // Best effort: a stray temp file is harmless and never read.
        }
    }
}
