package com.shopsense.session;

import static org.assertj.core.api.Assertions.assertThat;

import com.shopsense.features.HistoryComparison;
import com.shopsense.serial.FormatSerializerContract;
import org.apache.flink.api.common.serialization.SerializerConfigImpl;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.assertj.core.api.recursive.comparison.RecursiveComparisonConfiguration;
import org.junit.jupiter.api.Test;

class UserStateSerializerTest extends FormatSerializerContract<UserState> {

    @Override
    protected TypeSerializer<UserState> createSerializer() {
        return UserStateSerializer.INSTANCE;
    }

    @Override
    protected Class<UserState> getTypeClass() {
        return UserState.class;
    }

    @Override
    protected RecursiveComparisonConfiguration comparison() {
        return HistoryComparison.register(super.comparison());
    }

    @Override
    protected UserState[] getTestData() {
        return UserStateSamples.users(11, 120).toArray(new UserState[0]);
    }

    @Test
    void theSessionizersStateDescriptorGetsItNotAPojoSerializer() {
        assertThat(TypeInformation.of(UserState.class).createSerializer(new SerializerConfigImpl()))
                .isSameAs(UserStateSerializer.INSTANCE);
        ValueStateDescriptor<UserState> d = new ValueStateDescriptor<>("user-state", UserState.class);
        d.initializeSerializerUnlessSet(new org.apache.flink.api.common.ExecutionConfig());
        assertThat(d.getSerializer()).isSameAs(UserStateSerializer.INSTANCE);
    }

    @Test
    void stateOfFormat1RestoresWithAnEmptyCartListAndEverythingElseAsWritten() throws Exception {
        UserState written = UserStateSamples.typical(4);
        written.session.cartItems = new String[] {"i1", "i2"};
        UserState restored = restoredFromFormat(UserStateSerializer.forFormat(1), new UserStateSerializer.Snapshot(),
                written);
        assertThat(restored.session.cartItems).as("format 1 had no cart list").isEmpty();
        UserState expected = getSerializer().copy(written);
        expected.session.cartItems = new String[0];
        expected.session.pricedEvents = 0; // format 1 nests the session's format 1: no price statistics either
        expected.session.logPriceSum = 0.0;
        deepEquals("the rest as written", expected, restored);
    }

    @Test
    void stateOfFormat2RestoresWithNoPricedEventsAndEverythingElseAsWritten() throws Exception {
        UserState written = UserStateSamples.typical(5);
        assertThat(written.session.pricedEvents).as("the sample has prices").isPositive();
        UserState restored = restoredFromFormat(UserStateSerializer.forFormat(2), new UserStateSerializer.Snapshot(),
                written);
        assertThat(restored.session.pricedEvents).as("format 2 had no price statistics").isZero();
        assertThat(restored.session.logPriceSum).isZero();
        UserState expected = getSerializer().copy(written);
        expected.session.pricedEvents = 0;
        expected.session.logPriceSum = 0.0;
        deepEquals("the rest as written", expected, restored);
    }

    @Test
    void aHistorysUnreadSlotsAreNotCompared() {
        // guards the comparison above: a value differing in a kept entry must not pass as equal
        UserState a = UserStateSamples.typical(1);
        UserState b = getSerializer().copy(a);
        b.profile.payments.amount[0] += 1;
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> deepEquals("differs", a, b))
                .isInstanceOf(AssertionError.class);
    }
}
