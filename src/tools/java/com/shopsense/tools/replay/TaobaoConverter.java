package com.shopsense.tools.replay;

import com.shopsense.event.EventType;
import com.shopsense.event.ShopEvent;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Taobao UserBehavior CSV ({@code userId,itemId,categoryId,behavior,unixSeconds}, no header) to
 * contract events. pv and fav become views, cart add_to_cart, buy an order (the data has no prices).
 * Rows are converted as they are, bad ones included: validation is the job's business. Reads the CSV
 * plain or gzip-compressed (by the {@code .gz} name).
 */
public final class TaobaoConverter {
    private TaobaoConverter() {
    }

    public static List<ShopEvent> read(Path csv, int maxRows) throws IOException {
        return read(csv, maxRows, 1);
    }

    /**
     * The first {@code maxRows} rows of a file whose first line is row {@code firstRow} of the full slice, so that a
     * later part keeps the full file's event ids ({@code tb-<row>}, 1-based).
     */
    public static List<ShopEvent> read(Path csv, int maxRows, int firstRow) throws IOException {
        List<ShopEvent> out = new ArrayList<>();
        try (BufferedReader r = DemoData.open(csv)) { // plain or .gz (the bundled demo slice)
            String line;
            int row = firstRow - 1;
            int read = 0;
            while ((line = r.readLine()) != null && read < maxRows) {
                row++;
                read++;
                String[] f = line.split(",", -1);
                if (f.length < 5) {
                    continue;
                }
                EventType type = switch (f[3]) {
                    case "cart" -> EventType.ADD_TO_CART;
                    case "buy" -> EventType.ORDER;
                    default -> EventType.VIEW;
                };
                out.add(ShopEvent.builder("tb-" + row, "tb-" + f[0], type, Long.parseLong(f[4]) * 1000L)
                        .itemId(f[1]).categoryId(f[2]).build());
            }
        }
        return out;
    }
}
