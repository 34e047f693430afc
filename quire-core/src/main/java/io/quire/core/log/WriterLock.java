package io.quire.core.log;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The ledger's lock protocol (docs/FORMAT.md "Ledger directory"):
 *
 * <ul>
 *   <li><b>Writer</b> (a writable {@link LocalLedger}, or {@code quire repair}): an exclusive
 *       {@code fcntl} lock on the whole of {@code <ledger>/LOCK} (created if absent), held until
 *       close. A second writer, in any process, is refused with CONFLICT.</li>
 *   <li><b>Readers</b> ({@link ReadOnlyLedger}) take no lock and do not even open {@code LOCK}:
 *       they write nothing, so they need no permission but read access, they can never delay
 *       or block the writer, and they cannot disturb its lock (next point). A writer cannot
 *       tell whether readers are active; {@code repair} therefore cannot refuse because of
 *       them, and a reader instead detects a cut log and stops with an INTEGRITY error.</li>
 * </ul>
 *
 * <p>Why the in-JVM registry: Java's file locks are POSIX record locks, which belong to the
 * <em>process</em>, and closing <em>any</em> descriptor of the file releases every lock the
 * process holds on it. A second open in the same JVM that opened {@code LOCK}, failed
 * {@code tryLock} and closed its channel would silently unlock the first holder for every other
 * process. So a directory already locked in this JVM is refused before {@code LOCK} is opened.
 */
public final class WriterLock implements AutoCloseable {
    /** Real paths of the ledger directories this JVM holds the writer lock of. */
    private static final Set<Path> HELD = ConcurrentHashMap.newKeySet();

    private final Path key;
    private final FileChannel channel;
    private final FileLock lock;
    private boolean closed;

    private WriterLock(Path key, FileChannel channel, FileLock lock) {
        this.key = key;
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Takes the writer lock of the ledger in {@code dir}, or throws CONFLICT with
     * {@code busyMessage} when another process or instance holds it.
     */
    public static WriterLock acquire(Path dir, String busyMessage) {
        Path key;
        try {
            key = dir.toRealPath();
        } catch (IOException e) {
            throw QuireException.io("cannot resolve the ledger directory: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
        if (!HELD.add(key)) throw QuireException.conflict(busyMessage);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(dir.resolve("LOCK"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock l;
            try {
                l = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                l = null; // cannot happen while HELD guards this JVM, but refuse rather than share
            }
            if (l == null) throw QuireException.conflict(busyMessage);
            return new WriterLock(key, ch, l);
        } catch (IOException e) {
            closeAfterFailure(key, ch);
            throw QuireException.io("cannot lock the ledger: " + e.getMessage(), Where.file(dir.resolve("LOCK").toString(), -1), e);
        } catch (RuntimeException e) {
            closeAfterFailure(key, ch);
            throw e;
        }
    }

    /** True when this JVM holds the writer lock of {@code dir} (a read-only open never does). */
    public static boolean heldInThisJvm(Path dir) {
        try {
            return HELD.contains(dir.toRealPath());
        } catch (IOException e) {
            return false;
        }
    }

    private static void closeAfterFailure(Path key, FileChannel ch) {
        try {
            if (ch != null) ch.close();
        } catch (IOException ignored) {
            // The open failed already; that failure is the one reported.
        } finally {
            HELD.remove(key);
        }
    }

    /** Releases the lock. Idempotent. */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        try {
            lock.release();
            channel.close();
        } catch (IOException e) {
            throw QuireException.io("cannot release the ledger lock: " + e.getMessage(), Where.file(key.resolve("LOCK").toString(), -1), e);
        } finally {
            HELD.remove(key);
        }
    }
}
