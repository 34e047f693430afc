package io.quire.core.crash;

import io.quire.core.Hash;
import io.quire.core.blob.FileBlobStore;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Child JVM for {@link BlobCrashTest}: puts blobs of random sizes (some repeated, to exercise
 * dedupe) into {@code args[0]} forever and prints each digest once put() has returned.
 */
public final class BlobCrashChild {
    public static void main(String[] args) {
        FileBlobStore store = new FileBlobStore(Path.of(args[0]));
        SplittableRandom r = new SplittableRandom(Long.parseLong(args[1]));
        PrintStream out = System.out;
        for (long i = 0; ; i++) {
            int size = r.nextInt(4) == 0 ? r.nextInt(300_000) : r.nextInt(5_000);
            byte[] b = new byte[size];
            // Every eighth blob repeats an earlier content: dedupe races with the kill too.
            new SplittableRandom(r.nextInt(8) == 0 ? i / 2 : i * 31 + 7).nextBytes(b);
            Hash h = store.put(b);
            out.println(h.hex() + " " + size);
            out.flush();
        }
    }
}
