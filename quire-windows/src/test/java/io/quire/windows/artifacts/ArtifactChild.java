package io.quire.windows.artifacts;

import io.quire.windows.mapping.ArtifactRef;

import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A child process for the crash test. {@code append LEDGER_DIR SEED}: opens the 2025-11-12 trades
 * segment (reporting a torn tail on stderr), prints {@code open FRAMES}, then forever appends
 * batches of 1..8 frames whose rows are {@code ArtifactSamples.trades(frameSeed, …)} and prints,
 * for every frame once its batch is durable, {@code ack FRAMESEED SYMBOL MINUTE ARTIFACT OFFSET LENGTH COUNT FIRST LAST}.
 */
public final class ArtifactChild {
    public static void main(String[] args) {
        Path dir = Path.of(args[1]);
        long seed = Long.parseLong(args[2]);
        SplittableRandom rnd = new SplittableRandom(seed);
        try (ArtifactStore store = ArtifactStore.open(dir, 2025)) {
            ArtifactFile f = store.appender(ArtifactKind.TRADES, LocalDate.of(2025, 11, 12));
            f.recovery().ifPresent(r -> System.err.println("recovery: " + r));
            System.out.println("open " + f.frames());
            System.out.flush();
            while (true) {
                int n = 1 + rnd.nextInt(8);
                List<ArtifactFile.Group> groups = new ArrayList<>(n);
                long[] seeds = new long[n];
                for (int i = 0; i < n; i++) {
                    seeds[i] = rnd.nextLong();
                    String sym = "S" + rnd.nextInt(50);
                    int minute = rnd.nextInt(390);
                    groups.add(new ArtifactFile.Group(sym, minute, ArtifactSamples.trades(seeds[i], sym, minute)));
                }
                List<ArtifactRef> refs = f.append(groups);
                StringBuilder b = new StringBuilder();
                for (int i = 0; i < n; i++) {
                    ArtifactRef r = refs.get(i);
                    b.append("ack ").append(seeds[i]).append(' ').append(groups.get(i).symbol()).append(' ').append(groups.get(i).minuteIdx()).append(' ')
                            .append(r.artifact()).append(' ').append(r.offset()).append(' ').append(r.length()).append(' ').append(r.recordCount()).append(' ')
                            .append(r.firstTsNs()).append(' ').append(r.lastTsNs()).append('\n');
                }
                System.out.print(b);
                System.out.flush();
            }
        }
    }
}
