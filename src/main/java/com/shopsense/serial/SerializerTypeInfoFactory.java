package com.shopsense.serial;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/**
 * What a type's {@code @TypeInfo} names: its {@link SerializerTypeInfo} for one given serializer. Subclasses pass
 * both in a public no-arg constructor (Flink instantiates the factory by its class).
 */
public abstract class SerializerTypeInfoFactory<T> extends TypeInfoFactory<T> {
    private final Class<T> type;
    private final TypeSerializer<T> serializer;

    protected SerializerTypeInfoFactory(Class<T> type, TypeSerializer<T> serializer) {
        this.type = type;
        this.serializer = serializer;
    }

    @Override
    public TypeInformation<T> createTypeInfo(Type t, Map<String, TypeInformation<?>> generics) {
        return new SerializerTypeInfo<>(type, serializer);
    }
}
