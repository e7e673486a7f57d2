package com.shopsense.tools.replay;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

/**
 * The Fraud Detection Handbook's simulated transactions as a replay (same mapping as
 * onnx-models/training/convert/fraud_handbook.py): payment events {@code fh-<TRANSACTION_ID>} of user
 * {@code fh-<CUSTOMER_ID>} at merchant {@code T<TERMINAL_ID>}, and for every fraudulent one a
 * chargeback label decided {@code labelDelay} after the payment. Times are read as UTC.
 */
public final class FraudHandbook {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DateTimeFormatter CSV_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    /** A chargeback label with what the replay needs to check the job's use of it. */
    public record Label(String labelId, String eventId, String userId, String merchantId, long paymentTs,
            long decidedAt, int scenario) {

        public byte[] toJson() {
            ObjectNode n = JSON.createObjectNode();
            n.put("labelId", labelId);
            n.put("eventId", eventId);
            n.put("userId", userId);
            n.put("merchantId", merchantId);
            n.put("label", "fraud");
            n.put("source", "chargeback");
            n.put("decidedAt", Instant.ofEpochMilli(decidedAt).toString());
            return n.toString().getBytes(StandardCharsets.UTF_8);
        }
    }

    /** Payments in time order and the labels of the fraudulent ones, ordered by decision time. */
    public record Replay(List<ShopEvent> payments, List<Label> labels) {
    }

    private FraudHandbook() {
    }

    /** Transactions with fromMs <= time < toMs. */
    public static Replay read(Path csvGz, long fromMs, long toMs, Duration labelDelay) throws IOException {
        List<ShopEvent> payments = new ArrayList<>();
        List<Label> labels = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csvGz), 1 << 16), StandardCharsets.UTF_8))) {
            String header = r.readLine();
            if (header == null || !header.startsWith("TRANSACTION_ID,TX_DATETIME,CUSTOMER_ID,TERMINAL_ID,TX_AMOUNT")) {
                throw new IOException(csvGz + ": not the handbook's transactions CSV (header " + header + ")");
            }
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split(",", -1);
                long ts = LocalDateTime.parse(f[1], CSV_TIME).toInstant(ZoneOffset.UTC).toEpochMilli();
                if (ts < fromMs || ts >= toMs) {
                    continue;
                }
                String eventId = "fh-" + f[0];
                String merchant = "T" + f[3];
                payments.add(ShopEvent.builder(eventId, "fh-" + f[2], EventType.PAYMENT, ts)
                        .amount(Double.parseDouble(f[4])).merchantId(merchant).build());
                if (f[7].equals("1")) {
                    labels.add(new Label("lbl-" + eventId, eventId, "fh-" + f[2], merchant, ts, ts + labelDelay.toMillis(),
                            Integer.parseInt(f[8])));
                }
            }
        }
        payments.sort(Comparator.comparingLong(ShopEvent::timestampMs));
        labels.sort(Comparator.comparingLong(Label::decidedAt));
        return new Replay(payments, labels);
    }
}
