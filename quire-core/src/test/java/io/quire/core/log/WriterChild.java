package io.quire.core.log;

import io.quire.core.Draft;
import io.quire.core.Durability;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.LedgerOptions;
import io.quire.core.Limits;
import io.quire.core.QuireException;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Random;

/**
 * The writer process of {@link ReadOnlyFollowProcessTest}. Usage:
 * <ul>
 *   <li>{@code WriterChild append <dir> <count> <seed>}: opens the ledger writable (minimal
 *       segments), prints {@code opened}, waits for a line on stdin, then appends {@code count}
 *       entries to stream {@code s} (every 8th a ~1 MiB payload, so segments roll; a checkpoint
 *       now and then, so the catalog is resealed), printing {@code <seq> <hashhex>} per entry,
 *       then {@code done}, and waits for stdin to close before closing the ledger.</li>
 *   <li>{@code WriterChild tryopen <dir>}: tries to open writable and prints {@code opened} or
 *       {@code refused <KIND>}.</li>
 * </ul>
 */
public final class WriterChild {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        LedgerOptions o = LedgerOptions.defaults().withDurability(Durability.NONE).withSegmentBytes(Limits.SEGMENT_BYTES_MIN);
        if (args[0].equals("tryopen")) {
            try (Ledger l = Ledger.open(dir, o)) {
                System.out.println("opened");
            } catch (QuireException e) {
                System.out.println("refused " + e.kind());
            }
            return;
        }
        int count = Integer.parseInt(args[2]);
        Random r = new Random(Long.parseLong(args[3]));
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        try (Ledger l = Ledger.open(dir, o)) {
            System.out.println("opened");
            System.out.flush();
            in.readLine();
            for (int i = 0; i < count; i++) {
                byte[] p = new byte[i % 8 == 0 ? (1 << 20) - 1000 : 1 + r.nextInt(2000)];
                r.nextBytes(p);
                Entry e = l.append("s", new Draft("w" + i, i % 2 == 0 ? "even" : "odd", null, p));
                System.out.println(e.seq() + " " + e.hash().hex());
                if (i % 50 == 49) l.checkpoint();
            }
            System.out.println("done");
            System.out.flush();
            while (in.readLine() != null) { /* hold the ledger open until the test closes stdin */ }
        }
    }
}
