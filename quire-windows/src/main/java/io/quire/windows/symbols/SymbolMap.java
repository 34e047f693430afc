package io.quire.windows.symbols;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.core.log.FileUtil;
import io.quire.windows.calendar.CalendarLimits;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The dense symbol axis of one year (DESIGN §7): each symbol gets a {@code u16} id the first time
 * it is seen, {@code 0, 1, 2, …} in order, at most {@link SymbolLimits#SYMBOLS_PER_YEAR_MAX}
 * per year. Ids are 0-based because they index the rows of the slot matrix.
 *
 * <p><b>Durability.</b> The map lives in one append-only file ({@link SymbolMapLayout}): a header
 * written atomically at creation, then one CRC32C-framed record per symbol. An id is returned
 * only after its record is written and {@code fdatasync}ed, so an id handed out survives
 * {@code kill -9} and power loss. A write or fsync that fails leaves the map unusable for
 * further allocation (the page cache state is unknown); reopen it.
 *
 * <p><b>Recovery on open</b>, as a decision table on the first record that does not decode:
 * <ul>
 *   <li>no such record: clean;</li>
 *   <li>it is incomplete, its length byte is out of range, or its CRC fails, and the bytes from
 *       it to the end of the file fit one write ({@link SymbolMapLayout#WRITE_BYTES_MAX}): a torn
 *       tail of the last, unacknowledged append — truncated, fsynced and reported by
 *       {@link #recovery()};</li>
 *   <li>otherwise: INTEGRITY, naming the file and offset; nothing is changed;</li>
 *   <li>a record with a valid CRC but the wrong id, an invalid symbol, a symbol seen before or
 *       one past the cap: INTEGRITY (never written by Quire).</li>
 * </ul>
 * A bad or short header is INTEGRITY; a header of another year is INVALID_INPUT.
 *
 * <p><b>Concurrency.</b> Thread-safe. Lookups both ways are O(1) and lock-free; allocation is
 * serialized by a lock. Publication order: the inverse array slot, then the volatile
 * {@code count}, then the forward map — so whoever sees an id in the forward map also sees its
 * symbol. One process at a time: an exclusive file lock is held while open (a second opener,
 * in this or another process, gets CONFLICT).
 */
public final class SymbolMap implements AutoCloseable {

    /** A torn tail found and truncated on open. */
    public record Recovery(long tornOffset, long tornBytes) {
        @Override public String toString() { return "truncated a torn tail of " + tornBytes + " bytes at offset " + tornOffset; }
    }

    private final Path file;
    private final int year;
    private final FileChannel ch;
    private final FileLock lock;
    private final Recovery recovery;
    private final ConcurrentHashMap<String, Integer> ids = new ConcurrentHashMap<>();
    private final String[] symbols = new String[SymbolLimits.SYMBOLS_PER_YEAR_MAX];
    private final Object appendLock = new Object();
    private volatile int count;
    private long fileBytes;   // guarded by appendLock
    private boolean broken;   // guarded by appendLock
    private boolean closed;   // guarded by appendLock

    private SymbolMap(Path file, int year, FileChannel ch, FileLock lock, Recovery recovery, List<String> loaded, long fileBytes) {
        this.file = file;
        this.year = year;
        this.ch = ch;
        this.lock = lock;
        this.recovery = recovery;
        for (int i = 0; i < loaded.size(); i++) {
            symbols[i] = loaded.get(i);
            ids.put(loaded.get(i), i);
        }
        this.count = loaded.size();
        this.fileBytes = fileBytes;
    }

    /** Where the symbol map of {@code year} lives in a ledger directory: {@code windows/<year>/symbols.map}. */
    public static Path fileIn(Path ledgerDir, int year) {
        checkYear(year);
        return ledgerDir.resolve("windows").resolve(Integer.toString(year)).resolve("symbols.map");
    }

    /**
     * Opens the symbol map of {@code year} at {@code file}, creating it (and its directories)
     * when missing, and recovering a torn tail (see the class comment).
     */
    public static SymbolMap open(Path file, int year) {
        checkYear(year);
        if (!Files.exists(file)) create(file, year);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE);
            FileLock lock;
            try {
                lock = ch.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null;
            }
            if (lock == null) {
                throw new QuireException(ErrorKind.CONFLICT, "symbol map " + file + " is open elsewhere (in this or another process)",
                        Where.file(file.toString(), -1)).withCode("locked");
            }
            return load(file, year, ch, lock);
        } catch (IOException e) {
            closeQuietly(ch);
            throw QuireException.io("cannot open symbol map " + file + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        } catch (Throwable t) {
            closeQuietly(ch);
            throw t;
        }
    }

    /**
     * Opens an existing map for lookups only: no lock (so it works beside the process that
     * allocates), no truncation of a torn tail (the bytes after the last whole record are
     * ignored), and {@code resolve} of a new symbol is refused with CONFLICT {@code read_only}.
     * The view is what was on disk at open. NOT_FOUND when the file does not exist.
     */
    public static SymbolMap openReadOnly(Path file, int year) {
        checkYear(year);
        FileChannel ch = null;
        try {
            ch = FileChannel.open(file, StandardOpenOption.READ);
            return load(file, year, ch, null);
        } catch (java.nio.file.NoSuchFileException e) {
            throw QuireException.notFound("no symbol map at " + file + " (no symbol of " + year + " has been seen yet)");
        } catch (IOException e) {
            closeQuietly(ch);
            throw QuireException.io("cannot open symbol map " + file + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        } catch (Throwable t) {
            closeQuietly(ch);
            throw t;
        }
    }

    private static void create(Path file, int year) {
        try {
            Path dir = file.toAbsolutePath().getParent();
            // Create missing directories one by one, fsyncing each parent, so the new file's
            // path is durable and not only the file.
            List<Path> missing = new ArrayList<>();
            for (Path d = dir; d != null && !Files.exists(d); d = d.getParent()) missing.addFirst(d);
            for (Path d : missing) {
                Files.createDirectory(d);
                FileUtil.fsyncDir(d.getParent());
            }
        } catch (IOException e) {
            throw QuireException.io("cannot create the directory of " + file + ": " + e.getMessage(), Where.file(file.toString(), -1), e);
        }
        // Write the header to a private temp file, fsync it, then hard-link it into place: link()
        // never replaces, so two processes creating the map at once cannot clobber a map the
        // other has already handed ids out of (a rename would). The loser just opens the winner's.
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = null;
        try {
            tmp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
            try (FileChannel c = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                ByteBuffer b = ByteBuffer.wrap(SymbolMapLayout.encodeHeader(year));
                while (b.hasRemaining()) c.write(b);
                c.force(true);
            }
            try {
                Files.createLink(file, tmp);
            } catch (java.nio.file.FileAlreadyExistsException raced) {
                // Another creator won; its file is as good as ours.
            }
            Files.delete(tmp);
            tmp = null;
            FileUtil.fsyncDir(dir);
        } catch (IOException | UnsupportedOperationException e) {
            throw QuireException.io("cannot create symbol map " + file + ": " + e.getMessage(), Where.file(file.toString(), -1),
                    e instanceof IOException io ? io : new IOException(e));
        } finally {
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // A stray temp file is harmless; the map itself was never touched.
                }
            }
        }
    }

    private static SymbolMap load(Path file, int year, FileChannel ch, FileLock lock) throws IOException {
        long size = ch.size();
        long maxBytes = SymbolMapLayout.HEADER_BYTES + (long) SymbolLimits.SYMBOLS_PER_YEAR_MAX * SymbolMapLayout.RECORD_BYTES_MAX
                + SymbolMapLayout.WRITE_BYTES_MAX;
        if (size > maxBytes) throw integrity(file, 0, "the file is " + size + " bytes, more than a full map can take (" + maxBytes + ")");
        ByteBuffer all = ByteBuffer.allocate((int) size).order(ByteOrder.LITTLE_ENDIAN);
        while (all.hasRemaining()) {
            if (ch.read(all, all.position()) < 0) throw integrity(file, all.position(), "the file shrank while being read");
        }
        byte[] a = all.array();
        checkHeader(file, year, all);
        List<String> loaded = new ArrayList<>();
        Map<String, Integer> seen = new HashMap<>();
        int pos = SymbolMapLayout.HEADER_BYTES;
        Recovery recovery = null;
        while (pos < size) {
            long remaining = size - pos;
            String bad = null;
            int len = remaining > SymbolMapLayout.REC_OFF_LEN_8 ? a[pos + SymbolMapLayout.REC_OFF_LEN_8] & 0xFF : -1;
            if (len < 0) bad = "an incomplete record header";
            else if (len == 0 || len > SymbolLimits.SYMBOL_BYTES_MAX) bad = "a record length of " + len;
            else if (remaining < SymbolMapLayout.RECORD_OVERHEAD_BYTES + len) bad = "an incomplete record";
            else {
                int stored = all.getInt(pos + SymbolMapLayout.REC_OFF_SYMBOL + len);
                if (stored != SymbolMapLayout.crc(a, pos, SymbolMapLayout.REC_OFF_SYMBOL + len)) bad = "a CRC32C mismatch";
            }
            if (bad != null) {
                if (remaining > SymbolMapLayout.WRITE_BYTES_MAX) {
                    throw integrity(file, pos, "corrupt record for symbol_id " + loaded.size() + ": " + bad + ", with "
                            + remaining + " bytes after it (more than one write; not a torn tail). Restore the file from a backup");
                }
                recovery = new Recovery(pos, remaining);
                break;
            }
            int id = all.getShort(pos + SymbolMapLayout.REC_OFF_ID_16) & 0xFFFF;
            String symbol = new String(a, pos + SymbolMapLayout.REC_OFF_SYMBOL, len, StandardCharsets.ISO_8859_1);
            if (id != loaded.size()) throw integrity(file, pos, "record holds symbol_id " + id + " where " + loaded.size() + " was expected");
            if (loaded.size() >= SymbolLimits.SYMBOLS_PER_YEAR_MAX) throw integrity(file, pos, "more than " + SymbolLimits.SYMBOLS_PER_YEAR_MAX + " symbols");
            String problem = problem(symbol);
            if (problem != null) throw integrity(file, pos, "symbol_id " + id + " holds an invalid symbol: " + problem);
            Integer dup = seen.putIfAbsent(symbol, id);
            if (dup != null) throw integrity(file, pos, "symbol '" + symbol + "' appears as symbol_id " + dup + " and " + id);
            loaded.add(symbol);
            pos += SymbolMapLayout.RECORD_OVERHEAD_BYTES + len;
        }
        if (recovery != null && lock != null) {
            ch.truncate(recovery.tornOffset());
            ch.force(true);
        }
        return new SymbolMap(file, year, ch, lock, recovery, loaded, pos);
    }

    private static void checkHeader(Path file, int year, ByteBuffer b) {
        if (b.capacity() < SymbolMapLayout.HEADER_BYTES) {
            throw integrity(file, 0, "the file is " + b.capacity() + " bytes, shorter than its " + SymbolMapLayout.HEADER_BYTES + "-byte header");
        }
        if (b.getInt(SymbolMapLayout.OFF_MAGIC_32) != SymbolMapLayout.MAGIC) throw integrity(file, 0, "not a symbol map (bad magic)");
        if (b.getInt(SymbolMapLayout.OFF_HEADER_CRC_32) != SymbolMapLayout.crc(b.array(), 0, SymbolMapLayout.OFF_HEADER_CRC_32)) {
            throw integrity(file, SymbolMapLayout.OFF_HEADER_CRC_32, "header CRC32C mismatch");
        }
        int version = b.getShort(SymbolMapLayout.OFF_VERSION_16) & 0xFFFF;
        if (version != SymbolMapLayout.FORMAT_VERSION) {
            throw integrity(file, SymbolMapLayout.OFF_VERSION_16, "format version " + version + " is not supported (this build reads "
                    + SymbolMapLayout.FORMAT_VERSION + ")");
        }
        int fileYear = b.getShort(SymbolMapLayout.OFF_YEAR_16) & 0xFFFF;
        if (fileYear != year) {
            throw new QuireException(ErrorKind.INVALID_INPUT, "symbol map " + file + " is for year " + fileYear + ", not " + year,
                    Where.file(file.toString(), SymbolMapLayout.OFF_YEAR_16)).withCode("wrong_year");
        }
    }

    private static QuireException integrity(Path file, long offset, String problem) {
        return QuireException.integrity("symbol map " + file.getFileName() + ": " + problem, Where.file(file.toString(), offset));
    }

    /**
     * The id of {@code symbol}, allocating the next one (durably) on first sight. INVALID_INPUT
     * for a malformed symbol; CONFLICT ({@code symbol_cap}) when the year already holds
     * {@link SymbolLimits#SYMBOLS_PER_YEAR_MAX} symbols — nothing is written then.
     */
    public int resolve(String symbol) {
        validate(symbol);
        Integer id = ids.get(symbol);
        if (id != null) return id;
        return resolveAll(List.of(symbol))[0];
    }

    /**
     * The ids of {@code symbols}, in order, allocating the new ones in one write and one fsync.
     * All or nothing: if any symbol is invalid, or the new ones would pass the cap, nothing is
     * written. At most {@link SymbolLimits#SYMBOLS_PER_BATCH_MAX} symbols per call.
     */
    public int[] resolveAll(List<String> symbols) {
        if (symbols.size() > SymbolLimits.SYMBOLS_PER_BATCH_MAX) {
            throw QuireException.invalid(symbols.size() + " symbols in one call; the limit is "
                    + SymbolLimits.SYMBOLS_PER_BATCH_MAX + " (SYMBOLS_PER_BATCH_MAX)").withCode("symbol_batch");
        }
        for (String s : symbols) validate(s);
        if (lock == null) {
            for (String s : symbols) {
                if (!ids.containsKey(s)) throw QuireException.conflict("symbol map " + file + " is open read-only; cannot allocate an id for '" + s + "'").withCode("read_only");
            }
        }
        int[] out = new int[symbols.size()];
        boolean allKnown = true;
        for (int i = 0; i < out.length; i++) {
            Integer id = ids.get(symbols.get(i));
            if (id == null) {
                allKnown = false;
                break;
            }
            out[i] = id;
        }
        if (allKnown) return out;
        synchronized (appendLock) {
            if (closed) throw new IllegalStateException("symbol map " + file + " is closed");
            if (broken) {
                throw QuireException.io("symbol map " + file + " refused: an earlier write failed; reopen it",
                        Where.file(file.toString(), fileBytes), null);
            }
            // Decide every id first (a symbol repeated in the batch gets one id), then write.
            Map<String, Integer> fresh = new java.util.LinkedHashMap<>();
            int next = count;
            for (int i = 0; i < out.length; i++) {
                String s = symbols.get(i);
                Integer id = ids.get(s);
                if (id == null) id = fresh.get(s);
                if (id == null) {
                    id = next++;
                    fresh.put(s, id);
                }
                out[i] = id;
            }
            if (next > SymbolLimits.SYMBOLS_PER_YEAR_MAX) {
                throw new QuireException(ErrorKind.CONFLICT, "symbol cap reached for " + year + ": " + count + " symbols allocated, "
                        + fresh.size() + " new asked, the limit is " + SymbolLimits.SYMBOLS_PER_YEAR_MAX
                        + " per year (SYMBOLS_PER_YEAR_MAX); nothing was written", Where.file(file.toString(), fileBytes))
                        .withCode("symbol_cap");
            }
            if (fresh.isEmpty()) return out;
            append(fresh);
            return out;
        }
    }

    /** Writes and fsyncs the records of {@code fresh} (ids count, count+1, …), then publishes them. */
    private void append(Map<String, Integer> fresh) {
        int bytes = 0;
        for (String s : fresh.keySet()) bytes += SymbolMapLayout.recordBytes(s);
        ByteBuffer b = ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
        for (Map.Entry<String, Integer> e : fresh.entrySet()) SymbolMapLayout.encodeRecord(b, e.getValue(), e.getKey());
        if (b.hasRemaining()) throw new IllegalStateException("bad math in SymbolMap.append: " + b.remaining() + " bytes left");
        b.flip();
        long at = fileBytes;
        try {
            io.quire.core.log.FileUtil.appendDurably(ch, b, at);
        } catch (IOException e) {
            broken = true;
            throw QuireException.io("cannot append to symbol map " + file + ": " + e.getMessage()
                    + "; no id was handed out. Reopen the map to continue", Where.file(file.toString(), at), e);
        }
        fileBytes = at + bytes;
        for (Map.Entry<String, Integer> e : fresh.entrySet()) {
            int id = e.getValue();
            if (id != count) throw new IllegalStateException("bad math in SymbolMap.append: id " + id + " count " + count);
            symbols[id] = e.getKey();
            count = id + 1;          // volatile: publishes symbols[id]
            ids.put(e.getKey(), id); // last, so an id found here always has its symbol visible
        }
    }

    /** The id of {@code symbol} if it has one. Never allocates. */
    public OptionalInt idOf(String symbol) {
        Integer id = ids.get(symbol);
        return id == null ? OptionalInt.empty() : OptionalInt.of(id);
    }

    /** The symbol of {@code id} if it is allocated. */
    public Optional<String> symbolOf(int id) {
        int n = count;
        return id < 0 || id >= n ? Optional.empty() : Optional.of(symbols[id]);
    }

    /** The symbol of {@code id}, or NOT_FOUND. */
    public String symbol(int id) {
        return symbolOf(id).orElseThrow(() -> QuireException.notFound("symbol_id " + id + " is not allocated in " + year
                + " (" + count + " symbols)"));
    }

    /** How many symbols are allocated (ids {@code 0..size()-1}). */
    public int size() { return count; }

    public int year() { return year; }

    public Path file() { return file; }

    /** The symbols by id. */
    public List<String> symbols() { return List.of(Arrays.copyOf(symbols, count)); }

    /** The torn tail truncated when this map was opened, if there was one. */
    public Optional<Recovery> recovery() { return Optional.ofNullable(recovery); }

    /** INVALID_INPUT ({@code symbol_invalid}) unless {@code symbol} is a valid symbol. */
    public static void validate(String symbol) {
        String problem = problem(symbol);
        if (problem != null) throw QuireException.invalid(problem).withCode("symbol_invalid");
    }

    /**
     * What is wrong with {@code symbol}, or null: it must be 1..{@link SymbolLimits#SYMBOL_BYTES_MAX}
     * bytes of printable ASCII without spaces (0x21..0x7E), e.g. {@code AAPL}, {@code BRK.B},
     * {@code O:SPY251112C00675000}.
     */
    static String problem(String symbol) {
        if (symbol == null || symbol.isEmpty()) return "symbol must not be empty";
        if (symbol.length() > SymbolLimits.SYMBOL_BYTES_MAX) {
            return "symbol is " + symbol.length() + " characters; the limit is " + SymbolLimits.SYMBOL_BYTES_MAX + " bytes (SYMBOL_BYTES_MAX)";
        }
        for (int i = 0; i < symbol.length(); i++) {
            char c = symbol.charAt(i);
            if (c < 0x21 || c > 0x7E) {
                return String.format("symbol '%s' has character U+%04X at index %d; only printable ASCII without spaces is allowed",
                        symbol.replaceAll("[^\\x21-\\x7E]", "?"), (int) c, i);
            }
        }
        return null;
    }

    private static void checkYear(int year) {
        if (year < CalendarLimits.YEAR_MIN || year > CalendarLimits.YEAR_MAX) {
            throw QuireException.invalid("year " + year + " is outside the supported range " + CalendarLimits.YEAR_MIN + ".." + CalendarLimits.YEAR_MAX);
        }
    }

    /** Releases the file lock and closes the file. Idempotent. Lookups keep working on what was loaded. */
    @Override
    public void close() {
        synchronized (appendLock) {
            if (closed) return;
            closed = true;
            try {
                if (lock != null && lock.isValid()) lock.release();
            } catch (IOException ignored) {
                // Closing the channel releases the lock too.
            }
            closeQuietly(ch);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        if (ch == null) return;
        try {
            ch.close();
        } catch (IOException ignored) {
            // Nothing was pending: every append was forced before it returned.
        }
    }
}
