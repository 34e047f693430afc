package io.quire.windows.audit;

import io.quire.core.Draft;
import io.quire.core.Ledger;
import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * Moves spooled audit records into the core stream {@code windows/audit}. Only a process holding
 * the core ledger open for writing can call it (the core's single-writer lock makes drainers
 * exclusive): the runner on a timer, or a CLI command that could open the ledger itself because
 * no runner holds it.
 *
 * <p>Exactly once: a record's entry id is {@code spool/<spool name>/<frame offset>}, unique and
 * stable, and the core returns the existing entry when an id is appended again with the same
 * payload. So a drain cut short by a crash, anywhere, is simply redone. A spool file is deleted
 * only after every complete record in it is in the log and its owner is gone (its lock file can
 * be locked); bytes after the last complete frame of a dead owner are its torn, unacknowledged
 * last append.
 */
public final class AuditDrain {
    private AuditDrain() {}

    /** Bytes of each spool already drained by this JVM (saves re-appending; correctness does not need it). */
    private static final Map<Path, Long> DRAINED = new ConcurrentHashMap<>();

    /** What one drain did. */
    public record Report(long recordsAppended, int filesDeleted, int filesLive) {}

    /**
     * Whether a drain has something to do: a spool file holds bytes this JVM has not drained yet
     * (the records of another process, or new ones of this one). Cheap: a directory listing and
     * a size per file, no read. A torn tail counts as something until a drain reads it.
     */
    public static boolean pending(Path ledgerDir) {
        Path dir = AuditSpool.dirIn(ledgerDir);
        if (!Files.isDirectory(dir)) return false;
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(AuditSpool.SPOOL_SUFFIX)).anyMatch(p -> {
                try {
                    return Files.size(p) > DRAINED.getOrDefault(p, 0L);
                } catch (IOException e) {
                    return false; // deleted by a drain meanwhile
                }
            });
        } catch (IOException e) {
            throw QuireException.io("cannot list the audit spool: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
    }

    public static Report drain(Ledger ledger, Path ledgerDir) {
        Path dir = AuditSpool.dirIn(ledgerDir);
        if (!Files.isDirectory(dir)) return new Report(0, 0, 0);
        List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(AuditSpool.SPOOL_SUFFIX))
                    .map(n -> n.substring(0, n.length() - AuditSpool.SPOOL_SUFFIX.length())).sorted().forEach(names::add);
        } catch (IOException e) {
            throw QuireException.io("cannot list the audit spool: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
        long appended = 0;
        int deleted = 0;
        int live = 0;
        for (String name : names) {
            Path spool = dir.resolve(name + AuditSpool.SPOOL_SUFFIX);
            Path lockFile = dir.resolve(name + AuditSpool.LOCK_SUFFIX);
            if (AuditSpool.OWNED.contains(name)) {
                appended += drainFile(ledger, name, spool);
                live++;
                continue;
            }
            try (FileChannel lc = openLock(lockFile)) {
                FileLock l = null;
                if (lc != null) {
                    try {
                        l = lc.tryLock();
                    } catch (OverlappingFileLockException e) {
                        l = null;
                    }
                    if (l == null) {
                        appended += drainFile(ledger, name, spool);
                        live++;
                        continue;
                    }
                }
                // The owner is gone: nothing more will be written. Drain everything, then delete.
                appended += drainFile(ledger, name, spool);
                Files.deleteIfExists(spool);
                Files.deleteIfExists(lockFile);
                DRAINED.remove(spool);
                deleted++;
            } catch (IOException e) {
                throw QuireException.io("cannot drain audit spool: " + e.getMessage(), Where.file(spool.toString(), -1), e);
            }
        }
        if (deleted > 0) AuditSpool.forceDir(dir);
        return new Report(appended, deleted, live);
    }

    private static FileChannel openLock(Path lockFile) throws IOException {
        try {
            return FileChannel.open(lockFile, StandardOpenOption.WRITE);
        } catch (NoSuchFileException e) {
            return null; // deleted by an earlier drain that stopped before deleting the spool
        }
    }

    private static long drainFile(Ledger ledger, String name, Path spool) {
        long from = DRAINED.getOrDefault(spool, 0L);
        long n = 0;
        while (true) {
            AuditSpool.ReadResult r = AuditSpool.read(spool, from, AuditLimits.DRAIN_BATCH_MAX);
            if (r.records().isEmpty()) break;
            List<Draft> drafts = new ArrayList<>(r.records().size());
            for (AuditSpool.Framed f : r.records()) drafts.add(draft(name, f));
            ledger.appendBatch(AuditLimits.STREAM, drafts);
            n += drafts.size();
            from = r.validBytes();
            DRAINED.put(spool, from);
        }
        return n;
    }

    /** The entry a spooled record becomes (docs/FORMAT.md "windows/audit"). */
    static Draft draft(String spoolName, AuditSpool.Framed f) {
        TreeMap<String, String> meta = new TreeMap<>();
        meta.put("operator", f.record().operator());
        return new Draft(entryId(spoolName, f.offset()), f.record().type(), meta,
                f.record().json().getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    public static String entryId(String spoolName, long offset) { return "spool/" + spoolName + "/" + offset; }
}
