package com.shopsense.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.shopsense.event.EventLimits;
import com.shopsense.event.ShopEvent;
import com.shopsense.testing.Datasets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The demo slices bundled in deploy/demo-data are what the default test tier reads in place of the full
 * public files, so they must give exactly the events those tests would read from the full files: checked
 * here through the same readers, against ../shared/datasets (tier -Pdatasets). A re-cut that drifts from
 * cut.py's documented rules, or a full file that changed, fails here rather than silently weakening the
 * default tier.
 */
@Tag(Datasets.TAG)
class DemoDataIT {
    @Test
    void theTaobaoDemoIsTheFullSlicesFirstRowsPlusItsBadRow() throws Exception {
        Path full = Datasets.file("taobao-userbehavior/UserBehavior_slice.csv");
        List<ShopEvent> demo = TaobaoConverter.read(DemoData.TAOBAO, Integer.MAX_VALUE);
        assertThat(demo).hasSize(DemoData.TAOBAO_ROWS);
        // Row numbers are event ids: the fixtures' "first N rows" are the same events in both files.
        assertThat(demo.subList(0, DemoData.TAOBAO_ROWS - 1)).isEqualTo(TaobaoConverter.read(full, DemoData.TAOBAO_ROWS - 1));
        List<ShopEvent> all = TaobaoConverter.read(full, Integer.MAX_VALUE);
        List<ShopEvent> badInFull = all.stream().filter(e -> e.timestampMs() < EventLimits.YEAR_2000_MS).toList();
        ShopEvent bad = demo.get(demo.size() - 1);
        assertThat(badInFull).hasSize(1);
        assertThat(bad.timestampMs()).isEqualTo(badInFull.get(0).timestampMs());
        assertThat(List.of(bad.userId(), bad.itemId(), bad.categoryId(), bad.type()))
                .isEqualTo(List.of(badInFull.get(0).userId(), badInFull.get(0).itemId(), badInFull.get(0).categoryId(),
                        badInFull.get(0).type()));
    }

    /** The later part (what the local run replays) continues the first part with the full file's rows and ids. */
    @Test
    void theTaobaoLaterPartIsEveryRowAfterTheFirstFiftyThousand() throws Exception {
        Path full = Datasets.file("taobao-userbehavior/UserBehavior_slice.csv");
        List<ShopEvent> all = TaobaoConverter.read(full, Integer.MAX_VALUE);
        List<ShopEvent> later = TaobaoConverter.read(DemoData.TAOBAO_LATER, Integer.MAX_VALUE,
                DemoData.TAOBAO_LATER_FIRST_ROW);
        assertThat(later).hasSize(DemoData.TAOBAO_LATER_ROWS);
        assertThat(later).isEqualTo(all.subList(DemoData.TAOBAO_LATER_FIRST_ROW - 1, all.size()));
        assertThat(later.get(0).eventId()).isEqualTo("tb-" + DemoData.TAOBAO_LATER_FIRST_ROW);
        assertThat(DemoData.TAOBAO_LATER_FIRST_ROW - 1 + DemoData.TAOBAO_LATER_ROWS).isEqualTo(all.size());
        // byte for byte: the bundled rows are the full file's lines after the first 50,000
        List<String> fullLines = Files.readAllLines(full);
        List<String> laterLines;
        try (java.io.BufferedReader r = DemoData.open(DemoData.TAOBAO_LATER)) {
            laterLines = r.lines().toList();
        }
        assertThat(laterLines).isEqualTo(fullLines.subList(DemoData.TAOBAO_LATER_FIRST_ROW - 1, fullLines.size()));
    }

    @Test
    void theFraudHandbookDemoHoldsEveryTransactionOfItsTwoDays() throws Exception {
        Path full = Datasets.file("fraud-handbook-simulated/transactions_2018-04_to_07.csv.gz");
        long from = Instant.parse("2018-07-01T00:00:00Z").toEpochMilli();
        long to = Instant.parse("2018-07-03T00:00:00Z").toEpochMilli();
        FraudHandbook.Replay demo = FraudHandbook.read(DemoData.FRAUD_HANDBOOK, Long.MIN_VALUE, Long.MAX_VALUE,
                Duration.ofDays(1));
        FraudHandbook.Replay expected = FraudHandbook.read(full, from, to, Duration.ofDays(1));
        assertThat(demo.payments()).isEqualTo(expected.payments());
        assertThat(demo.labels()).isEqualTo(expected.labels()).isNotEmpty();
    }

