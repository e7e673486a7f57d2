package com.shopsense.event;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.serial.FormatSerializerContract;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.java.typeutils.PojoTypeInfo;
import org.junit.jupiter.api.Test;

class ShopEventSerializerTest extends FormatSerializerContract<ShopEvent> {

    @Override
    protected TypeSerializer<ShopEvent> createSerializer() {
        return ShopEventSerializer.INSTANCE;
    }

    @Override
    protected Class<ShopEvent> getTypeClass() {
        return ShopEvent.class;
    }

    @Override
    protected ShopEvent[] getTestData() {
        return ShopEventSamples.events(21, 200).toArray(new ShopEvent[0]);
    }

    @Test
    void flinksTypeExtractionPicksItForTheEventAndForTheEventInsideAParsedRecord() {
        assertThat(TypeInformation.of(ShopEvent.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(ShopEventSerializer.INSTANCE);
        PojoTypeInfo<ParsedRecord> record = (PojoTypeInfo<ParsedRecord>) TypeInformation.of(ParsedRecord.class);
        assertThat(record.getTypeAt("event").createSerializer(new SerializerConfigImpl()))
                .isSameAs(ShopEventSerializer.INSTANCE);
    }
}
