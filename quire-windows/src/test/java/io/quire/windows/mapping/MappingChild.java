package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A child process for the crash test. {@code append FILE SEED}: opens FILE as trade.map of 2025
 * (reporting a torn tail on stderr), prints {@code open COUNT}, then forever appends batches of
 * 1..16 trades whose content is {@code Samples.forIndex(TRADE, id)} and prints
 * {@code ack FIRST LAST} after each batch is acknowledged (durable).
 */
public final class MappingChild {
    public static void main(String[] args) {
        Path file = Path.of(args[1]);
        SplittableRandom rnd = new SplittableRandom(Long.parseLong(args[2]));
        try (MappingFile<TradePayload> m = MappingFile.open(file, 2025, TradePayloadCodec.INSTANCE)) {
            m.recovery().ifPresent(r -> System.err.println("recovery: " + r));
            System.out.println("open " + m.count());
            System.out.flush();
            while (true) {
                long next = m.count() + 1;
                int n = 1 + rnd.nextInt(16);
                List<TradePayload> batch = new ArrayList<>(n);
                for (int i = 0; i < n; i++) batch.add((TradePayload) Samples.forIndex(PayloadType.TRADE, next + i));
                List<Appended> acks = m.appendAll(batch);
                if (acks.getFirst().payloadId() != next) throw new AssertionError("ids not dense: " + acks.getFirst() + " expected " + next);
                System.out.println("ack " + acks.getFirst().payloadId() + " " + acks.getLast().payloadId());
                System.out.flush();
            }
        }
    }
}
