package com.shopsense.event;

import org.apache.flink.api.common.functions.MapFunction;

/**
 * Late events leave through the dead-letter topic too, so every input is accounted for. They were
 * valid, so their value is the event re-written in contract JSON (the original bytes are not kept
 * past parsing) and their source offset is unknown (-1).
 */
public class LateEventToDeadLetter implements MapFunction<ShopEvent, DeadLetter> {
    private final String sourceTopic;

    public LateEventToDeadLetter(String sourceTopic) {
        this.sourceTopic = sourceTopic;
    }

    @Override
    public DeadLetter map(ShopEvent e) {
        return new DeadLetter(EventJson.toBytes(e), "late: event time behind the watermark", sourceTopic, -1, -1,
                DeadLetter.STAGE_LATE);
    }
}
