package com.shopsense.serial;

import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * The {@link FormatSnapshot} of a type that has had one format so far: the serializer's own. A second format makes
 * the subclass extend {@link FormatSnapshot} itself (same class name, same snapshot bytes) to name each format's
 * serializer.
 */
public abstract class FirstFormatSnapshot<T> extends FormatSnapshot<T> {
    private final Class<T> type;
    private final FormatSerializer<T> serializer;

    protected FirstFormatSnapshot(Class<T> type, FormatSerializer<T> serializer) {
        super(serializer.format());
        this.type = type;
        this.serializer = serializer;
    }

    @Override
    protected final int currentFormat() {
        return serializer.format();
    }

    @Override
    protected final Class<T> typeClass() {
        return type;
    }

    @Override
    protected final TypeSerializer<T> serializerFor(int format) {
        return serializer;
    }
}
