package io.quire.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical limit: fixed-size records written with {@code FileChannel.write} and made durable
 * with {@code force(false)} (fdatasync) — per op for appends, once per batch for batches. No
 * framing, no hashing, no index, no group commit. One file per stream (a shared stream is one
 * file shared by all its writers).
 */
public final class RawBackend implements Backend {
    private final Path dir;
    private final int recordBytes;
    private final boolean durable;
    private final ConcurrentHashMap<String, FileChannel> files = new ConcurrentHashMap<>();
    private final ConcurrentHashMap<String, FileChannel> readers = new ConcurrentHashMap<>();
    private ByteBuffer readBuf;

    public RawBackend(Path dir, int recordBytes, boolean durable) throws IOException {
        this.dir = Files.createDirectories(dir);
        this.recordBytes = recordBytes;
        this.durable = durable;
    }

    public static String settings(String how) { return "FileChannel.write + force(false) " + how + ", no group commit"; }

    @Override public String system() { return "raw-fsync"; }

    private Path path(String stream) { return dir.resolve(stream.replace('/', '_') + ".dat"); }

    private FileChannel file(String stream) {
        return files.computeIfAbsent(stream, s -> {
            try {
                return FileChannel.open(path(s), StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    @Override public Appender appender(String stream) {
        FileChannel ch = file(stream);
        return payload -> {
            ByteBuffer b = ByteBuffer.wrap(payload);
            while (b.hasRemaining()) ch.write(b);
            if (durable) ch.force(false);
        };
    }

    @Override public void appendBatch(String stream, List<byte[]> payloads) throws IOException {
        FileChannel ch = file(stream);
        ByteBuffer b = ByteBuffer.allocate(payloads.size() * recordBytes);
        for (byte[] p : payloads) b.put(p, 0, recordBytes);
        b.flip();
        while (b.hasRemaining()) ch.write(b);
        if (durable) ch.force(false);
    }

    @Override public int readPage(String stream, long afterSeq, int limit) throws IOException {
        FileChannel ch = readers.get(stream);
        if (ch == null) readers.put(stream, ch = FileChannel.open(path(stream), StandardOpenOption.READ));
        int want = limit * recordBytes;
        if (readBuf == null || readBuf.capacity() < want) readBuf = ByteBuffer.allocate(want);
        ByteBuffer b = readBuf.clear().limit(want);
        long pos = afterSeq * recordBytes;
        while (b.hasRemaining()) {
            int r = ch.read(b, pos + b.position());
            if (r < 0) break;
        }
        int n = b.position() / recordBytes;
        long sink = 0;
        byte[] arr = b.array();
        for (int i = 0; i < n; i++) {   // materialize each record, as the others do
            byte[] rec = new byte[recordBytes];
            System.arraycopy(arr, i * recordBytes, rec, 0, recordBytes);
            sink += rec[0];
        }
        if (sink == Long.MIN_VALUE) System.out.print("");
        return n;
    }

    @Override public void close() throws IOException {
        for (FileChannel ch : files.values()) {
            if (durable) ch.force(false);
            ch.close();
        }
        files.clear();
        for (FileChannel ch : readers.values()) ch.close();
        readers.clear();
    }
}
