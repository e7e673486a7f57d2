package com.shopsense.event;

import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;

/** Passes valid labels on and sends dead letters to {@link RouteInvalidRecords#DEAD_LETTERS}. Stateless. */
public class RouteInvalidLabels extends ProcessFunction<ParsedLabel, FraudLabel> {
    @Override
    public void processElement(ParsedLabel r, Context ctx, Collector<FraudLabel> out) {
        if (r.isValid()) {
            out.collect(r.label());
        } else {
            ctx.output(RouteInvalidRecords.DEAD_LETTERS, r.deadLetter());
        }
    }
}
