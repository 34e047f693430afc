package io.quire.windows.slots;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

import static io.quire.windows.slots.SlotTestSupport.*;

/**
 * A child process for the multi-process tests. Modes (all on a TRADE matrix of YEAR):
 * <ul>
 *   <li>{@code race FILE SYMBOLS MINUTES HOT ATTEMPTS GO}: waits for file GO, then ATTEMPTS times
 *       reads trade_ref of (0, i % HOT) at version v and sets version v+1 with expected v;
 *       prints {@code successes=N}.</li>
 *   <li>{@code writer FILE SYMBOLS MINUTES SEED}: writes, claims and clears random slots of
 *       symbols 0..3 forever (fills carry checksum f(id, version)); prints {@code ready}.</li>
 *   <li>{@code halt FILE SYMBOLS MINUTES SYM MIN}: fills trade_ref of (SYM, MIN) and halts the JVM
 *       after the first field store, leaving an odd sequence; prints {@code claimed} first.</li>
 *   <li>{@code hold FILE SYMBOLS MINUTES}: opens the file and waits for a line on stdin.</li>
 * </ul>
 */
public final class SlotChild {
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        Path file = Path.of(args[1]);
        int symbols = Integer.parseInt(args[2]);
        int minutes = Integer.parseInt(args[3]);
        switch (mode) {
            case "race" -> race(file, symbols, minutes, Integer.parseInt(args[4]), Integer.parseInt(args[5]), Path.of(args[6]));
            case "writer" -> writer(file, symbols, minutes, Long.parseLong(args[4]));
            case "halt" -> halt(file, symbols, minutes, Integer.parseInt(args[4]), Integer.parseInt(args[5]), false);
            case "stall" -> halt(file, symbols, minutes, Integer.parseInt(args[4]), Integer.parseInt(args[5]), true);
            case "hold" -> {
                try (SlotMatrix m = open(file, LedgerKind.TRADE, symbols, minutes)) {
                    System.out.println("open session=" + m.session());
                    System.out.flush();
                    new BufferedReader(new InputStreamReader(System.in)).readLine();
                }
            }
            default -> throw new IllegalArgumentException(mode);
        }
    }

    private static void race(Path file, int symbols, int minutes, int hot, int attempts, Path go) throws Exception {
        try (TradeLedger l = new TradeLedger(open(file, LedgerKind.TRADE, symbols, minutes))) {
            System.out.println("ready");
            System.out.flush();
            while (!Files.exists(go)) Thread.sleep(1);
            long ok = 0;
            for (int i = 0; i < attempts; i++) {
                int min = i % hot;
                long v = l.read(SlotKind.TRADE_REF, 0, min).version();
                if (l.setTradeRef(0, min, meta(PayloadType.TRADE, v + 1, v + 1), v).ok()) ok++;
            }
            System.out.println("successes=" + ok);
        }
    }

    private static void writer(Path file, int symbols, int minutes, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        TradeLedger l = new TradeLedger(open(file, LedgerKind.TRADE, symbols, minutes));
        boolean told = false;
        for (long n = 0; ; n++) {
            int sym = rnd.nextInt(Math.min(4, symbols));
            int min = rnd.nextInt(minutes);
            SlotKind k = SlotKind.of(LedgerKind.TRADE)[rnd.nextInt(4)];
            int op = rnd.nextInt(10);
            if (op < 7) {
                long v = l.read(k, sym, min).version() + 1;
                l.matrix().fill(k, sym, min, meta(k.accepts(), v, v), Transitions.NO_EXPECTED);
            } else if (op < 9) {
                l.markPending(k, sym, min);
            } else {
                l.clearSlot(k, sym, min, "soak", "child");
            }
            if (!told && n == 1000) {
                System.out.println("ready");
                System.out.flush();
                told = true;
            }
        }
    }

    /** Claims slot (sym, min) and, between its first and second field store, halts (exit 3) or, with {@code stall}, waits to be killed. */
    private static void halt(Path file, int symbols, int minutes, int sym, int min, boolean stall) {
        SlotMatrix m = SlotMatrix.open(file, LedgerKind.TRADE, YEAR, symbols, minutes, SlotMatrix.Options.defaults(), () -> {
            System.out.println("claimed");
            System.out.flush();
            if (!stall) Runtime.getRuntime().halt(3);
            try {
                Thread.sleep(Long.MAX_VALUE); // the test kills this process with SIGKILL
            } catch (InterruptedException e) {
                Runtime.getRuntime().halt(4);
            }
        });
        new TradeLedger(m).setTradeRef(sym, min, meta(PayloadType.TRADE, 77, 9));
        throw new AssertionError("the hook should have halted the JVM");
    }
}
