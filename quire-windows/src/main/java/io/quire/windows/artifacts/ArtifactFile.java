package io.quire.windows.artifacts;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.log.FileUtil;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.mapping.ArtifactRef;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * One segment open for appending: {@code (kind, date)}, append-only, one writer (an exclusive
 * {@link FileLock}; a second appender in any process gets CONFLICT {@code locked}).
 *
 * <p><b>Append</b>: {@link #append} encodes each (symbol, minute) group as one frame (all of them
 * first: a bad group refuses the whole append before a byte is written), writes the frames in
 * positional writes of at most {@link ArtifactLimits#APPEND_BYTES_MAX} bytes, each followed by
 * {@code fdatasync}, and only after the last one returns their {@link ArtifactRef}s. A crash can
 * therefore only tear the last write, which is what recovery relies on. A failed write or fsync
 * cuts the file back to where the append began and the segment refuses further appends (IO): the
 * page cache is in an unknown state; reopen it.
 *
 * <p><b>Open</b>: the header is checked; then frames are walked by their length fields, and every
 * frame that starts within the last {@link ArtifactLimits#APPEND_BYTES_MAX} bytes (the only bytes
 * an interrupted append can have touched) is verified whole (magic, length, CRC32C). The first
 * frame that does not verify, at offset p:
 * <ul>
 *   <li>more than APPEND_BYTES_MAX bytes before the end → INTEGRITY (damage in acknowledged data);</li>
 *   <li>an intact frame starts anywhere after p → INTEGRITY (same);</li>
 *   <li>otherwise a <b>torn tail</b>: truncated at p, fsynced, reported by {@link #recovery()}.</li>
 * </ul>
 * Earlier frames are trusted by length on open and fully verified on every read.
 */
public final class ArtifactFile implements AutoCloseable {
    private final ArtifactName name;
    private final Path path;
    private final FileChannel ch;
    private final FileLock lock;
    private final ArtifactRecovery recovery;
    private long end;
    private long frames;
    private boolean broken;

    private ArtifactFile(ArtifactName name, Path path, FileChannel ch, FileLock lock, ArtifactRecovery recovery, long end, long frames) {
        this.name = name;
        this.path = path;
        this.ch = ch;
        this.lock = lock;
        this.recovery = recovery;
        this.end = end;
        this.frames = frames;
    }

    /** Opens (creating file and directories when missing) the segment {@code name} under {@code yearDir}. */
    public static ArtifactFile open(Path yearDir, ArtifactName name) {
        Path path = name.fileIn(yearDir);
        FileChannel ch = null;
        try {
            createIfMissing(path, name);
            ch = FileChannel.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) throw QuireException.conflict("artifact segment " + path + " is open for appending elsewhere (another engine or process)").withCode("locked");
            try {
                byte[] h = new byte[ArtifactLayout.HEADER_BYTES];
                readFully(ch, h, 0, path);
                ArtifactLayout.checkHeader(h, path.toString(), name.kind(), name.date());
                Scan s = scan(ch, path);
                ArtifactRecovery rec = null;
                if (s.badAt >= 0) {
                    rec = new ArtifactRecovery(path.toString(), s.badAt, ch.size() - s.badAt, s.reason);
                    ch.truncate(s.badAt);
                    ch.force(true);
                }
                return new ArtifactFile(name, path, ch, lock, rec, s.badAt >= 0 ? s.badAt : s.end, s.frames);
            } catch (RuntimeException | IOException e) {
                lock.release();
                throw e;
            }
        } catch (IOException e) {
            closeQuietly(ch);
            throw QuireException.io("cannot open artifact segment " + path + ": " + e.getMessage(), Where.file(path.toString(), -1), e);
        } catch (RuntimeException e) {
            closeQuietly(ch);
            throw e;
        }
    }

    /** A new segment appears whole or not at all: header in a temp file, fsync, hard link into place (never replaces), fsync of the directory. */
    private static void createIfMissing(Path path, ArtifactName name) throws IOException {
        if (Files.exists(path)) return;
        Files.createDirectories(path.getParent());
        Path tmp = path.resolveSibling(path.getFileName() + "." + ProcessHandle.current().pid() + "." + Thread.currentThread().threadId() + ".tmp");
        try (FileChannel t = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ByteBuffer b = ByteBuffer.wrap(ArtifactLayout.header(name.kind(), name.date()));
            while (b.hasRemaining()) t.write(b);
            t.force(true);
        }
        try {
            Files.createLink(path, tmp);
        } catch (FileAlreadyExistsException raced) {
            // Another creator won; its file is complete (it was linked whole).
        } finally {
            Files.deleteIfExists(tmp);
        }
        FileUtil.fsyncDir(path.getParent());
    }

    private record Scan(long end, long frames, long badAt, String reason) {}

    private static Scan scan(FileChannel ch, Path path) throws IOException {
        long size = ch.size();
        long verifyFrom = Math.max(ArtifactLayout.HEADER_BYTES, size - ArtifactLimits.APPEND_BYTES_MAX);
        long pos = ArtifactLayout.HEADER_BYTES, frames = 0;
        byte[] head = new byte[8];
        String reason = null;
        while (pos < size) {
            if (size - pos < ArtifactLayout.FRAME_MIN_BYTES) {
                reason = "incomplete frame header";
                break;
            }
            readFully(ch, head, pos, path);
            int len = ArtifactLayout.u32le(head, ArtifactLayout.OFF_FRAME_BYTES_32);
            if (!ArtifactLayout.isFrameMagic(head, 0)) {
                reason = "no frame magic";
                break;
            }
            if (len < ArtifactLayout.FRAME_MIN_BYTES || len > ArtifactLimits.FRAME_BYTES_MAX) {
                reason = "frame length " + Integer.toUnsignedString(len) + " out of range";
                break;
            }
            if (pos + len > size) {
                reason = "frame of " + len + " bytes runs past the end of the file";
                break;
            }
            if (pos >= verifyFrom) {
                byte[] f = new byte[len];
                readFully(ch, f, pos, path);
                if (!ArtifactLayout.intact(f, 0, len)) {
                    reason = "frame CRC32C mismatch";
                    break;
                }
            }
            pos += len;
            frames++;
        }
        if (reason == null) return new Scan(pos, frames, -1, null);
        long tail = size - pos;
        if (tail > ArtifactLimits.APPEND_BYTES_MAX) {
            throw QuireException.integrity("artifact segment is damaged at offset " + pos + " (" + reason + ") with " + tail
                    + " bytes after it: more than one append (" + ArtifactLimits.APPEND_BYTES_MAX + " bytes), so not a torn tail; restore it from backup",
                    Where.file(path.toString(), pos));
        }
        byte[] rest = new byte[(int) tail];
        readFully(ch, rest, pos, path);
        for (int q = 1; q + ArtifactLayout.FRAME_MIN_BYTES <= rest.length; q++) {
            if (!ArtifactLayout.isFrameMagic(rest, q)) continue;
            int len = ArtifactLayout.u32le(rest, q + ArtifactLayout.OFF_FRAME_BYTES_32);
            if (len >= ArtifactLayout.FRAME_MIN_BYTES && len <= rest.length - q && ArtifactLayout.intact(rest, q, len)) {
                throw QuireException.integrity("artifact segment is damaged at offset " + pos + " (" + reason + ") but an intact frame follows at offset "
                        + (pos + q) + ": acknowledged data is never dropped to open a file; restore it from backup", Where.file(path.toString(), pos));
            }
        }
        return new Scan(pos, frames, pos, reason);
    }

    /** One (symbol, minute) group to append. */
    public record Group(String symbol, int minuteIdx, List<? extends FlatRow> rows) {}

    /**
     * Appends the groups as frames, in order, and returns their refs once durable (see the class
     * comment). All or nothing for bad input: a wrong row type, another symbol, a group over a
     * limit is INVALID_INPUT before anything is written.
     */
    public synchronized List<ArtifactRef> append(List<Group> groups) {
        if (broken) throw QuireException.io("artifact segment " + path + " refused an append after a failed write; reopen it", Where.file(path.toString(), end), null);
        if (groups.isEmpty()) return List.of();
        if (groups.size() > ArtifactLimits.FRAMES_PER_APPEND_MAX) {
            throw QuireException.invalid(groups.size() + " frames in one append; the limit is " + ArtifactLimits.FRAMES_PER_APPEND_MAX + " (FRAMES_PER_APPEND_MAX)");
        }
        List<byte[]> encoded = new ArrayList<>(groups.size());
        long total = 0;
        for (Group g : groups) {
            byte[] f = ArtifactCodec.encodeFrame(name.kind(), g.symbol(), g.minuteIdx(), g.rows());
            total += f.length;
            encoded.add(f);
        }
        if (end + total > ArtifactLimits.SEGMENT_BYTES_MAX) {
            throw QuireException.invalid("artifact segment " + path + " would exceed " + ArtifactLimits.SEGMENT_BYTES_MAX + " bytes (SEGMENT_BYTES_MAX)").withCode("segment_full");
        }
        long at = end;
        try {
            int i = 0;
            long p = at;
            while (i < encoded.size()) {
                // One write: as many whole frames as fit APPEND_BYTES_MAX (a frame alone always fits).
                int j = i;
                long bytes = 0;
                while (j < encoded.size() && bytes + encoded.get(j).length <= ArtifactLimits.APPEND_BYTES_MAX) bytes += encoded.get(j++).length;
                ByteBuffer buf = ByteBuffer.allocate((int) bytes);
                for (int k = i; k < j; k++) buf.put(encoded.get(k));
                buf.flip();
                FileUtil.appendDurably(ch, buf, p);
                p += bytes;
                i = j;
            }
        } catch (IOException e) {
            broken = true;
            try {
                ch.truncate(at); // earlier writes of this append were durable but never acknowledged
                ch.force(false);
            } catch (IOException suppressed) {
                e.addSuppressed(suppressed);
            }
            throw QuireException.io("cannot append to artifact segment " + path + ": " + e.getMessage() + "; nothing was acknowledged", Where.file(path.toString(), at), e);
        }
        List<ArtifactRef> refs = new ArrayList<>(groups.size());
        long p = at;
        for (byte[] f : encoded) {
            int n = ArtifactLayout.u32le(f, ArtifactLayout.OFF_ROWS_32);
            refs.add(new ArtifactRef(name.text(), p, f.length, n, ArtifactLayout.i64le(f, ArtifactLayout.OFF_FIRST_TS_64), ArtifactLayout.i64le(f, ArtifactLayout.OFF_LAST_TS_64)));
            p += f.length;
        }
        end = p;
        frames += encoded.size();
        return refs;
    }

    /** Appends one group. */
    public ArtifactRef append(String symbol, int minuteIdx, List<? extends FlatRow> rows) { return append(List.of(new Group(symbol, minuteIdx, rows))).getFirst(); }

    public ArtifactName name() { return name; }

    public Path path() { return path; }

    /** Bytes of the segment (header and frames). */
    public synchronized long size() { return end; }

    /** Frames in the segment. */
    public synchronized long frames() { return frames; }

    /** The torn tail cut at open, if any. */
    public Optional<ArtifactRecovery> recovery() { return Optional.ofNullable(recovery); }

    @Override
    public synchronized void close() {
        try {
            if (lock.isValid()) lock.release();
        } catch (IOException ignored) {
            // Closing the channel releases it anyway.
        }
        closeQuietly(ch);
    }

    static void readFully(FileChannel ch, byte[] b, long at, Path path) throws IOException {
        ByteBuffer bb = ByteBuffer.wrap(b);
        long p = at;
        while (bb.hasRemaining()) {
            int n = ch.read(bb, p);
            if (n < 0) throw new QuireException(ErrorKind.INTEGRITY, "artifact segment ends at " + p + " before " + b.length + " bytes from " + at + " could be read",
                    Where.file(path.toString(), at));
            p += n;
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing was pending: every append was fsynced.
        }
    }
}
