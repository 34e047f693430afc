package io.quire.windows.pricing;

/** Call or put; the letter is the one in an OCC option ticker ({@code O:SPY251112C00675000}). */
public enum OptionType {
    CALL('C'), PUT('P');

    private final char letter;

    OptionType(char letter) { this.letter = letter; }

    public char letter() { return letter; }

    /** The type of an OCC letter, or null for any other character. */
    public static OptionType ofLetter(char c) {
        return switch (c) {
            case 'C' -> CALL;
            case 'P' -> PUT;
            default -> null;
        };
    }
}
