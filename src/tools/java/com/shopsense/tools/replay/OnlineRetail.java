package com.shopsense.tools.replay;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongPredicate;
import java.util.zip.GZIPInputStream;

/**
 * UCI Online Retail CSV (gzip) to contract {@code order} events, exactly as
 * onnx-models/training/convert/online_retail.py converts it (ids, dropped rows, amount rounding, order):
 * one event per invoice line, {@code or-<InvoiceNo>-<line>}, user {@code or-<CustomerID>}, InvoiceDate as
 * UTC; rows without a customer, cancellations and lines with quantity or price <= 0 are dropped.
 */
public final class OnlineRetail {
    private static final DateTimeFormatter DATE = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private OnlineRetail() {
    }

    /** The order events of the customers {@code customers} accepts, before {@code beforeMs}, in time order. */
    public static List<ShopEvent> read(Path csvGz, LongPredicate customers, long beforeMs) throws IOException {
        List<ShopEvent> out = new ArrayList<>();
        Map<String, Integer> lineOfInvoice = new HashMap<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(csvGz)), StandardCharsets.UTF_8))) {
            String line = r.readLine(); // header
            while ((line = r.readLine()) != null) {
                List<String> f = csv(line);
                String invoice = f.get(0);
                int position = lineOfInvoice.merge(invoice, 1, Integer::sum) - 1; // counts every row, as the converter
                String customer = f.get(6);
                if (customer.isEmpty() || customer.equals("NA") || invoice.startsWith("C")) {
                    continue;
                }
                int quantity = Integer.parseInt(f.get(3));
                double price = Double.parseDouble(f.get(5));
                long customerId = (long) Double.parseDouble(customer);
                long ts = LocalDateTime.parse(f.get(4), DATE).toInstant(ZoneOffset.UTC).toEpochMilli();
                if (quantity <= 0 || price <= 0 || ts >= beforeMs || !customers.test(customerId)) {
                    continue;
                }
                double amount = new BigDecimal((double) quantity * price).setScale(2, RoundingMode.HALF_EVEN).doubleValue();
                out.add(ShopEvent.builder("or-" + invoice + "-" + position, "or-" + customerId, EventType.ORDER, ts)
                        .itemId(f.get(1)).quantity(quantity).price(price).amount(amount).currency("GBP")
                        .country(f.get(7)).build());
            }
        }
        out.sort(Comparator.comparingLong(ShopEvent::timestampMs)); // stable: file order within a timestamp
        return out;
    }

    /** One CSV line (RFC 4180 quoting; the file has no line breaks inside fields). */
    static List<String> csv(String line) {
        List<String> out = new ArrayList<>(8);
        StringBuilder b = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
                    b.append('"');
                    i++;
                } else if (c == '"') {
                    quoted = false;
                } else {
                    b.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                out.add(b.toString());
                b.setLength(0);
            } else {
                b.append(c);
            }
        }
        out.add(b.toString());
        return out;
    }
}
