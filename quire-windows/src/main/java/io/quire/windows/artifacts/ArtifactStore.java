package io.quire.windows.artifacts;

import io.quire.core.ErrorKind;
import io.quire.core.QuireException;
import io.quire.core.Where;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.ingest.QuoteRow;
import io.quire.windows.ingest.TradeRow;
import io.quire.windows.mapping.ArtifactRef;
import io.quire.windows.mapping.QuotePayload;
import io.quire.windows.mapping.TradePayload;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The artifact segments of one ledger year, under {@code <ledger>/windows/<year>/artifacts/}: one
 * append-only segment per (kind, New York trading date), each frame one symbol-minute. The
 * {@link ArtifactRef} a {@code trade_ref} / {@code quote_ref} payload holds addresses a frame:
 * {@code artifact} = the canonical {@link ArtifactName}, {@code offset}/{@code length} = the frame's
 * bytes, {@code recordCount} and first/last SIP timestamps as in the frame header.
 *
 * <p>Reads verify everything (magic, length, CRC32C, and that the frame's row count and
 * timestamps equal the ref's) and never take the append lock, so any process can read while an
 * engine appends: a ref is only handed out after its bytes are durable. Thread-safe.
 */
public final class ArtifactStore implements AutoCloseable {
    private final Path yearDir;
    private final int year;
    private final Map<ArtifactName, ArtifactFile> appenders = new ConcurrentHashMap<>();
    private final Map<ArtifactName, FileChannel> readers = new ConcurrentHashMap<>();

    private ArtifactStore(Path yearDir, int year) {
        this.yearDir = yearDir;
        this.year = year;
    }

    /** The store of {@code year} under {@code <ledgerDir>/windows/<year>/}. Nothing is created until the first append. */
    public static ArtifactStore open(Path ledgerDir, int year) {
        return new ArtifactStore(ledgerDir.resolve("windows").resolve(Integer.toString(year)), year);
    }

    public Path yearDir() { return yearDir; }

    /** The appender of one segment, opened (and its tail recovered) on first use and kept. */
    public ArtifactFile appender(ArtifactKind kind, LocalDate date) {
        if (date.getYear() != year) throw QuireException.invalid("date " + date + " is not in the store's year " + year);
        ArtifactName n = new ArtifactName(kind, date);
        return appenders.computeIfAbsent(n, k -> ArtifactFile.open(yearDir, k));
    }

    /** Appends the trades of one symbol-minute and returns the payload to put in {@code trade.map}. */
    public TradePayload appendTrades(LocalDate date, String symbol, int minuteIdx, List<TradeRow> rows) {
        return new TradePayload(appender(ArtifactKind.TRADES, date).append(symbol, minuteIdx, rows));
    }

    /** Appends the quotes of one symbol-minute and returns the payload to put in {@code quote.map}. */
    public QuotePayload appendQuotes(LocalDate date, String symbol, int minuteIdx, List<QuoteRow> rows) {
        return new QuotePayload(appender(ArtifactKind.QUOTES, date).append(symbol, minuteIdx, rows));
    }

    /** The frame {@code ref} points at, verified; INTEGRITY naming file and offset when anything disagrees. */
    public ArtifactBatch<? extends FlatRow> read(ArtifactRef ref) {
        ArtifactName n = ArtifactName.parse(ref.artifact());
        Path path = n.fileIn(yearDir);
        Where where = Where.file(path.toString(), ref.offset());
        if (ref.length() < ArtifactLayout.FRAME_MIN_BYTES || ref.length() > ArtifactLimits.FRAME_BYTES_MAX) {
            throw QuireException.invalid("artifact ref length " + ref.length() + " is outside " + ArtifactLayout.FRAME_MIN_BYTES + ".." + ArtifactLimits.FRAME_BYTES_MAX);
        }
        byte[] f = new byte[(int) ref.length()];
        try {
            FileChannel ch = channel(n, path);
            if (ref.offset() + ref.length() > ch.size()) {
                throw QuireException.integrity("artifact ref runs past the end of the segment (" + ch.size() + " bytes): the frame is missing", where);
            }
            ArtifactFile.readFully(ch, f, ref.offset(), path);
        } catch (IOException e) {
            throw QuireException.io("cannot read artifact segment " + path + ": " + e.getMessage(), where, e);
        }
        if (!ArtifactLayout.intact(f, 0, f.length)) throw QuireException.integrity("artifact frame fails its check (magic, length or CRC32C)", where).withCode("checksum_mismatch");
        ArtifactBatch<? extends FlatRow> b;
        try {
            b = ArtifactCodec.decodeFrame(f, 0, f.length);
        } catch (ArtifactCodec.Malformed m) {
            throw QuireException.integrity("artifact frame is malformed: " + m.getMessage(), where).withCode("artifact_malformed");
        }
        long first = ArtifactLayout.i64le(f, ArtifactLayout.OFF_FIRST_TS_64), last = ArtifactLayout.i64le(f, ArtifactLayout.OFF_LAST_TS_64);
        if (b.kind() != n.kind() || b.rows().size() != ref.recordCount() || first != ref.firstTsNs() || last != ref.lastTsNs()) {
            throw QuireException.integrity("artifact frame does not match its ref: " + b.kind().label() + " " + b.rows().size() + " rows " + first + ".." + last
                    + " vs " + n.kind().label() + " " + ref.recordCount() + " rows " + ref.firstTsNs() + ".." + ref.lastTsNs(), where).withCode("ref_mismatch");
        }
        return b;
    }

    @SuppressWarnings("unchecked")
    public ArtifactBatch<TradeRow> readTrades(ArtifactRef ref) {
        ArtifactBatch<? extends FlatRow> b = read(ref);
        if (b.kind() != ArtifactKind.TRADES) throw QuireException.invalid("ref " + ref.artifact() + " holds " + b.kind().label() + ", not trades");
        return (ArtifactBatch<TradeRow>) b;
    }

    @SuppressWarnings("unchecked")
    public ArtifactBatch<QuoteRow> readQuotes(ArtifactRef ref) {
        ArtifactBatch<? extends FlatRow> b = read(ref);
        if (b.kind() != ArtifactKind.QUOTES) throw QuireException.invalid("ref " + ref.artifact() + " holds " + b.kind().label() + ", not quotes");
        return (ArtifactBatch<QuoteRow>) b;
    }

    private FileChannel channel(ArtifactName n, Path path) throws IOException {
        FileChannel ch = readers.get(n);
        if (ch != null) return ch;
        try {
            FileChannel opened = FileChannel.open(path, StandardOpenOption.READ);
            FileChannel prior = readers.putIfAbsent(n, opened);
            if (prior != null) {
                opened.close();
                return prior;
            }
            return opened;
        } catch (NoSuchFileException e) {
            throw new QuireException(ErrorKind.NOT_FOUND, "artifact segment " + path + " does not exist", Where.file(path.toString(), -1));
        }
    }

    @Override
    public void close() {
        RuntimeException first = null;
        for (ArtifactFile f : appenders.values()) {
            try {
                f.close();
            } catch (RuntimeException e) {
                if (first == null) first = e; else first.addSuppressed(e);
            }
        }
        for (FileChannel c : readers.values()) {
            try {
                c.close();
            } catch (IOException ignored) {
                // Read-only channel: nothing to lose.
            }
        }
        appenders.clear();
        readers.clear();
        if (first != null) throw first;
    }
}
