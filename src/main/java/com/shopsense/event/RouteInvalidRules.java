package com.shopsense.event;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes valid rule documents on and sends dead letters to {@link RouteInvalidRecords#DEAD_LETTERS}. Stateless. */
public class RouteInvalidRules extends ProcessFunction<ParsedRule, byte[]> {
    @Override
    public void processElement(ParsedRule r, Context ctx, Collector<byte[]> out) {
        if (r.isValid()) {
            out.collect(r.document());
        } else {
            ctx.output(RouteInvalidRecords.DEAD_LETTERS, r.deadLetter());
        }
    }
}
