package io.quire.windows.ingest;

import java.util.List;

/**
 * The two flat-file layouts and their columns, by name (lower case; the header is matched
 * case-insensitively, in any order; other columns are ignored). Stock files have every column
 * listed; options files (OPRA) have a subset — everything not required is optional.
 *
 * <pre>
 * trades (us_stocks_sip/trades_v1):  ticker,conditions,correction,exchange,id,participant_timestamp,price,
 *                                    sequence_number,sip_timestamp,size,tape,trf_id,trf_timestamp
 * trades (us_options_opra/trades_v1): ticker,conditions,correction,exchange,participant_timestamp,price,sip_timestamp,size
 * quotes (us_stocks_sip/quotes_v1):  ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,
 *                                    conditions,indicators,participant_timestamp,sequence_number,sip_timestamp,tape,trf_timestamp
 * quotes (us_options_opra/quotes_v1): ticker,ask_exchange,ask_price,ask_size,bid_exchange,bid_price,bid_size,sequence_number,sip_timestamp
 * </pre>
 */
public enum FlatFileKind {
    TRADES(List.of("ticker", "price", "size", "sip_timestamp"),
            List.of("conditions", "correction", "exchange", "id", "participant_timestamp", "sequence_number", "tape", "trf_id", "trf_timestamp")),
    QUOTES(List.of("ticker", "ask_price", "ask_size", "bid_price", "bid_size", "sip_timestamp"),
            List.of("ask_exchange", "bid_exchange", "conditions", "indicators", "participant_timestamp", "sequence_number", "tape", "trf_timestamp"));

    private final List<String> required;
    private final List<String> optional;

    FlatFileKind(List<String> required, List<String> optional) {
        this.required = required;
        this.optional = optional;
    }

    public List<String> required() { return required; }

    public List<String> optional() { return optional; }
}
