package io.quire.cli;

import java.nio.file.Path;

/** Where a command's text result goes: stdout, or a file written atomically ({@code -o FILE}). */
final class Output {
    private Output() {}

    /**
     * Writes {@code text} to {@code file} atomically and says so on stderr, or prints it on
     * stdout when {@code file} is null or "-".
     */
    static void text(Io io, Path file, String text, String what) {
        String t = text.endsWith("\n") ? text : text + "\n";
        if (file == null || file.toString().equals("-")) {
            io.out().print(t);
            io.out().flush();
        } else {
            AtomicFiles.writeString(file, t);
            io.err().println("wrote " + what + " to " + file);
            io.err().flush();
        }
    }
}
