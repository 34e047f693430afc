package io.quire.core.blob;

import io.quire.core.ErrorKind;
import io.quire.core.Hash;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * {@link BlobStore} on local files under {@code <ledger>/blobs/} (layout in {@link BlobPaths}).
 *
 * <p><b>Write protocol</b> (why each step): the input is streamed in {@link #CHUNK_BYTES} chunks
 * into {@code tmp/<random>.tmp} while it is hashed, so memory stays bounded and the name is only
 * known at the end; the temp file is fsynced so its bytes are durable before any name points at
 * them; if the target already exists the temp file is deleted (dedupe); otherwise the fan-out
 * directory is created (its parent fsynced so the new directory survives a crash), the temp file
 * is renamed with {@code ATOMIC_MOVE} so a reader sees either no blob or the whole blob, and the
 * fan-out directory is fsynced so the rename itself is durable. {@link #put} returns only then.
 *
 * <p><b>Read protocol</b>: every read re-hashes. {@link #getBytes} verifies before returning;
 * {@link #get} streams and verifies at the end (see its Javadoc).
 *
 * <p><b>Ownership</b>: one store instance owns its directory (the ledger holds the directory
 * lock). Opening deletes every file in {@code tmp/}, which are writes interrupted by a crash; a
 * second live instance on the same directory would have its in-flight writes removed.
 *
 * <p>Thread-safe: concurrent puts, including of the same content, are safe because each uses
 * its own temp file and the final rename of identical bytes onto the same name is idempotent.
 */
public final class FileBlobStore implements BlobStore {
    /** Default largest blob: 1 GiB. A put over the limit fails and leaves nothing behind. */
    public static final long BLOB_BYTES_MAX = 1L << 30;
    /** Size of the read and write chunks; bounds the memory of a streamed put or get. */
    public static final int CHUNK_BYTES = 64 * 1024;
    /** Attempts at a fresh random temp name before giving up (a clash is astronomically rare). */
    static final int TMP_NAME_ATTEMPTS_MAX = 16;

    private final Path blobsDir;
    private final Path sha256Dir;
    private final Path tmpDir;
    private final long blobBytesMax;
    /** Opened by a read-only ledger: creates, deletes and fsyncs nothing; {@link #put} is refused. */
    private final boolean readOnly;
    /** Directories whose own name is known durable (their parent was fsynced after creation). */
    private final Set<Path> durableDirs = ConcurrentHashMap.newKeySet();

    /** Opens (creating if needed) the store in {@code blobsDir} with the default {@link #BLOB_BYTES_MAX}. */
    public FileBlobStore(Path blobsDir) { this(blobsDir, BLOB_BYTES_MAX); }

    /**
     * Opens (creating if needed) the store in {@code blobsDir}, refusing blobs larger than
     * {@code blobBytesMax}, and deletes temp files left by a crash.
     */
    public FileBlobStore(Path blobsDir, long blobBytesMax) { this(blobsDir, blobBytesMax, false); }

    /**
     * Opens the store for reading only, touching nothing on disk (no directory is created, no
     * stale temp file deleted): for read-only ledgers running beside the writer, whose in-flight
     * temp files must survive. {@link #put} fails with CONFLICT, code {@code read_only}.
     */
    public static FileBlobStore openReadOnly(Path blobsDir) { return new FileBlobStore(blobsDir, BLOB_BYTES_MAX, true); }

    private FileBlobStore(Path blobsDir, long blobBytesMax, boolean readOnly) {
        if (blobBytesMax < 0) throw QuireException.invalid("blob size limit must be >= 0, got " + blobBytesMax);
        this.blobsDir = blobsDir.toAbsolutePath().normalize();
        this.sha256Dir = this.blobsDir.resolve(BlobPaths.SHA256_DIR);
        this.tmpDir = this.blobsDir.resolve(BlobPaths.TMP_DIR);
        this.blobBytesMax = blobBytesMax;
        this.readOnly = readOnly;
        if (readOnly) return;
        ensureDir(this.blobsDir);
        ensureDir(sha256Dir);
        ensureDir(tmpDir);
        deleteStaleTemps();
    }

    /** Parses a digest spelled exactly as stored: 64 lowercase hex digits; anything else is INVALID_INPUT. */
    public static Hash parseDigest(String hex) { return BlobPaths.parseDigest(hex); }

    public Path dir() { return blobsDir; }

    public long blobBytesMax() { return blobBytesMax; }

    /** Where the blob with this digest is (or would be) stored. */
    public Path pathOf(Hash digest) { return BlobPaths.pathOf(sha256Dir, digest); }

    /**
     * Stores the input's bytes and returns their SHA-256 once they are durable. INVALID_INPUT if
     * the input is longer than {@link #blobBytesMax()} (nothing is left behind); IO on disk failure.
     * The input is read to its end but not closed.
     */
    @Override
    public Hash put(InputStream in) {
        if (readOnly) {
            throw QuireException.conflict("the blob store of a ledger opened read-only cannot store blobs; open the ledger writable to put")
                    .withCode("read_only");
        }
        Path tmp = createTemp();
        boolean renamed = false;
        try {
            Hash digest = writeTemp(in, tmp);
            renamed = publish(tmp, digest);
            return digest;
        } finally {
            if (!renamed) deleteQuietly(tmp);
        }
    }

    /** Streams the temp file's content from {@code in}, hashing it, and fsyncs it. */
    private Hash writeTemp(InputStream in, Path tmp) {
        MessageDigest md = Hash.sha256();
        byte[] chunk = new byte[CHUNK_BYTES];
        long total = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            while (true) {
                int n = readChunk(in, chunk);
                if (n == 0) break;
                total += n;
                if (total > blobBytesMax) {
                    throw QuireException.invalid("blob is larger than " + blobBytesMax
                            + " bytes (BLOB_BYTES_MAX); nothing was stored");
                }
                md.update(chunk, 0, n);
                writeFully(ch, ByteBuffer.wrap(chunk, 0, n));
            }
            ch.force(true);
        } catch (IOException e) {
            throw ioError("writing blob temp file failed", tmp, e);
        }
        return Hash.finish(md);
    }

    /** Fills {@code chunk} as far as the input allows; 0 means end of input. */
    private static int readChunk(InputStream in, byte[] chunk) {
        try {
            return in.readNBytes(chunk, 0, chunk.length);
        } catch (IOException e) {
            throw new QuireException(ErrorKind.IO, "reading the blob input failed: " + e.getMessage(), Where.NOWHERE, e);
        }
    }

    /**
     * Gives the fsynced temp file its final name, or drops it when the blob is already there.
     * Returns true when the temp file was renamed (so the caller must not delete it).
     */
    private boolean publish(Path tmp, Hash digest) {
        Path target = pathOf(digest);
        Path fanOut = target.getParent();
        ensureDir(fanOut);
        if (isRegularFile(target) && sizeOrMinusOne(target) == sizeOrMinusOne(tmp)) {
            // Dedupe. The rename that created the target may belong to a concurrent put that has
            // not fsynced the directory yet; fsync it here too, or this caller could be told the
            // blob is durable when a crash could still lose its name.
            fsyncDir(fanOut);
            return false;
        }
        // Absent, or present with the wrong size (a damaged copy): the atomic rename installs a
        // correct copy either way, replacing the damaged one.
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw ioError("the file system cannot rename atomically; blobs need it", target, e);
        } catch (IOException e) {
            throw ioError("renaming blob temp file into place failed", target, e);
        }
        fsyncDir(fanOut);
        return true;
    }

    /**
     * Streams the blob into {@code out} in chunks and verifies its digest at the end. On a
     * mismatch the bytes <b>have already been written to {@code out}</b> and INTEGRITY is thrown
     * after them: a caller that must not act on unverified bytes should stream into a temporary
     * place and commit only when this returns. NOT_FOUND if absent.
     */
    @Override
    public void get(Hash digest, OutputStream out) {
        Path file = existing(digest);
        MessageDigest md = Hash.sha256();
        byte[] chunk = new byte[CHUNK_BYTES];
        try (FileChannel ch = openRead(file)) {
            ByteBuffer buf = ByteBuffer.wrap(chunk);
            int n;
            while ((n = ch.read(buf.clear())) != -1) {
                md.update(chunk, 0, n);
                writeOut(out, chunk, n);
            }
        } catch (IOException e) {
            throw ioError("reading blob failed", file, e);
        }
        verify(digest, Hash.finish(md), file);
    }

    /** Reads and verifies the whole blob; INTEGRITY naming the file if its bytes do not hash to the digest. */
    @Override
    public byte[] getBytes(Hash digest) {
        Path file = existing(digest);
        try (FileChannel ch = openRead(file)) {
            long size = ch.size();
            if (size > Integer.MAX_VALUE - 8) {
                throw QuireException.invalid("blob " + digest + " is " + size + " bytes, too large for one array; use get(digest, out)");
            }
            ByteBuffer buf = ByteBuffer.allocate((int) size);
            while (buf.hasRemaining() && ch.read(buf) != -1) { /* fill */ }
            byte[] bytes = buf.array();
            // Short read: the file shrank under us; the hash check below reports it as corruption.
            byte[] read = buf.hasRemaining() ? java.util.Arrays.copyOf(bytes, buf.position()) : bytes;
            verify(digest, Hash.sha256(read), file);
            return read;
        } catch (IOException e) {
            throw ioError("reading blob failed", file, e);
        }
    }

    @Override
    public boolean contains(Hash digest) { return isRegularFile(pathOf(digest)); }

    @Override
    public Optional<Long> size(Hash digest) {
        long n = sizeOrMinusOne(pathOf(digest));
        return n < 0 ? Optional.empty() : Optional.of(n);
    }

    /** Every canonically named blob, ascending. Anything else is skipped (see {@link #strays()}). */
    @Override
    public List<Hash> list() {
        List<Hash> out = new ArrayList<>();
        for (Path p : entriesUnderSha256()) {
            if (isRegularFile(p)) BlobPaths.digestOf(sha256Dir, p).ifPresent(out::add);
        }
        out.sort(null);
        return out;
    }

    /**
     * Everything under {@code sha256/} that is not a blob: files whose path is not the canonical
     * path of a digest (wrong length, uppercase), files or links at the top level, directories or
     * links inside a fan-out directory. They are never served; {@code verify} reports them.
     */
    public List<Path> strays() {
        List<Path> out = new ArrayList<>();
        for (Path p : entriesUnderSha256()) {
            if (!isRegularFile(p) || BlobPaths.digestOf(sha256Dir, p).isEmpty()) out.add(p);
        }
        out.sort(null);
        return out;
    }

    /** Re-hashes the blob: empty when it verifies, otherwise what is wrong, naming the file. */
    @Override
    public Optional<String> check(Hash digest) {
        Path file = pathOf(digest);
        if (!isRegularFile(file)) return Optional.of("blob " + digest + " is missing: " + file);
        try {
            get(digest, OutputStream.nullOutputStream());
            return Optional.empty();
        } catch (QuireException e) {
            return Optional.of(e.getMessage());
        }
    }

    private void verify(Hash expected, Hash actual, Path file) {
        if (!expected.equals(actual)) {
            throw QuireException.integrity("blob " + expected + " is corrupt: its bytes hash to " + actual
                    + "; restore it from a backup or delete it and put it again", Where.file(file.toString(), -1));
        }
    }

    private Path existing(Hash digest) {
        Path file = pathOf(digest);
        if (!isRegularFile(file)) throw QuireException.notFound("blob " + digest + " not found at " + file);
        return file;
    }

    /** Opens without following symlinks, so a link planted at a blob path is never an alias. */
    private static FileChannel openRead(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.READ, LinkOption.NOFOLLOW_LINKS);
    }

    private static void writeOut(OutputStream out, byte[] chunk, int n) {
        try {
            out.write(chunk, 0, n);
        } catch (IOException e) {
            throw new QuireException(ErrorKind.IO, "writing blob to the caller's output failed: " + e.getMessage(), Where.NOWHERE, e);
        }
    }

    private static void writeFully(FileChannel ch, ByteBuffer buf) throws IOException {
        while (buf.hasRemaining()) ch.write(buf);
    }

    /**
     * Every entry one or two levels down except the fan-out directories themselves: a blob can
     * only be at depth 2, and whatever is at depth 2 (or is not a directory at depth 1) is either
     * a blob or a stray. Deeper entries are not walked; their depth-2 directory is the stray.
     */
    private List<Path> entriesUnderSha256() {
        // Absent only in a ledger never opened writable (opening creates it), seen read-only.
        if (!Files.isDirectory(sha256Dir, LinkOption.NOFOLLOW_LINKS)) return List.of();
        try (Stream<Path> s = Files.walk(sha256Dir, 2)) {
            return s.filter(p -> !p.equals(sha256Dir)).filter(p -> {
                int depth = sha256Dir.relativize(p).getNameCount();
                return depth == 2 || (depth == 1 && !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS));
            }).toList();
        } catch (IOException | UncheckedIOException e) {
            throw ioError("listing blobs failed", sha256Dir, e);
        }
    }

    private Path createTemp() {
        for (int i = 0; i < TMP_NAME_ATTEMPTS_MAX; i++) {
            Path tmp = tmpDir.resolve(Long.toHexString(ThreadLocalRandom.current().nextLong()) + BlobPaths.TMP_SUFFIX);
            try {
                FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE).close();
                return tmp;
            } catch (FileAlreadyExistsException e) {
                // Another put drew the same name; draw again.
            } catch (IOException e) {
                throw ioError("creating blob temp file failed", tmp, e);
            }
        }
        throw new IllegalStateException("bad luck in createTemp: " + TMP_NAME_ATTEMPTS_MAX + " random names all taken in " + tmpDir);
    }

    /** Deletes everything in tmp/: writes interrupted by a crash, never referenced by anyone. */
    private void deleteStaleTemps() {
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmpDir)) {
            for (Path p : ds) Files.deleteIfExists(p);
        } catch (IOException e) {
            throw ioError("deleting stale blob temp files failed", tmpDir, e);
        }
    }

    /**
     * Makes sure the directory exists and that its name is durable: the first time this process
     * needs it, it is created if absent and its parent is fsynced. The parent is fsynced even
     * when the directory already existed, because a concurrent put (or a run before a crash) may
     * have created it without having fsynced the parent yet; after that the set remembers it.
     */
    private void ensureDir(Path dir) {
        if (durableDirs.contains(dir)) return;
        try {
            Files.createDirectory(dir);
        } catch (FileAlreadyExistsException e) {
            // Already there; checked to be a directory below.
        } catch (IOException e) {
            throw ioError("creating blob directory failed", dir, e);
        }
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
            throw new QuireException(ErrorKind.IO, "blob directory path exists but is not a directory", Where.file(dir.toString(), -1));
        }
        fsyncDir(dir.getParent());
        durableDirs.add(dir);
    }

    private static void fsyncDir(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException e) {
            throw ioError("fsync of directory failed", dir, e);
        }
    }

    private static boolean isRegularFile(Path p) { return Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS); }

    /** Size of a regular file, or -1 when absent or not a regular file (a link is not a blob). */
    private static long sizeOrMinusOne(Path p) {
        try {
            BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            return a.isRegularFile() ? a.size() : -1;
        } catch (NoSuchFileException e) {
            return -1;
        } catch (IOException e) {
            throw ioError("reading blob attributes failed", p, e);
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            // Left for the next open to remove; the write already failed with the real cause.
        }
    }

    private static QuireException ioError(String what, Path path, Exception e) {
        return QuireException.io(what + ": " + path + ": " + e.getMessage()
                + " (check free space and permissions)", Where.file(path.toString(), -1), e);
    }
}
