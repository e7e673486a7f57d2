package com.shopsense.loadtest;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.flink.runtime.checkpoint.Checkpoints;
import org.apache.flink.runtime.checkpoint.OperatorState;
import org.apache.flink.runtime.checkpoint.metadata.CheckpointMetadata;

/**
 * State bytes per operator of a savepoint, read from its {@code _metadata} (the handles' sizes, as the savepoint
 * wrote them): which operator holds how much of a user's state. Largest first; operators without state left out.
 */
final class SavepointStateSizes {
    private SavepointStateSizes() {
    }

    /** One row per operator with state: uid, name, bytes, and bytes per user. */
    static List<Map<String, Object>> of(Path savepointDir, long users) throws IOException {
        CheckpointMetadata metadata;
        try (InputStream in = Files.newInputStream(savepointDir.resolve("_metadata"))) {
            metadata = Checkpoints.loadCheckpointMetadata(new DataInputStream(in),
                    SavepointStateSizes.class.getClassLoader(), savepointDir.toString());
        }
        List<OperatorState> states = new ArrayList<>(metadata.getOperatorStates());
        states.sort(Comparator.comparingLong(OperatorState::getStateSize).reversed());
        List<Map<String, Object>> rows = new ArrayList<>();
        for (OperatorState s : states) {
            if (s.getStateSize() == 0) {
                continue;
            }
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("uid", s.getOperatorUid().orElse(s.getOperatorID().toHexString()));
            row.put("name", s.getOperatorName().orElse(""));
            row.put("bytes", s.getStateSize());
            row.put("bytesPerUser", users > 0 ? s.getStateSize() / (double) users : Double.NaN);
            rows.add(row);
        }
        return rows;
    }
}