    @Test
    void theOnlineRetailDemoHoldsEveryOrderOfTheSegmentsTestSubset() throws Exception {
        Path full = Datasets.file("online-retail-uci/online_retail.csv.gz");
        JsonNode segments = new ObjectMapper().readTree(Files.readString(Path.of("onnx-models/segments.json")));
        int modulo = segments.at("/testSubset/customerIdModulo").asInt();
        // Every order, not only those before SegmentsIT's cut-off: the slice is whole invoices of whole customers.
        List<ShopEvent> demo = OnlineRetail.read(DemoData.ONLINE_RETAIL, id -> true, Long.MAX_VALUE);
        assertThat(demo).isEqualTo(OnlineRetail.read(full, id -> id % modulo == 0, Long.MAX_VALUE)).isNotEmpty();
    }

    /** Every record of a CSV file (the header first), each record's fields as read. */
    private static List<List<String>> records(Path file) throws Exception {
        List<List<String>> out = new java.util.ArrayList<>();
        try (java.io.BufferedReader r = DemoData.open(file)) {
            CsvRecords csv = new CsvRecords(r);
            for (List<String> f = csv.next(); f != null; f = csv.next()) {
                out.add(f);
            }
        }
        return out;
    }

    /**
     * cut.py's rule, computed here from the full file's records: the header, then for each product (Clothing ID) with at
     * least 300 reviews with text, its first 250 reviews with text, in file order.
     */
    @Test
    void theEnglishReviewSliceIsTheFirst250ReviewsWithTextOfEachProductWithAtLeast300() throws Exception {
        List<List<String>> full = records(Datasets.file(DemoData.REVIEWS_EN_FULL));
        List<List<String>> withText = full.subList(1, full.size()).stream().filter(f -> !f.get(4).isBlank()).toList();
        java.util.Map<String, Long> perProduct = withText.stream()
                .collect(java.util.stream.Collectors.groupingBy(f -> f.get(1), java.util.stream.Collectors.counting()));
        java.util.Map<String, Integer> taken = new java.util.HashMap<>();
        List<List<String>> expected = new java.util.ArrayList<>(List.of(full.get(0)));
        for (List<String> f : withText) {
            if (perProduct.get(f.get(1)) >= 300 && taken.merge(f.get(1), 1, Integer::sum) <= 250) {
                expected.add(f);
            }
        }
        List<List<String>> slice = records(DemoData.REVIEWS_EN);
        assertThat(slice).hasSize(DemoData.REVIEWS_EN_RECORDS + 1).isEqualTo(expected);
        assertThat(slice.stream().skip(1).map(f -> f.get(1)).distinct()).hasSize(DemoData.REVIEWS_EN_PRODUCTS);
        // the reader gives the same reviews from either file (what a local run with --datasets replays first)
        assertThat(ReviewTexts.englishSlice())
                .isEqualTo(ReviewTexts.english(Datasets.file(DemoData.REVIEWS_EN_FULL), ReviewTexts.EN_MIN_PER_PRODUCT));
    }

    /** cut.py's rule: the header and records 1, 11, 21, ... of the full file; ids keep the full file's record numbers. */
    @Test
    void theChineseReviewSliceIsEveryTenthRecordOfTheFullFile() throws Exception {
        List<List<String>> full = records(Datasets.file(DemoData.REVIEWS_ZH_FULL));
        List<List<String>> expected = new java.util.ArrayList<>(List.of(full.get(0)));
        for (int i = 1; i < full.size(); i += DemoData.REVIEWS_ZH_EVERY) {
            expected.add(full.get(i));
        }
        List<List<String>> slice = records(DemoData.REVIEWS_ZH);
        assertThat(slice).hasSize(DemoData.REVIEWS_ZH_RECORDS + 1).isEqualTo(expected);
        assertThat(slice.stream().skip(1).map(f -> f.get(0)).distinct()).hasSize(DemoData.REVIEWS_ZH_CATEGORIES);
        java.util.Set<String> sliceIds = new java.util.HashSet<>();
        ReviewTexts.chinese(DemoData.REVIEWS_ZH, DemoData.REVIEWS_ZH_EVERY).forEach(r -> sliceIds.add(r.id()));
        assertThat(ReviewTexts.chinese(Datasets.file(DemoData.REVIEWS_ZH_FULL), 1).stream()
                .filter(r -> sliceIds.contains(r.id())).toList())
                .isEqualTo(ReviewTexts.chinese(DemoData.REVIEWS_ZH, DemoData.REVIEWS_ZH_EVERY));
    }
}
