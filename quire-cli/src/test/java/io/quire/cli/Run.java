package io.quire.cli;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Runs {@code quire} in-process with captured streams: what a test sees of one command. */
record Run(int code, byte[] outBytes, String err) {

    String out() { return new String(outBytes, StandardCharsets.UTF_8); }

    List<String> lines() { return out().lines().toList(); }

    /** Runs {@code quire --dir DIR args...} with {@code stdin} as standard input. */
    static Run withStdin(Path dir, byte[] stdin, String... args) {
        List<String> all = new ArrayList<>();
        if (dir != null) {
            all.add("--dir");
            all.add(dir.toString());
        }
        all.addAll(Arrays.asList(args));
        return raw(Map.of(), stdin, all.toArray(String[]::new));
    }

    static Run withStdin(Path dir, String stdin, String... args) {
        return withStdin(dir, stdin.getBytes(StandardCharsets.UTF_8), args);
    }

    static Run in(Path dir, String... args) { return withStdin(dir, new byte[0], args); }

    /** Runs exactly {@code args} with this environment. */
    static Run raw(Map<String, String> env, byte[] stdin, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Io io = new Io(new ByteArrayInputStream(stdin),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env, false);
        int code = QuireCli.run(io, args);
        return new Run(code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
    }

    @Override public String toString() {
        return "exit " + code + "\n--- stdout ---\n" + out() + "\n--- stderr ---\n" + err;
    }
}
