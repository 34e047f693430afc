package io.quire.windows.mapping;

import io.quire.windows.slots.PayloadType;

/**
 * The aggressor (buyer/seller-initiated) classification of one symbol × minute, derived from its
 * trade and quote payloads: quote rule (NBBO at or before the trade) with the tick rule as the
 * fallback. Owner of the bytes: {@link AggressorPayloadCodec}.
 *
 * @param buyerCount     trades classified buyer-initiated, ≥ 0
 * @param sellerCount    trades classified seller-initiated, ≥ 0
 * @param unknownCount   trades left unclassified, ≥ 0
 * @param buyerVolume    shares (contracts) of buyer-initiated trades, ≥ 0
 * @param sellerVolume   shares of seller-initiated trades, ≥ 0
 * @param unknownVolume  shares of unclassified trades, ≥ 0
 * @param quoteRuleCount classified trades decided by the quote rule, ≥ 0
 * @param tickRuleCount  classified trades decided by the tick-rule fallback, ≥ 0;
 *                       {@code quoteRuleCount + tickRuleCount == buyerCount + sellerCount}
 * @param meanConfidence mean classification confidence in [0, 1], NaN when no trade was classified
 * @param flags          a bitset of {@code FLAG_*}; unknown bits are kept as they are
 */
public record AggressorPayload(long buyerCount, long sellerCount, long unknownCount, long buyerVolume, long sellerVolume,
                               long unknownVolume, long quoteRuleCount, long tickRuleCount, double meanConfidence, int flags)
        implements PayloadRecord {

    /** No quote was at or before some trade of the minute (the tick rule decided). */
    public static final int FLAG_MISSING_QUOTES = 1;
    /** Some NBBO was crossed or locked. */
    public static final int FLAG_CROSSED_QUOTES = 1 << 1;
    /** Some trade printed outside the NBBO. */
    public static final int FLAG_OUTSIDE_NBBO = 1 << 2;

    public AggressorPayload {
        for (long v : new long[] {buyerCount, sellerCount, unknownCount, buyerVolume, sellerVolume, unknownVolume, quoteRuleCount, tickRuleCount}) {
            Codec.require(v >= 0, "aggressor counts and volumes must be ≥ 0, got " + v);
        }
        Codec.require(quoteRuleCount + tickRuleCount == buyerCount + sellerCount, "quote-rule " + quoteRuleCount + " + tick-rule "
                + tickRuleCount + " must equal the classified trades (buyer " + buyerCount + " + seller " + sellerCount + ")");
        Codec.finite(meanConfidence, true, "mean confidence");
        Codec.require(Double.isNaN(meanConfidence) ? buyerCount + sellerCount == 0 : meanConfidence >= 0 && meanConfidence <= 1,
                "mean confidence " + meanConfidence + " must be in [0, 1], and NaN exactly when no trade was classified");
    }

    @Override public PayloadType type() { return PayloadType.AGGRESSOR; }
}
