package io.quire.core.log;

import io.quire.core.QuireException;
import io.quire.core.Where;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Pattern;

/**
 * The segment files of {@code log/}: {@code <first position, 20 digits>.seg}. Owns their channels.
 * Segments are only ever appended to (the last one) or created; truncation happens only during
 * recovery (torn tail) and {@code repair}, both with no writer running.
 */
public final class Segments implements AutoCloseable {
    private static final Pattern NAME = Pattern.compile("(\\d{20})\\.seg");

    /** One segment: its first position, path and an open channel. */
    public record Seg(long firstPosition, Path path, FileChannel channel) {
        public String file() { return path.toString(); }
    }

    private final Path dir;
    private final CopyOnWriteArrayList<Seg> segs = new CopyOnWriteArrayList<>();

    private Segments(Path dir) { this.dir = dir; }

    public static String name(long firstPosition) { return String.format("%020d.seg", firstPosition); }

    /** Lists and opens every segment, checking names are canonical and headers agree with names. */
    public static Segments open(Path dir, boolean writable) {
        Segments s = new Segments(dir);
        List<Seg> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                var m = NAME.matcher(n);
                if (!m.matches()) {
                    if (n.endsWith(".tmp")) continue;
                    throw QuireException.integrity("unexpected file in log directory: " + n, Where.file(p.toString(), -1));
                }
                long first = Long.parseLong(m.group(1));
                if (!name(first).equals(n)) throw QuireException.integrity("non-canonical segment name " + n, Where.file(p.toString(), -1));
                FileChannel ch = writable
                        ? FileChannel.open(p, StandardOpenOption.READ, StandardOpenOption.WRITE)
                        : FileChannel.open(p, StandardOpenOption.READ);
                found.add(new Seg(first, p, ch));
            }
        } catch (IOException e) {
            s.close();
            for (Seg g : found) closeQuietly(g.channel());
            throw QuireException.io("cannot list log directory: " + e.getMessage(), Where.file(dir.toString(), -1), e);
        }
        found.sort((a, b) -> Long.compare(a.firstPosition(), b.firstPosition()));
        s.segs.addAll(found);
        return s;
    }

    public List<Seg> all() { return List.copyOf(segs); }

    public boolean isEmpty() { return segs.isEmpty(); }

    public Seg last() { return segs.get(segs.size() - 1); }

    /** The segment holding {@code position}: the last one whose first position is ≤ it. */
    public Seg forPosition(long position) {
        List<Seg> l = segs;
        int lo = 0, hi = l.size() - 1, ans = -1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (l.get(mid).firstPosition() <= position) { ans = mid; lo = mid + 1; } else hi = mid - 1;
        }
        if (ans < 0) throw QuireException.notFound("no segment holds position " + position);
        return l.get(ans);
    }

    /** Creates {@code <first>.seg} with its header, fsyncs it and the directory. */
    public Seg create(long firstPosition) {
        Path p = dir.resolve(name(firstPosition));
        try {
            FileChannel ch = FileChannel.open(p, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE);
            ByteBuffer h = FrameLayout.segmentHeader(firstPosition);
            while (h.hasRemaining()) ch.write(h, h.position());
            ch.force(true);
            FileUtil.fsyncDir(dir);
            Seg s = new Seg(firstPosition, p, ch);
            segs.add(s);
            return s;
        } catch (IOException e) {
            throw QuireException.io("cannot create segment: " + e.getMessage(), Where.file(p.toString(), 0), e);
        }
    }

    /**
     * Read-only followers: (re)opens {@code <first>.seg} for reading, replacing a channel this
     * instance already had for it (the file may have been re-created since it was listed: a roll
     * torn before its header was written is deleted by the writer's recovery and created again by
     * a later roll). Empty when the file does not exist.
     */
    public Optional<Seg> attach(long firstPosition) {
        Path p = dir.resolve(name(firstPosition));
        FileChannel ch;
        try {
            ch = FileChannel.open(p, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw QuireException.io("cannot open segment: " + e.getMessage(), Where.file(p.toString(), -1), e);
        }
        Seg s = new Seg(firstPosition, p, ch);
        for (int i = 0; i < segs.size(); i++) {
            Seg old = segs.get(i);
            if (old.firstPosition() == firstPosition) {
                segs.set(i, s);
                closeQuietly(old.channel());
                return Optional.of(s);
            }
        }
        if (!segs.isEmpty() && last().firstPosition() > firstPosition) {
            closeQuietly(ch);
            throw new IllegalStateException("bad math in attach: segment " + firstPosition + " precedes the last one " + last().firstPosition());
        }
        segs.add(s);
        return Optional.of(s);
    }

    /** Removes a segment file (recovery of a torn roll, repair). */
    public void delete(Seg s) {
        segs.remove(s);
        closeQuietly(s.channel());
        try {
            Files.deleteIfExists(s.path());
            FileUtil.fsyncDir(dir);
        } catch (IOException e) {
            throw QuireException.io("cannot delete segment: " + e.getMessage(), Where.file(s.file(), -1), e);
        }
    }

    public static long size(Seg s) {
        try {
            return s.channel().size();
        } catch (IOException e) {
            throw QuireException.io("cannot stat segment: " + e.getMessage(), Where.file(s.file(), -1), e);
        }
    }

    /** Reads the whole current content of a segment (recovery and verify; at most SEGMENT_BYTES_MAX). */
    public static ByteBuffer readAll(Seg s) {
        long n = size(s);
        if (n > Integer.MAX_VALUE - 16) throw QuireException.integrity("segment is larger than any segment Quire writes", Where.file(s.file(), n));
        ByteBuffer b = ByteBuffer.allocate((int) n);
        readFully(s, 0, b);
        b.flip();
        return b;
    }

    /** Reads {@code dst.remaining()} bytes at {@code offset}; fewer only at end of file. */
    public static void readFully(Seg s, long offset, ByteBuffer dst) {
        try {
            long o = offset;
            while (dst.hasRemaining()) {
                int r = s.channel().read(dst, o);
                if (r < 0) break;
                o += r;
            }
        } catch (IOException e) {
            throw QuireException.io("cannot read segment: " + e.getMessage(), Where.file(s.file(), offset), e);
        }
    }

    public static void truncate(Seg s, long length) {
        try {
            s.channel().truncate(length);
            s.channel().force(true);
        } catch (IOException e) {
            throw QuireException.io("cannot truncate segment: " + e.getMessage(), Where.file(s.file(), length), e);
        }
    }

    @Override
    public void close() {
        for (Seg s : segs) closeQuietly(s.channel());
        segs.clear();
    }

    private static void closeQuietly(FileChannel ch) {
        try { ch.close(); } catch (IOException ignored) { /* closing */ }
    }
}
