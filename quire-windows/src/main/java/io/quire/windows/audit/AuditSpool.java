package io.quire.windows.audit;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.zip.CRC32C;

/**
 * This process's audit spool: {@code <ledger>/windows/audit/spool/<name>.spool}, an append-only
 * file of framed, checksummed {@link AuditRecord}s, each fsynced before {@link #append} returns.
 * Why a spool and not the core log directly: the core log has one writer (its {@code LOCK}), and
 * audit events come from every process that touches the windows files — the runner, {@code quire
 * clear}, {@code quire region}, a tool that opens a slot file after a crash and repairs it. Each
 * writes its own spool; the process that holds the core writer lock moves spooled records into
 * the stream {@code windows/audit} ({@link AuditDrain}), idempotently.
 *
 * <p>Liveness: the owner holds an exclusive lock on {@code <name>.lock} (never on the spool file
 * itself, so a reader in the same JVM may open and close the spool without dropping the owner's
 * POSIX lock). The kernel releases it when the owner dies, even by {@code kill -9}; a drainer that
 * can take it knows nothing more will be written and may delete both files once drained.
 *
 * <p>Frame (big-endian): {@code u32 body_len, u32 crc32c(body), body = u8 type_len, type,
 * u16 operator_len, operator, payload (UTF-8 JSON)}. A reader stops at the first frame that is
 * incomplete or fails its CRC: the owner's append in flight, or its torn last append after a
 * crash (never acknowledged, so dropping it loses nothing that was reported).
 */
public final class AuditSpool implements AutoCloseable {
    /** Spool names owned by live spools of this JVM (their lock files must not be probed here). */
    static final Set<String> OWNED = ConcurrentHashMap.newKeySet();

    public static final String SPOOL_SUFFIX = ".spool";
    public static final String LOCK_SUFFIX = ".lock";

    private final Path dir;
    private String name;
    private FileChannel data;
    private FileChannel lockChannel;
    private FileLock lock;
    private long size;
    private boolean broken;
    private boolean closed;

    private AuditSpool(Path dir) { this.dir = dir; }

    /** {@code <ledgerDir>/windows/audit/spool}. */
    public static Path dirIn(Path ledgerDir) { return ledgerDir.resolve("windows").resolve("audit").resolve("spool"); }

    /** Creates a fresh spool of this process under {@code ledgerDir}. */
    public static AuditSpool create(Path ledgerDir) {
        AuditSpool s = new AuditSpool(dirIn(ledgerDir));
        s.startFile();
        return s;
    }

