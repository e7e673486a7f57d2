package com.shopsense.event;

import org.apache.flink.api.common.typeinfo.TypeInfo;

/**
 * One validated shop event (contract version {@value #SCHEMA_VERSION}, see README "Event JSON").
 *
 * <p>A record, so it is immutable; Flink serializes it with {@link ShopEventSerializer} (every event crosses
 * the keyBy into the sessionizer; the reflective POJO serializer was a large share of that). Optional fields
 * are null when absent. {@code ip}, {@code cardFingerprint} and {@code text} never leave the job in clear.
 */
@TypeInfo(ShopEventSerializer.Factory.class)
public record ShopEvent(
        String eventId,
        String userId,
        EventType type,
        long timestampMs,
        String itemId,
        String categoryId,
        Double price,
        Integer quantity,
        Double amount,
        String currency,
        String query,
        String paymentMethod,
        String cardFingerprint,
        String deviceId,
        String ip,
        String country,
        Integer rating,
        String text,
        String merchantId) {

    public static final String SCHEMA_VERSION = "1";

    /** Money value of the event: amount when given, else price x quantity, else 0. */
    public double monetaryValue() {
        if (amount != null) {
            return amount;
        }
        if (price != null) {
            return price * (quantity == null ? 1 : quantity);
        }
        return 0.0;
    }

    /** Starts a builder, mostly for tests and converters. */
    public static Builder builder(String eventId, String userId, EventType type, long timestampMs) {
        return new Builder(eventId, userId, type, timestampMs);
    }

    /** Mutable builder for the immutable event. */
    public static final class Builder {
        private final String eventId;
        private final String userId;
        private final EventType type;
        private final long timestampMs;
        private String itemId;
        private String categoryId;
        private Double price;
        private Integer quantity;
        private Double amount;
        private String currency;
        private String query;
        private String paymentMethod;
        private String cardFingerprint;
        private String deviceId;
        private String ip;
        private String country;
        private Integer rating;
        private String text;
        private String merchantId;

        private Builder(String eventId, String userId, EventType type, long timestampMs) {
            this.eventId = eventId;
            this.userId = userId;
            this.type = type;
            this.timestampMs = timestampMs;
        }

        public Builder itemId(String v) { this.itemId = v; return this; }
        public Builder categoryId(String v) { this.categoryId = v; return this; }
        public Builder price(Double v) { this.price = v; return this; }
        public Builder quantity(Integer v) { this.quantity = v; return this; }
        public Builder amount(Double v) { this.amount = v; return this; }
        public Builder currency(String v) { this.currency = v; return this; }
        public Builder query(String v) { this.query = v; return this; }
        public Builder paymentMethod(String v) { this.paymentMethod = v; return this; }
        public Builder cardFingerprint(String v) { this.cardFingerprint = v; return this; }
        public Builder deviceId(String v) { this.deviceId = v; return this; }
        public Builder ip(String v) { this.ip = v; return this; }
        public Builder country(String v) { this.country = v; return this; }
        public Builder rating(Integer v) { this.rating = v; return this; }
        public Builder text(String v) { this.text = v; return this; }
        public Builder merchantId(String v) { this.merchantId = v; return this; }

        public ShopEvent build() {
            return new ShopEvent(eventId, userId, type, timestampMs, itemId, categoryId, price, quantity,
                    amount, currency, query, paymentMethod, cardFingerprint, deviceId, ip, country, rating,
                    text, merchantId);
        }
    }
}
