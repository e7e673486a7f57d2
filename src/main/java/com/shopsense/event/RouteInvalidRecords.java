package com.shopsense.event;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/** Passes valid events on and sends dead letters to {@link #DEAD_LETTERS}. Stateless. */
public class RouteInvalidRecords extends ProcessFunction<ParsedRecord, ShopEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters") {
    };

    @Override
    public void processElement(ParsedRecord r, Context ctx, Collector<ShopEvent> out) {
        if (r.isValid()) {
            out.collect(r.event());
        } else {
            ctx.output(DEAD_LETTERS, r.deadLetter());
        }
    }
}
