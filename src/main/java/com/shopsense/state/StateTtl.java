package com.shopsense.state;

import java.time.Duration;
import org.apache.flink.api.common.state.StateTtlConfig;

/** The job's one state-expiry policy: expire this long after the last write, never return expired values. */
public final class StateTtl {
    private StateTtl() {
    }

    public static StateTtlConfig afterWrite(Duration ttl) {
        return StateTtlConfig.newBuilder(ttl)
                .setUpdateType(StateTtlConfig.UpdateType.OnCreateAndWrite)
                .setStateVisibility(StateTtlConfig.StateVisibility.NeverReturnExpired)
                .cleanupInRocksdbCompactFilter(1000)
                .build();
    }
}
