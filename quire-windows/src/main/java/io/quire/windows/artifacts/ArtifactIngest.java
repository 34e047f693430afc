package io.quire.windows.artifacts;

import io.quire.windows.calendar.TradingCalendar;
import io.quire.windows.ingest.FlatFileKind;
import io.quire.windows.ingest.FlatFilePartitioner;
import io.quire.windows.ingest.FlatFileReader;
import io.quire.windows.ingest.FlatRow;
import io.quire.windows.ingest.IngestReport;
import io.quire.windows.mapping.ArtifactRef;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * One flat file into artifact segments in one streaming pass: the partitioner's (symbol, minute)
 * groups are buffered and appended in batches (one fsync per batch instead of per group), each
 * batch bounded by {@link #FRAMES_PER_BATCH} frames and {@link #ROWS_PER_BATCH} rows, so memory
 * stays bounded whatever the file. A group goes to the segment of its session's date. The sink
 * hears of each group only after its frame is durable, in file order — that is where the ingest
 * engine appends the {@code TradePayload}/{@code QuotePayload} to its mapping file and writes the
 * slot.
 */
public final class ArtifactIngest {
    private ArtifactIngest() {}

    /** Frames buffered before an append. */
    public static final int FRAMES_PER_BATCH = 1_024;
    /** Rows buffered before an append (keeps a batch of fat rows well under memory bounds). */
    public static final int ROWS_PER_BATCH = 1_000_000;

    static {
        if (FRAMES_PER_BATCH > ArtifactLimits.FRAMES_PER_APPEND_MAX) throw new ExceptionInInitializerError("FRAMES_PER_BATCH > FRAMES_PER_APPEND_MAX");
    }

    /** Told about each stored group once durable. */
    @FunctionalInterface
    public interface RefSink {
        void stored(String ticker, int minuteIdx, LocalDate date, ArtifactRef ref);
    }

    public static IngestReport run(FlatFileReader reader, TradingCalendar calendar, ArtifactStore store, RefSink sink) {
        ArtifactKind kind = reader.kind() == FlatFileKind.TRADES ? ArtifactKind.TRADES : ArtifactKind.QUOTES;
        List<ArtifactFile.Group> pending = new ArrayList<>();
        List<LocalDate> dates = new ArrayList<>();
        long[] rows = {0};
        Runnable flush = () -> {
            int i = 0;
            while (i < pending.size()) { // one append per date run (a file normally holds one date)
                LocalDate d = dates.get(i);
                int j = i;
                while (j < pending.size() && dates.get(j).equals(d)) j++;
                List<ArtifactRef> refs = store.appender(kind, d).append(pending.subList(i, j));
                for (int k = i; k < j; k++) sink.stored(pending.get(k).symbol(), pending.get(k).minuteIdx(), d, refs.get(k - i));
                i = j;
            }
            pending.clear();
            dates.clear();
            rows[0] = 0;
        };
        IngestReport rep = FlatFilePartitioner.<FlatRow>run(reader, calendar, (ticker, minute, group) -> {
            if (rows[0] + group.size() > ROWS_PER_BATCH && !pending.isEmpty()) flush.run();
            pending.add(new ArtifactFile.Group(ticker, minute, group));
            dates.add(calendar.sessionOfMinute(minute).date());
            rows[0] += group.size();
            if (pending.size() >= FRAMES_PER_BATCH || rows[0] >= ROWS_PER_BATCH) flush.run();
        });
        flush.run();
        return rep;
    }

    /** Convenience: opens {@code file}, runs, closes. */
    public static IngestReport run(java.nio.file.Path file, FlatFileKind kind, TradingCalendar calendar, ArtifactStore store, RefSink sink) {
        try (FlatFileReader r = FlatFileReader.open(file, kind)) {
            return run(r, calendar, store, sink);
        }
    }
}
