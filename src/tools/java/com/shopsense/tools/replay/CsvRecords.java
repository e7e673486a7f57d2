package com.shopsense.tools.replay;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * An RFC 4180 CSV reader: fields separated by commas, records by LF or CRLF; a field in double quotes may
 * hold commas, line breaks and doubled quotes ({@code ""}). The review sets need it: their texts span lines,
 * so a line is not a record. Fields are returned as they are (no trimming). A quote inside an unquoted field
 * is kept as a character, as Python's csv module does.
 */
public final class CsvRecords {
    private final Reader in;
    private int pushedBack = -2;

    public CsvRecords(Reader in) {
        this.in = in;
    }

    /** The next record's fields, or null at the end of the input. */
    public List<String> next() throws IOException {
        int c = read();
        if (c < 0) {
            return null;
        }
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean fieldStart = true;
        while (true) {
            if (quoted) {
                if (c < 0) { // an unterminated quote: what there is, as Python's non-strict reader does
                    fields.add(field.toString());
                    return fields;
                }
                if (c == '"') {
                    int d = read();
                    if (d == '"') {
                        field.append('"');
                    } else {
                        quoted = false;
                        c = d;
                        continue;
                    }
                } else {
                    field.append((char) c);
                }
            } else if (c < 0 || c == '\n') {
                fields.add(field.toString());
                return fields;
            } else if (c == '\r') {
                int d = read();
                if (d != '\n') {
                    pushedBack = d;
                }
                fields.add(field.toString());
                return fields;
            } else if (c == ',') {
                fields.add(field.toString());
                field.setLength(0);
                fieldStart = true;
                c = read();
                continue;
            } else if (c == '"' && fieldStart) {
                quoted = true;
            } else {
                field.append((char) c);
            }
            fieldStart = false;
            c = read();
        }
    }

    private int read() throws IOException {
        if (pushedBack != -2) {
            int c = pushedBack;
            pushedBack = -2;
            return c;
        }
        return in.read();
    }
}
