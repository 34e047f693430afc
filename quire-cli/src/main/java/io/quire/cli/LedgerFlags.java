package io.quire.cli;

import io.quire.core.Durability;
import picocli.CommandLine.Option;

import java.util.EnumMap;
import java.util.Map;

/**
 * The command-line layer of {@link LedgerSettings}: {@code --durability}, {@code --segment-bytes}
 * and {@code --watchers-per-stream}, mixed into the commands that write (and {@code config}).
 * A flag that is given beats {@code $QUIRE_*}, which beats quire.yaml, which beats the default.
 */
final class LedgerFlags {

    /** No flags given: for commands without this mixin. */
    static final LedgerFlags NONE = new LedgerFlags();

    @Option(names = "--durability", paramLabel = "MODE", converter = Converters.DurabilityConverter.class,
            description = "When an entry counts as durable: sync (fsync before acknowledging), "
                    + "interval=MS (fsync at least every MS milliseconds, 1..60000), none (OS page cache). "
                    + "Default: $QUIRE_DURABILITY, else quire.yaml, else sync.")
    Durability durability;

    @Option(names = "--segment-bytes", paramLabel = "BYTES", converter = Converters.SettingConverter.SegmentBytes.class,
            description = "Size in bytes (8388608..2147483648) at which a log segment is sealed and a new "
                    + "one started. Default: $QUIRE_SEGMENT_BYTES, else quire.yaml, else 67108864 (64 MiB).")
    Long segmentBytes;

    @Option(names = "--watchers-per-stream", paramLabel = "N",
            converter = Converters.SettingConverter.WatchersPerStream.class,
            description = "Most concurrent watchers of one stream in this process (1..2147483647). "
                    + "Default: $QUIRE_WATCHERS_PER_STREAM, else quire.yaml, else 1024.")
    Integer watchersPerStream;

    /** The flags that were given, by key. */
    Map<LedgerSettings.Key, Object> given() {
        Map<LedgerSettings.Key, Object> m = new EnumMap<>(LedgerSettings.Key.class);
        if (durability != null) m.put(LedgerSettings.Key.DURABILITY, durability);
        if (segmentBytes != null) m.put(LedgerSettings.Key.SEGMENT_BYTES, segmentBytes);
        if (watchersPerStream != null) m.put(LedgerSettings.Key.WATCHERS_PER_STREAM, watchersPerStream);
        return m;
    }
}
