package com.shopsense.tools.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class CsvRecordsTest {
    private static List<List<String>> all(String csv) throws Exception {
        CsvRecords r = new CsvRecords(new StringReader(csv));
        List<List<String>> out = new ArrayList<>();
        for (List<String> f = r.next(); f != null; f = r.next()) {
            out.add(f);
        }
        return out;
    }

    @Test
    void aQuotedFieldHoldsLineBreaksCommasAndDoubledQuotes() throws Exception {
        assertThat(all("id,text,rating\n7,\"Runs small\nsize up, \"\"really\"\"\n\",2\n8,plain,5\n")).containsExactly(
                List.of("id", "text", "rating"),
                List.of("7", "Runs small\nsize up, \"really\"\n", "2"),
                List.of("8", "plain", "5"));
    }

    @Test
    void crlfEndsARecordButACrlfInsideQuotesIsText() throws Exception {
        assertThat(all("a,\"x\r\ny\"\r\nb,\r\n")).containsExactly(List.of("a", "x\r\ny"), List.of("b", ""));
    }

    @Test
    void emptyFieldsAndALastRecordWithoutLineBreakAreKept() throws Exception {
        assertThat(all(",,\n\"\",z")).containsExactly(List.of("", "", ""), List.of("", "z"));
    }

    @Test
    void aQuoteInsideAnUnquotedFieldIsACharacter() throws Exception {
        assertThat(all("5\"6 tall,ok\n")).containsExactly(List.of("5\"6 tall", "ok"));
    }

    /** The bundled English slice: 3,250 records over more lines than that (texts span lines), each with 11 fields. */
    @Test
    void theEnglishSliceHasMoreLinesThanRecordsAndEveryRecordIsWhole() throws Exception {
        long lines;
        try (BufferedReader r = DemoData.open(DemoData.REVIEWS_EN)) {
            lines = r.lines().count();
        }
        List<List<String>> records = new ArrayList<>();
        try (BufferedReader r = DemoData.open(DemoData.REVIEWS_EN)) {
            CsvRecords csv = new CsvRecords(r);
            for (List<String> f = csv.next(); f != null; f = csv.next()) {
                records.add(f);
            }
        }
        assertThat(records).hasSize(DemoData.REVIEWS_EN_RECORDS + 1); // + header
        assertThat(lines).isGreaterThan(records.size());
        assertThat(records).allSatisfy(f -> assertThat(f).hasSize(11));
        assertThat(records.stream().skip(1).filter(f -> f.get(4).contains("\n"))).isNotEmpty();
        assertThat(records.stream().skip(1).map(f -> f.get(5))).allMatch(s -> s.matches("[1-5]"));
    }
}
