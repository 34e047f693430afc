package io.quire.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Payloads of a fixed size: a random template per source with a counter in the first 8 bytes. */
final class Payloads {
    private final byte[] template;
    private long counter;

    Payloads(int bytes, long seed) {
        template = new byte[bytes];
        SplittableRandom r = new SplittableRandom(seed);
        for (int i = 0; i < bytes; i++) template[i] = (byte) r.nextInt(256);
    }

    /** A fresh array (the ledger may keep it: Entry shares its payload). */
    byte[] next() {
        byte[] p = template.clone();
        long c = counter++;
        for (int i = 0; i < 8 && i < p.length; i++) p[i] = (byte) (c >>> (8 * i));
        return p;
    }

    List<byte[]> batch(int n) {
        List<byte[]> l = new ArrayList<>(n);
        for (int i = 0; i < n; i++) l.add(next());
        return l;
    }
}
