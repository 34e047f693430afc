package io.quire.core.crash;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;

import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * The writer process {@link CrashTest} kills with SIGKILL. Usage:
 * {@code CrashChild <dir> <sync|none> <segmentBytes> <seed> <cycle>}. It opens the ledger, then
 * {@link #THREADS} threads append forever (single appends with and without ids, idempotent
 * retries, batches, several streams, payloads of 0..8 KiB) and after each acknowledged entry print
 * {@code <stream> <seq> <position> <hashhex>} on stdout, flushed, one write per line. It never
 * exits on its own unless something fails (then exit code 2, cause on stderr).
 */
public final class CrashChild {
    static final int THREADS = 4;
    static final String[] STREAMS = {"ctx/a", "ctx/b", "intent/x", "state/svc", "windows/audit", "ctx/ü-日本"};
    static final int PAYLOAD_BYTES_MAX = 8 * 1024;

    private static final OutputStream OUT = new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16);

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Durability durability = Durability.parse(args[1]);
        long segmentBytes = Long.parseLong(args[2]);
        long seed = Long.parseLong(args[3]);
        int cycle = Integer.parseInt(args[4]);
        Ledger l = Ledger.open(dir, LedgerOptions.defaults().withDurability(durability).withSegmentBytes(segmentBytes));
        System.err.println("child cycle " + cycle + " opened: " + l.recovery() + " size=" + l.size());
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < THREADS; t++) {
            int ti = t;
            threads.add(Thread.ofPlatform().name("appender-" + t).start(() -> {
                try {
                    appendForever(l, new Random(seed * 31 + ti), "c" + cycle + "-t" + ti + "-");
                } catch (Throwable e) {
                    e.printStackTrace();
                    Runtime.getRuntime().halt(2);
                }
            }));
        }
        for (Thread t : threads) t.join();
    }

    private static void appendForever(Ledger l, Random rnd, String idPrefix) throws IOException {
        long n = 0;
        Draft lastWithId = null;
        String lastStream = null;
        while (true) {
            String stream = STREAMS[rnd.nextInt(STREAMS.length)];
            int op = rnd.nextInt(10);
            if (op < 6) {
                Draft d = draft(rnd, rnd.nextInt(3) == 0 ? idPrefix + (n++) : null);
                ack(l.append(stream, d));
                if (d.id() != null) { lastWithId = d; lastStream = stream; }
            } else if (op < 8) {
                int k = 1 + rnd.nextInt(8);
                List<Draft> ds = new ArrayList<>();
                for (int i = 0; i < k; i++) ds.add(draft(rnd, rnd.nextBoolean() ? idPrefix + (n++) : null));
                for (Entry e : l.appendBatch(stream, ds)) ack(e);
            } else if (op == 8 && lastWithId != null) {
                // An idempotent retry: the same id and content return the entry already stored.
                ack(l.append(lastStream, lastWithId));
            } else {
                var a = l.appendAsync(stream, draft(rnd, null));
                var b = l.appendAsync(stream, draft(rnd, null));
                ack(a.join());
                ack(b.join());
            }
        }
    }

    private static Draft draft(Random rnd, String id) {
        byte[] payload = new byte[rnd.nextInt(PAYLOAD_BYTES_MAX + 1)];
        rnd.nextBytes(payload);
        Draft d = Draft.of(payload).withId(id);
        if (rnd.nextInt(4) == 0) d = d.withKey("facts").withMetadata(Map.of("k", Integer.toString(rnd.nextInt(100))));
        return d;
    }

    private static void ack(Entry e) throws IOException {
        byte[] line = (CrashSupport.Ack.of(e).line() + "\n").getBytes(StandardCharsets.UTF_8);
        synchronized (OUT) {
            OUT.write(line);
            OUT.flush();
        }
    }
}
