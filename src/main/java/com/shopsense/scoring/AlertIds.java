package com.shopsense.scoring;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Deterministic alert ids: the same triggering event scored by the same model version always gives the same id. */
public final class AlertIds {
    private AlertIds() {
    }

    /** First 32 hex digits (128 bits) of sha256("fraud-alert/v1\0" + eventId + "\0" + modelVersion). */
    public static String of(String eventId, String modelVersion) {
        if (eventId == null || eventId.isEmpty()) {
            throw new IllegalArgumentException("alert needs the triggering eventId");
        }
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] h = d.digest(("fraud-alert/v1\0" + eventId + "\0" + (modelVersion == null ? "" : modelVersion))
                    .getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