    private void startFile() {
        String n = String.format("%013d-%d-%s", System.currentTimeMillis(), ProcessHandle.current().pid(),
                HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
        Path lockFile = dir.resolve(n + LOCK_SUFFIX);
        Path spoolFile = dir.resolve(n + SPOOL_SUFFIX);
        FileChannel lc = null;
        FileChannel dc = null;
        try {
            Files.createDirectories(dir);
            lc = FileChannel.open(lockFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            FileLock l = lc.lock();
            OWNED.add(n);
            dc = FileChannel.open(spoolFile, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE, StandardOpenOption.READ);
            forceDir(dir);
            this.name = n;
            this.lockChannel = lc;
            this.lock = l;
            this.data = dc;
            this.size = 0;
        } catch (IOException e) {
            OWNED.remove(n);
            closeQuietly(dc);
            closeQuietly(lc);
            throw QuireException.io("cannot create the audit spool: " + e.getMessage(), Where.file(spoolFile.toString(), -1), e);
        }
    }

    /** The current spool file's name (without suffix). */
    public synchronized String name() { return name; }

    public synchronized Path file() { return dir.resolve(name + SPOOL_SUFFIX); }

    /**
     * Writes the records as one append and fsyncs it; returns only once they are durable. A
     * failed write makes this spool refuse further appends (IO): the bytes on disk are unknown.
     */
    public synchronized void append(List<AuditRecord> records) {
        if (closed) throw new IllegalStateException("audit spool " + name + " is closed");
        if (broken) throw QuireException.io("the audit spool failed an earlier write; open a new one", Where.file(file().toString(), size), null);
        if (records.isEmpty()) return;
        if (size >= AuditLimits.SPOOL_BYTES_MAX) rotate();
        List<byte[]> frames = new ArrayList<>(records.size());
        int total = 0;
        for (AuditRecord r : records) {
            byte[] f = encode(r);
            frames.add(f);
            total += f.length;
        }
        ByteBuffer b = ByteBuffer.allocate(total);
        for (byte[] f : frames) b.put(f);
        b.flip();
        try {
            long at = size;
            while (b.hasRemaining()) at += data.write(b, at);
            data.force(false);
            size = at;
        } catch (IOException e) {
            broken = true;
            throw QuireException.io("cannot write the audit spool: " + e.getMessage() + " (the change it records was made; the audit record may be lost)",
                    Where.file(file().toString(), size), e);
        }
    }

    /** Starts a new file; the old one's lock is released, so a drainer drains and deletes it. */
    private void rotate() {
        String old = name;
        FileChannel oldData = data;
        FileChannel oldLock = lockChannel;
        startFile();
        closeQuietly(oldData);
        closeQuietly(oldLock);
        OWNED.remove(old);
    }

    static byte[] encode(AuditRecord r) {
        byte[] type = r.type().getBytes(StandardCharsets.US_ASCII);
        byte[] op = r.operator().getBytes(StandardCharsets.UTF_8);
        byte[] json = r.json().getBytes(StandardCharsets.UTF_8);
        int body = 1 + type.length + 2 + op.length + json.length;
        ByteBuffer b = ByteBuffer.allocate(8 + body).order(ByteOrder.BIG_ENDIAN);
        b.putInt(body).putInt(0).put((byte) type.length).put(type).putShort((short) op.length).put(op).put(json);
        CRC32C crc = new CRC32C();
        crc.update(b.array(), 8, body);
        b.putInt(4, (int) crc.getValue());
        return b.array();
    }

    /** A record read back with the offset of its frame (its identity in the core log). */
    public record Framed(long offset, AuditRecord record) {}

    /** What a read found: the complete records and where the readable part ends. */
    public record ReadResult(List<Framed> records, long validBytes, long fileBytes) {}

    /** Reads complete frames from {@code from} (a frame boundary) to the first bad or missing one. */
    public static ReadResult read(Path spoolFile, long from, int max) {
        try (FileChannel c = FileChannel.open(spoolFile, StandardOpenOption.READ)) {
            long end = c.size();
            long at = from;
            List<Framed> out = new ArrayList<>();
            ByteBuffer head = ByteBuffer.allocate(8).order(ByteOrder.BIG_ENDIAN);
            while (out.size() < max && end - at >= 8) {
                head.clear();
                readFully(c, head, at);
                int len = head.getInt(0);
                int crc = head.getInt(4);
                if (len < 4 || len > AuditLimits.FRAME_BYTES_MAX - 8 || end - at - 8 < len) break;
                ByteBuffer body = ByteBuffer.allocate(len).order(ByteOrder.BIG_ENDIAN);
                readFully(c, body, at + 8);
                CRC32C k = new CRC32C();
                k.update(body.array(), 0, len);
                if ((int) k.getValue() != crc) break;
                AuditRecord r = decode(body.array());
                if (r == null) break;
                out.add(new Framed(at, r));
                at += 8 + len;
            }
            return new ReadResult(out, at, end);
        } catch (NoSuchFileException e) {
            return new ReadResult(List.of(), from, from);
        } catch (IOException e) {
            throw QuireException.io("cannot read audit spool: " + e.getMessage(), Where.file(spoolFile.toString(), from), e);
        }
    }

    private static AuditRecord decode(byte[] body) {
        try {
            ByteBuffer b = ByteBuffer.wrap(body).order(ByteOrder.BIG_ENDIAN);
            int tl = b.get() & 0xff;
            byte[] type = new byte[tl];
            b.get(type);
            int ol = b.getShort() & 0xffff;
            byte[] op = new byte[ol];
            b.get(op);
            byte[] json = new byte[b.remaining()];
            b.get(json);
            return new AuditRecord(new String(type, StandardCharsets.US_ASCII), new String(op, StandardCharsets.UTF_8), new String(json, StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return null; // a CRC-valid frame we cannot decode was not written by Quire: treat as the end
        }
    }

    private static void readFully(FileChannel c, ByteBuffer b, long at) throws IOException {
        while (b.hasRemaining()) {
            int n = c.read(b, at + b.position());
            if (n < 0) throw new IOException("unexpected end of file");
        }
    }

    static void forceDir(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // Some filesystems cannot fsync a directory; the file's own fsync still holds its data.
        }
    }

    private static void closeQuietly(FileChannel c) {
        if (c != null) try { c.close(); } catch (IOException ignored) { /* closing after failure */ }
    }

    /** Whether nothing was ever appended to the current file. */
    public synchronized boolean isEmpty() { return size == 0; }

    /**
     * Releases the lock: the spool is then drained and deleted by the core writer. An empty
     * spool (nothing was audited) is deleted here. Idempotent.
     */
    @Override
    public synchronized void close() {
        if (closed) return;
        closed = true;
        if (size == 0 && !broken) {
            try {
                Files.deleteIfExists(dir.resolve(name + SPOOL_SUFFIX));
                Files.deleteIfExists(dir.resolve(name + LOCK_SUFFIX));
            } catch (IOException ignored) {
                // Left behind: a drainer deletes an empty spool of a gone owner anyway.
            }
        }
        closeQuietly(data);
        closeQuietly(lockChannel);
        OWNED.remove(name);
    }
}
