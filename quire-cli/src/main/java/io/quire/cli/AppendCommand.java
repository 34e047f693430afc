package io.quire.cli;

import io.quire.core.Draft;
import io.quire.core.Entry;
import io.quire.core.Ledger;
import io.quire.core.Limits;
import io.quire.core.QuireException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

@Command(name = "append", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Append stdin to STREAM as one entry, or (--lines) each line as one entry.",
                "For each entry prints '<seq> <position> <hash>' as soon as that entry is durable,",
                "in input order. Re-appending an id the stream already holds with the same payload",
                "prints the existing entry and writes nothing (idempotent retries); with another",
                "payload it is refused (exit 4).",
                "",
                "With --lines, a line that is invalid (too long, bad id) stops the command with",
                "exit 1 naming the line number; entries of earlier lines stay written and were",
                "printed. Re-run with --id-from-line to make such retries safe."},
        footerHeading = "%nExamples:%n",
        footer = {"  echo '{\"qty\":3}' | quire append orders --key new --meta source=web",
                "  quire append orders --id order-17 < order-17.json     # safe to retry",
                "  printf 'a1 first\\na2 second\\n' | quire append log --lines --id-from-line",
                "  seq 1000000 | quire append bulk --lines --durability interval=50"})
final class AppendCommand extends BaseCommand implements JsonOutput {

    /**
     * Appends of {@code --lines} in flight at once. Enough for group commit to batch many lines
     * into one fsync, and bounded so a huge input never queues without limit.
     */
    static final int IN_FLIGHT_MAX = 1024;

    @Parameters(index = "0", paramLabel = "STREAM", description = "Stream to append to (1..255 bytes of UTF-8, no NUL).")
    String stream;

    @Option(names = "--key", paramLabel = "KEY",
            description = "Label for filtering reads and watches (0..255 bytes). Default: none (empty).")
    String key = "";

    @Option(names = "--id", paramLabel = "ID",
            description = "Idempotency id of the entry (1..128 bytes). Default: a generated id. Not with --lines.")
    String id;

    @Option(names = "--meta", paramLabel = "KEY=VALUE",
            description = "Metadata entry; repeat for more (at most 64 entries, 64 KiB in total). Default: none.")
    List<String> metaArgs = new ArrayList<>();

    @Option(names = "--lines",
            description = "Each stdin line is one entry, without its \\n (or \\r\\n). Default: off (stdin is one entry).")
    boolean lines;

    @Option(names = "--id-from-line",
            description = "With --lines: the entry id is the line's first whitespace-separated word; "
                    + "the payload is still the whole line. Default: off (generated ids).")
    boolean idFromLine;

    @Mixin LedgerFlags ledgerFlags;


    @Option(names = "--json", description = "Print one JSON object per entry (the fields of 'read --json' "
            + "without payload_base64). Default: off.")
    boolean json;

    @Override public boolean json() { return json; }

    @Override
    public Integer call() {
        checkStream(stream);
        if (idFromLine && !lines) throw new CliUsageException("--id-from-line needs --lines");
        if (lines && id != null) {
            throw new CliUsageException("--id cannot be used with --lines (every line would carry the same id); "
                    + "use --id-from-line");
        }
        // Check the options before reading stdin or opening anything: bad input writes nothing.
        Map<String, String> meta = parseMeta(metaArgs);
        checkKey(key);
        if (id != null) checkArg("--id", () -> Draft.validateId(id));
        Draft template = new Draft(id, key, Entry.sortedCopy(meta), null);
        checkArg("--meta", template::validate);
        settings(); // A bad flag, $QUIRE_* or quire.yaml value stops here, before stdin is read.
        if (!lines) {
            Draft draft = new Draft(id, key, Entry.sortedCopy(meta), readPayload(io().in()));
            checkArg("stdin", draft::validate);
            try (Ledger ledger = open()) {
                print(ledger.append(stream, draft));
            }
            return ExitCodes.OK;
        }
        try (Ledger ledger = open()) {
            appendLines(ledger, template);
        }
        return ExitCodes.OK;
    }

    /** {@code KEY=VALUE} pairs; the value may be empty or contain '='. A repeated key is refused. */
    static Map<String, String> parseMeta(List<String> args) {
        Map<String, String> m = new LinkedHashMap<>();
        for (String a : args) {
            int eq = a.indexOf('=');
            if (eq < 0) throw new CliUsageException("invalid --meta '" + a + "': expected KEY=VALUE");
            if (eq == 0) throw new CliUsageException("invalid --meta '" + a + "': the KEY before '=' is empty");
            String k = a.substring(0, eq);
            if (m.put(k, a.substring(eq + 1)) != null) throw new CliUsageException("invalid --meta '" + a + "': key '" + k + "' given twice");
        }
        return m;
    }

    private void print(Entry e) {
        out().println(json ? Json.line(Json.appended(e)) : Text.appendedLine(e));
    }

    /** All of stdin, refused past {@link Limits#PAYLOAD_BYTES_MAX} without reading further. */
    static byte[] readPayload(InputStream in) {
        try {
            byte[] b = in.readNBytes(Limits.PAYLOAD_BYTES_MAX + 1);
            if (b.length > Limits.PAYLOAD_BYTES_MAX) {
                throw QuireException.invalid("stdin is over " + Limits.PAYLOAD_BYTES_MAX
                        + " bytes, the largest payload (PAYLOAD_BYTES_MAX); nothing was written");
            }
            return b;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
        }
    }

    /** One submitted line: its number (1-based) and the append in flight. */
    private record Pending(long line, CompletableFuture<Entry> append) {}

    private static final Pending END = new Pending(-1, null);

