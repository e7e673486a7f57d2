package com.shopsense.privacy;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.Base64;
import java.util.Locale;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.LoggerFactory;

/**
 * Keyed pseudonyms for identifiers that must not leave the job raw: IP addresses, card
 * fingerprints, device ids. HMAC-SHA256 over "kind\0normalised value" with a secret key, truncated to
 * 128 bits, base64url, prefixed by the kind ({@code ip_...}, {@code card_...}, {@code dev_...}):
 * stable (the same IP gives the same pseudonym, so features and joins keep working) but not
 * reversible or brute-forceable (IPv4 space is small: a plain hash would be) without the key.
 * Different kinds never collide. Free text is not pseudonymised: it must be dropped.
 *
 * <p>The key comes from {@code privacy.pseudonymization-key} (or {@code env:NAME}, {@code file:PATH}), at least 32 bytes.
 * When it is missing the job fails at start, unless {@code privacy.allow-dev-key=true} (local runs):
 * then a built-in public key is used and a warning logged. Rotating the key changes every pseudonym.
 */
public final class Pseudonymizer implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final int MIN_KEY_BYTES = 32;
    /** Public, for local runs only (privacy.allow-dev-key=true). */
    static final String DEV_KEY = "shopsense-DEV-ONLY-pseudonymization-key-not-secret";

    public enum Kind {
        IP("ip"), CARD("card"), DEVICE("dev");

        final String tag;

        Kind(String tag) {
            this.tag = tag;
        }
    }

    private final byte[] key;
    private final boolean devKey;
    private transient Mac mac;

    public Pseudonymizer(byte[] key) {
        this(key, false);
    }

    private Pseudonymizer(byte[] key, boolean devKey) {
        if (key == null || key.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("pseudonymization key must have at least " + MIN_KEY_BYTES + " bytes");
        }
        this.key = key.clone();
        this.devKey = devKey;
    }

    /** From the job options; throws (the job does not start) when the key is missing or too short. */
    /**
     * The pseudonymizer for a configured secret ({@code privacy.pseudonymization-key}, already resolved), or the
     * public development key where the secret is absent and {@code allowDevKey} is set; anything else fails with
     * what to do.
     */
    public static Pseudonymizer fromKey(String secret, boolean allowDevKey) {
        if (secret == null || secret.isEmpty()) {
            if (allowDevKey) {
                LoggerFactory.getLogger(Pseudonymizer.class).warn("privacy.pseudonymization-key is not set: using the "
                        + "PUBLIC development key (privacy.allow-dev-key=true). Never do this in production.");
                return new Pseudonymizer(DEV_KEY.getBytes(StandardCharsets.UTF_8), true);
            }
            throw new IllegalArgumentException("privacy.pseudonymization-key is not set: give a secret of at least "
                    + MIN_KEY_BYTES + " bytes (e.g. --privacy.pseudonymization-key env:SHOPSENSE_PSEUDO_KEY; "
                    + "generate one with: openssl rand -base64 48), or set privacy.allow-dev-key=true for a local run");
        }
        byte[] k = secret.getBytes(StandardCharsets.UTF_8);
        if (k.length < MIN_KEY_BYTES) {
            throw new IllegalArgumentException("privacy.pseudonymization-key is too short: " + k.length + " bytes, need "
                    + MIN_KEY_BYTES);
        }
        return new Pseudonymizer(k, false);
    }

    public boolean usesDevKey() {
        return devKey;
    }

    public String ip(String ip) {
        return of(Kind.IP, ip);
    }

    public String card(String cardFingerprint) {
        return of(Kind.CARD, cardFingerprint);
    }

    public String device(String deviceId) {
        return of(Kind.DEVICE, deviceId);
    }

    /** Pseudonym of a value of the given kind; null or blank stays null. */
    public String of(Kind kind, String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String norm = value.trim();
        if (kind != Kind.CARD) {
            norm = norm.toLowerCase(Locale.ROOT); // IPv6 hex and device ids are case-insensitive
        }
        byte[] h = mac().doFinal((kind.tag + "\0" + norm).getBytes(StandardCharsets.UTF_8));
        return kind.tag + "_" + Base64.getUrlEncoder().withoutPadding().encodeToString(java.util.Arrays.copyOf(h, 16));
    }

    private Mac mac() {
        if (mac == null) {
            try {
                Mac m = Mac.getInstance("HmacSHA256");
                m.init(new SecretKeySpec(key, "HmacSHA256"));
                mac = m;
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
        return mac;
    }

    @Override
    public String toString() {
        return "Pseudonymizer[HMAC-SHA256" + (devKey ? ", DEV KEY" : "") + "]";
    }
}
