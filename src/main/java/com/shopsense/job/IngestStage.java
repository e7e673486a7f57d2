package com.shopsense.job;

import com.shopsense.event.DeadLetter;
import com.shopsense.event.FraudLabel;
import com.shopsense.event.ParsedLabel;
import com.shopsense.event.ParsedRecord;
import com.shopsense.event.ParsedRule;
import com.shopsense.event.RouteInvalidRules;
import com.shopsense.event.RouteInvalidLabels;
import com.shopsense.event.RouteInvalidRecords;
import com.shopsense.event.ShopEvent;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.datastream.SingleOutputStreamOperator;

/**
 * Ingest: the sources' deserializers have parsed every record totally; here the rejected ones leave as dead
 * letters and the rest go on as events and labels.
 */
final class IngestStage {
    private IngestStage() {
    }

    /** @param rules valid fraud rule documents */
    record Streams(DataStream<ShopEvent> events, DataStream<FraudLabel> labels, DataStream<byte[]> rules,
            DataStream<DeadLetter> deadLetters) {
    }

    static Streams build(DataStream<ParsedRecord> records, DataStream<ParsedLabel> labels,
            DataStream<ParsedRule> rules) {
        SingleOutputStreamOperator<ShopEvent> events = records.process(new RouteInvalidRecords())
                .uid("route-invalid").name("Route invalid records");
        SingleOutputStreamOperator<FraudLabel> validLabels = labels.process(new RouteInvalidLabels())
                .uid("route-invalid-labels").name("Route invalid labels");
        SingleOutputStreamOperator<byte[]> validRules = rules.process(new RouteInvalidRules())
                .uid("route-invalid-rules").name("Route invalid rules");
        DataStream<DeadLetter> invalidRecords = BackgroundEdges.handOff(
                events.getSideOutput(RouteInvalidRecords.DEAD_LETTERS), "route-invalid-dead-letters",
                "Invalid records to DLQ");
        return new Streams(events, validLabels, validRules, invalidRecords
                .union(validLabels.getSideOutput(RouteInvalidRecords.DEAD_LETTERS),
                        validRules.getSideOutput(RouteInvalidRecords.DEAD_LETTERS)));
    }
}