    /**
     * Reads lines and submits them with {@code appendAsync}, at most {@link #IN_FLIGHT_MAX} in
     * flight, while a printer thread waits for each append in input order and prints it once it
     * is durable. Output order is input order whatever order the appends complete in.
     */
    private void appendLines(Ledger ledger, Draft template) {
        BlockingQueue<Pending> window = new ArrayBlockingQueue<>(IN_FLIGHT_MAX);
        Printer printer = new Printer(window);
        Thread printerThread = Thread.ofPlatform().name("quire-append-printer").start(printer);
        RuntimeException stop = null;
        LineReader reader = new LineReader(io().in(), Limits.PAYLOAD_BYTES_MAX);
        long lineNo = 0;
        try {
            byte[] line;
            while (printer.failure == null && (line = reader.next(lineNo + 1)) != null) {
                lineNo++;
                Draft d = draftFor(template, line, lineNo);
                window.put(new Pending(lineNo, ledger.appendAsync(stream, d)));
            }
        } catch (RuntimeException e) {
            stop = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            stop = new CliUsageException("interrupted after line " + lineNo);
        } finally {
            putUninterruptibly(window, END);
            joinUninterruptibly(printerThread);
            out().flush();
        }
        // The first failure in input order wins: an append that failed before the bad line was read.
        if (printer.failure != null) throw printer.failure;
        if (stop != null) throw stop;
    }

    private Draft draftFor(Draft template, byte[] line, long lineNo) {
        String lineId = null;
        if (idFromLine) {
            String text;
            try {
                text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(line)).toString();
            } catch (CharacterCodingException e) {
                throw new CliUsageException("line " + lineNo + ": not valid UTF-8, so it has no id (--id-from-line)");
            }
            String trimmed = text.strip();
            if (trimmed.isEmpty()) throw new CliUsageException("line " + lineNo + ": blank line has no id (--id-from-line)");
            lineId = trimmed.split("\\s+", 2)[0];
        }
        try {
            return new Draft(lineId, template.key(), template.metadata(), line).validate();
        } catch (QuireException e) {
            throw new CliUsageException("line " + lineNo + ": " + e.reason());
        }
    }

    /** Prints appends in input order once each is durable; remembers the first failure. */
    private final class Printer implements Runnable {
        private final BlockingQueue<Pending> window;
        volatile RuntimeException failure;

        Printer(BlockingQueue<Pending> window) { this.window = window; }

        @Override public void run() {
            while (true) {
                Pending p;
                try {
                    p = window.take();
                } catch (InterruptedException e) {
                    return;
                }
                if (p == END) return;
                Entry e;
                try {
                    e = p.append.get();
                } catch (InterruptedException ie) {
                    return;
                } catch (ExecutionException | CompletionException ex) {
                    if (failure == null) failure = lineFailure(p.line, ex.getCause() == null ? ex : ex.getCause());
                    continue;
                }
                // After a failure, later appends still complete (they are in flight) but are not
                // printed: the output stays a gapless prefix of the input.
                if (failure != null) continue;
                out().println(json ? Json.line(Json.appended(e)) : Text.appendedLine(e));
                Pending next = window.peek();
                if (next == null || next == END || !next.append.isDone()) out().flush();
            }
        }
    }

    private static RuntimeException lineFailure(long line, Throwable cause) {
        if (cause instanceof QuireException q) {
            return new QuireException(q.kind(), "line " + line + ": " + q.reason(), q.where(), q);
        }
        if (cause instanceof RuntimeException re) return re;
        return new IllegalStateException("append of line " + line + " failed", cause);
    }

    private static void putUninterruptibly(BlockingQueue<Pending> q, Pending p) {
        boolean interrupted = false;
        while (true) {
            try {
                q.put(p);
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    private static void joinUninterruptibly(Thread t) {
        boolean interrupted = false;
        while (true) {
            try {
                t.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
    }

    /** Splits a byte stream on {@code \n}, dropping the {@code \n} and a {@code \r} before it. */
    static final class LineReader {
        private final InputStream in;
        private final int lineBytesMax;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int len;
        private boolean eof;

        LineReader(InputStream in, int lineBytesMax) {
            this.in = in;
            this.lineBytesMax = lineBytesMax;
        }

        /** The next line, or null at the end; a last line without \n counts as a line. */
        byte[] next(long lineNo) {
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            while (true) {
                if (pos == len) {
                    if (eof || !fill()) {
                        eof = true;
                        if (line.size() == 0) return null;
                        byte[] l = strip(line.toByteArray());
                        if (l.length > lineBytesMax) {
                            throw new CliUsageException("line " + lineNo + ": longer than " + lineBytesMax
                                    + " bytes, the largest payload (PAYLOAD_BYTES_MAX)");
                        }
                        return l;
                    }
                }
                int start = pos;
                while (pos < len && buf[pos] != '\n') pos++;
                line.write(buf, start, pos - start);
                if (line.size() > lineBytesMax + 1) {
                    throw new CliUsageException("line " + lineNo + ": longer than " + lineBytesMax
                            + " bytes, the largest payload (PAYLOAD_BYTES_MAX)");
                }
                if (pos < len) {
                    pos++;
                    byte[] l = strip(line.toByteArray());
                    if (l.length > lineBytesMax) {
                        throw new CliUsageException("line " + lineNo + ": longer than " + lineBytesMax
                                + " bytes, the largest payload (PAYLOAD_BYTES_MAX)");
                    }
                    return l;
                }
            }
        }

        private boolean fill() {
            try {
                int n = in.read(buf, 0, buf.length);
                if (n <= 0) return false;
                pos = 0;
                len = n;
                return true;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read stdin: " + e.getMessage(), e);
            }
        }

        private static byte[] strip(byte[] l) {
            return l.length > 0 && l[l.length - 1] == '\r' ? java.util.Arrays.copyOf(l, l.length - 1) : l;
        }
    }
}
