package com.shopsense.tools.replay;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * YooChoose (RecSys Challenge 2015) to contract events, the mapping of
 * {@code onnx-models/training/convert/yoochoose.py}: a YooChoose session is a user ({@code userId = "yc-<SessionId>"});
 * a click is a {@code view} of its item at the click's own time (unix seconds to ms, rounded); a buy, when a buys
 * file is given, an {@code order} of its item with its price and quantity (a price of 0, unknown in YooChoose, is
 * left out). Event ids are {@code yc-<SessionId>-<n>} ({@code n}: the click's place in its session by time, then
 * file order) and {@code ycb-<SessionId>-<n>} for buys. The result is in time order (ties in file order), the order
 * of a replay.
 *
 * <p>Clicks: the session-rec sample's tab-separated {@code SessionId ItemId Time} with a header line (columns found
 * by name), plain or gzip-compressed. Buys: the original {@code yoochoose-buys.dat}, comma-separated
 * {@code SessionId,Timestamp(ISO-8601),ItemId,Price,Quantity} without a header; the shared sample has none.
 */
public final class YooChooseConverter {
    /** The folder under the datasets directory and its click files: the training week, then the test day. */
    public static final String FOLDER = "yoochoose-sessionrec";
    public static final List<String> CLICK_FILES = List.of("yoochoose-clicks-100k_train_full.txt",
            "yoochoose-clicks-100k_test.txt");

    private YooChooseConverter() {
    }

    /** Every click file of the folder that exists and the first file whose name holds "buys", if any. */
    public static List<ShopEvent> readFolder(Path folder, int maxRows) throws IOException {
        List<Path> clicks = new ArrayList<>();
        for (String f : CLICK_FILES) {
            if (Files.exists(folder.resolve(f))) {
                clicks.add(folder.resolve(f));
            }
        }
        if (clicks.isEmpty()) {
            throw new IOException("no YooChoose click file " + CLICK_FILES + " in " + folder);
        }
        Path buys;
        try (Stream<Path> s = Files.list(folder)) {
            buys = s.filter(p -> p.getFileName().toString().contains("buys")).sorted().findFirst().orElse(null);
        }
        return read(clicks, buys, maxRows);
    }

    /**
     * Clicks of the given files in turn, then the buys file ({@code null}: none), at most {@code maxRows} data rows
     * in all; converted as they are (validation is the job's business).
     */
    public static List<ShopEvent> read(List<Path> clickFiles, Path buysFile, int maxRows) throws IOException {
        List<Row> rows = new ArrayList<>();
        for (Path f : clickFiles) {
            try (BufferedReader r = DemoData.open(f)) {
                String header = r.readLine();
                if (header == null) {
                    continue;
                }
                List<String> cols = List.of(header.strip().split("\t"));
                int sid = column(cols, "SessionId", f);
                int item = column(cols, "ItemId", f);
                int time = column(cols, "Time", f);
                String line;
                while (rows.size() < maxRows && (line = r.readLine()) != null) {
                    String[] v = line.split("\t", -1);
                    if (v.length < cols.size()) {
                        continue;
                    }
                    rows.add(new Row(v[sid], false, Math.round(Double.parseDouble(v[time]) * 1000.0), v[item], null,
                            null, rows.size()));
                }
            }
        }
        if (buysFile != null) {
            try (BufferedReader r = DemoData.open(buysFile)) {
                String line;
                while (rows.size() < maxRows && (line = r.readLine()) != null) {
                    String[] v = line.split(",", -1);
                    if (v.length < 5 || !v[1].contains("T")) {
                        continue; // a header or a short row
                    }
                    double price = Double.parseDouble(v[3]);
                    rows.add(new Row(v[0], true, Instant.parse(v[1]).toEpochMilli(), v[2], price > 0 ? price : null,
                            Integer.parseInt(v[4]), rows.size()));
                }
            }
        }
        return toEvents(rows);
    }

    /** One click or buy of the data, with its place in the input. */
    record Row(String sessionId, boolean buy, long timestampMs, String itemId, Double price, Integer quantity,
            int fileOrder) {
    }

    static List<ShopEvent> toEvents(List<Row> rows) {
        List<Row> sorted = new ArrayList<>(rows);
        // per session in time order: n counts clicks and buys separately, as the ids name them
        sorted.sort(Comparator.comparing(Row::sessionId).thenComparing(Row::buy).thenComparingLong(Row::timestampMs)
                .thenComparingInt(Row::fileOrder));
        Map<String, Integer> next = new HashMap<>();
        List<Numbered> numbered = new ArrayList<>(sorted.size());
        for (Row row : sorted) {
            String key = (row.buy() ? "b/" : "c/") + row.sessionId();
            int n = next.merge(key, 1, Integer::sum) - 1;
            numbered.add(new Numbered(row, n));
        }
        numbered.sort(Comparator.comparingLong((Numbered x) -> x.row().timestampMs())
                .thenComparingInt(x -> x.row().fileOrder()));
        List<ShopEvent> out = new ArrayList<>(numbered.size());
        for (Numbered x : numbered) {
            Row r = x.row();
            String user = "yc-" + r.sessionId();
            if (r.buy()) {
                out.add(ShopEvent.builder("ycb-" + r.sessionId() + "-" + x.n(), user, EventType.ORDER, r.timestampMs())
                        .itemId(r.itemId()).price(r.price()).quantity(r.quantity()).build());
            } else {
                out.add(ShopEvent.builder("yc-" + r.sessionId() + "-" + x.n(), user, EventType.VIEW, r.timestampMs())
                        .itemId(r.itemId()).build());
            }
        }
        return out;
    }

    private record Numbered(Row row, int n) {
    }

    private static int column(List<String> cols, String name, Path f) throws IOException {
        int i = cols.indexOf(name);
        if (i < 0) {
            throw new IOException(f + ": no column " + name + " in header " + cols);
        }
        return i;
    }
}
