package io.quire.windows.engines;

import io.quire.core.QuireException;
import io.quire.windows.ingest.OptionTicker;
import io.quire.windows.symbols.SymbolMap;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The symbols the engines work on, resolved to dense ids once at start-up. Options know their
 * underlying's id (the Greeks engine needs its NBBO mid as spot); an option whose underlying is
 * not in the universe is refused (INVALID_INPUT) rather than priced without a spot.
 */
public final class Universe {
    /** One symbol: its id, ticker, and for an option its parsed ticker and the underlying's id (else null / -1). */
    public record Member(int symbolId, String ticker, OptionTicker option, int underlyingId) {
        public boolean isOption() { return option != null; }
    }

    private final List<Member> members;
    private final Map<Integer, Member> byId;

    private Universe(List<Member> members) {
        this.members = List.copyOf(members);
        Map<Integer, Member> m = new LinkedHashMap<>();
        for (Member x : members) m.put(x.symbolId(), x);
        this.byId = Collections.unmodifiableMap(m);
    }

    /** Resolves (allocating on first sight) every ticker; stocks first so ids are dense and stable. */
    public static Universe resolve(SymbolMap symbols, List<String> tickers) {
        List<String> stocks = new ArrayList<>(), options = new ArrayList<>();
        for (String t : tickers) (OptionTicker.isOption(t) ? options : stocks).add(t);
        List<String> all = new ArrayList<>(stocks);
        all.addAll(options);
        int[] ids = new int[all.size()];
        for (int i = 0; i < all.size(); i += 1024) {
            int[] part = symbols.resolveAll(all.subList(i, Math.min(all.size(), i + 1024)));
            System.arraycopy(part, 0, ids, i, part.length);
        }
        List<Member> out = new ArrayList<>();
        for (int i = 0; i < all.size(); i++) {
            String t = all.get(i);
            if (!OptionTicker.isOption(t)) {
                out.add(new Member(ids[i], t, null, -1));
                continue;
            }
            OptionTicker o = OptionTicker.parse(t);
            int u = symbols.idOf(o.underlying()).orElse(-1);
            if (u < 0 || !stocks.contains(o.underlying())) {
                throw QuireException.invalid("option " + t + " needs its underlying " + o.underlying() + " among the symbols (it gives the spot price)");
            }
            out.add(new Member(ids[i], t, o, u));
        }
        return new Universe(out);
    }

    public List<Member> members() { return members; }

    public int size() { return members.size(); }

    /** The member with {@code symbolId}, or null when it is not worked on. */
    public Member byId(int symbolId) { return byId.get(symbolId); }

    /** The largest symbol id plus one (for arrays indexed by id). */
    public int idBound() {
        int max = -1;
        for (Member m : members) max = Math.max(max, m.symbolId());
        return max + 1;
    }
}
