package dev.occam.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import picocli.CommandLine;

/** Parsers for option values: sizes with k/M/G suffixes and level lists like {@code 1,3,9} or {@code 1-9}. */
final class Sizes {
    private Sizes() {
    }

    /** "65536", "64k", "64K", "1M", "1m", "1G", "1MiB": binary multiples; result in 0..2^31-1. */
    static int parseSize(String s) {
        String t = s.trim().toLowerCase(Locale.ROOT);
        if (t.endsWith("ib")) t = t.substring(0, t.length() - 2);
        else if (t.endsWith("b") && t.length() > 1 && !Character.isDigit(t.charAt(t.length() - 2))) {
            t = t.substring(0, t.length() - 1);
        }
        long mult = 1;
        if (!t.isEmpty()) {
            switch (t.charAt(t.length() - 1)) {
                case 'k' -> mult = 1L << 10;
                case 'm' -> mult = 1L << 20;
                case 'g' -> mult = 1L << 30;
                default -> mult = 1;
            }
            if (mult != 1) t = t.substring(0, t.length() - 1);
        }
        long v;
        try {
            v = Long.parseLong(t.trim());
        } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + s + "' is not a size (use e.g. 65536, 64k, 1M)");
        }
        if (v < 0 || v > Integer.MAX_VALUE / mult) {
            throw new CommandLine.TypeConversionException("'" + s + "' is out of range (0 .. 2G-1)");
        }
        return (int) (v * mult);
    }

    /** "1,3,9", "1-9", "1..9", "-5--1", "3" -> sorted distinct levels. */
    static List<Integer> parseLevels(String s) {
        TreeSet<Integer> out = new TreeSet<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.isEmpty()) continue;
            try {
                java.util.regex.Matcher m = java.util.regex.Pattern.compile("(-?\\d+)(?:-|\\.\\.)(-?\\d+)").matcher(p);
                if (m.matches()) {
                    int a = Integer.parseInt(m.group(1));
                    int b = Integer.parseInt(m.group(2));
                    if (a > b || (long) b - a > 10_000) {
                        throw new CommandLine.TypeConversionException("bad level range '" + p + "'");
                    }
                    for (int l = a; l <= b; l++) out.add(l);
                } else {
                    out.add(Integer.parseInt(p));
                }
            } catch (NumberFormatException e) {
                throw new CommandLine.TypeConversionException("'" + p + "' is not a level or range (e.g. 1,3,9 or 1-9)");
            }
        }
        if (out.isEmpty()) throw new CommandLine.TypeConversionException("no levels in '" + s + "'");
        return new ArrayList<>(out);
    }
}
