package dev.occam.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Rows of named columns printed as an aligned table, CSV (header row, RFC 4180 quoting) or a JSON
 * array of objects. Values are String, Long/Integer or Double (printed with {@code decimals}
 * digits; NaN/infinite become empty in CSV, {@code null} in JSON), or null.
 */
final class Table {
    /** Output formats of list, codecs and bench. */
    enum Format { TABLE, CSV, JSON }

    private final String[] columns;
    private final boolean[] numeric;
    private final int decimals;
    private final List<Object[]> rows = new ArrayList<>();

    Table(int decimals, String... columns) {
        this.columns = columns.clone();
        this.numeric = new boolean[columns.length];
        this.decimals = decimals;
    }

    void add(Object... values) {
        if (values.length != columns.length) throw new IllegalArgumentException("row width " + values.length);
        for (int i = 0; i < values.length; i++) if (values[i] instanceof Number) numeric[i] = true;
        rows.add(values.clone());
    }

    int size() {
        return rows.size();
    }

    void print(PrintStream out, Format format) {
        switch (format) {
            case CSV -> {
                out.println(csvLine(columns));
                for (Object[] r : rows) out.println(csvLine(r));
            }
            case JSON -> {
                out.print("[");
                for (int i = 0; i < rows.size(); i++) {
                    out.print(i == 0 ? "\n  " : ",\n  ");
                    out.print(jsonObject(rows.get(i)));
                }
                out.println(rows.isEmpty() ? "]" : "\n]");
            }
            case TABLE -> printAligned(out);
        }
        out.flush();
    }

    private void printAligned(PrintStream out) {
        int[] width = new int[columns.length];
        List<String[]> cells = new ArrayList<>();
        cells.add(columns.clone());
        for (Object[] r : rows) {
            String[] c = new String[r.length];
            for (int i = 0; i < r.length; i++) c[i] = r[i] == null ? "-" : text(r[i]);
            cells.add(c);
        }
        for (String[] c : cells) for (int i = 0; i < c.length; i++) width[i] = Math.max(width[i], c[i].length());
        for (String[] c : cells) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < c.length; i++) {
                if (i > 0) sb.append("  ");
                String pad = " ".repeat(width[i] - c[i].length());
                boolean last = i == c.length - 1;
                if (numeric[i]) sb.append(pad).append(c[i]);
                else sb.append(c[i]).append(last ? "" : pad);
            }
            out.println(sb.toString().stripTrailing());
        }
    }

    String csvHeader() {
        return csvLine(columns);
    }

    String csvLine(Object[] values) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(',');
            Object v = values[i];
            if (v == null || (v instanceof Double d && (d.isNaN() || d.isInfinite()))) continue;
            String s = text(v);
            if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0) {
                sb.append('"').append(s.replace("\"", "\"\"")).append('"');
            } else {
                sb.append(s);
            }
        }
        return sb.toString();
    }

    String jsonObject(Object[] values) {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < values.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(jsonString(columns[i])).append(": ");
            Object v = values[i];
            if (v == null || (v instanceof Double d && (d.isNaN() || d.isInfinite()))) sb.append("null");
            else if (v instanceof Number) sb.append(text(v));
            else if (v instanceof Boolean) sb.append(v);
            else sb.append(jsonString(text(v)));
        }
        return sb.append('}').toString();
    }

    private String text(Object v) {
        if (v instanceof Double d) {
            if (d.isNaN() || d.isInfinite()) return "-";
            return String.format(Locale.ROOT, "%." + decimals + "f", d);
        }
        return String.valueOf(v);
    }

    static String jsonString(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
                    else sb.append(c);
                }
            }
        }
        return sb.append('"').toString();
    }

    /** 1536 -> "1.5 KiB"; bytes below 1 KiB stay exact. */
    static String human(long bytes) {
        if (bytes < 1024) return bytes + " B";
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
