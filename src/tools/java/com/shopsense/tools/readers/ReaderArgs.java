package com.shopsense.tools.readers;

import com.shopsense.config.JobConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Splits {@code --key value} arguments into the reader's own options and job options (redis.*, kafka.*, --config). */
final class ReaderArgs {
    final Map<String, String> own = new HashMap<>();
    final JobConfig job;

    ReaderArgs(String[] args, Set<String> ownKeys) throws IOException {
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--") && ownKeys.contains(a.substring(2)) && i + 1 < args.length) {
                own.put(a.substring(2), args[++i]);
            } else {
                rest.add(a);
            }
        }
        job = JobConfig.fromArgs(rest.toArray(new String[0]));
    }

    String get(String key, String dflt) {
        return own.getOrDefault(key, dflt);
    }
}
