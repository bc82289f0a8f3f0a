package dev.occam.kt.dsl;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The DSL's functions with their argument kinds, in the order they are written. The 24 functions
 * of the paper are the 21 sequence functions here plus the three predicates of {@link Pred}; the
 * 25th choice of a line is {@link #IDENTITY}, the output line {@code output = sequence_k}.
 */
public enum Fn {
    /** range_func_up(start, end): start..end inclusive (empty when start > end). */
    RANGE_FUNC_UP("range_func_up", Arg.VALUE, Arg.VALUE),
    /** range_func_interval(start, end, step): start, start+step, ... below end. */
    RANGE_FUNC_INTERVAL("range_func_interval", Arg.VALUE, Arg.VALUE, Arg.STEP),
    /** repeat_num(count, value): value count times. */
    REPEAT_NUM("repeat_num", Arg.COUNT, Arg.VALUE),
    /** set_list([v, ...]): the literal values. */
    SET_LIST("set_list", Arg.LIST),
    /** repeat_list(n, s): s repeated n times. */
    REPEAT_LIST("repeat_list", Arg.COUNT, Arg.REF),
    /** reverse_list(s). */
    REVERSE_LIST("reverse_list", Arg.REF),
    /** substitute(s, pattern, replacement): every element equal to pattern becomes replacement. */
    SUBSTITUTE("substitute", Arg.REF, Arg.VALUE, Arg.VALUE),
    /** get_subsequence_with_jumps(s, step): s[0], s[step], s[2 step], ... */
    GET_SUBSEQUENCE_WITH_JUMPS("get_subsequence_with_jumps", Arg.REF, Arg.STEP),
    /** get_subsequence_between_indices(s, start, end): s[start:end] (clipped like a Python slice). */
    GET_SUBSEQUENCE_BETWEEN_INDICES("get_subsequence_between_indices", Arg.REF, Arg.VALUE, Arg.VALUE),
    /** max_n(s, n): the n largest elements in ascending order. */
    MAX_N("max_n", Arg.REF, Arg.VALUE),
    /** min_n(s, n): the n smallest elements in ascending order. */
    MIN_N("min_n", Arg.REF, Arg.VALUE),
    /** add_item_list(s, c): s + c element-wise. */
    ADD_ITEM_LIST("add_item_list", Arg.REF, Arg.VALUE),
    /** subtract_item_list(s, c): s - c element-wise. */
    SUBTRACT_ITEM_LIST("subtract_item_list", Arg.REF, Arg.VALUE),
    /** modulo_item_list(s, c): s mod c element-wise (floor modulo; c = 0 is an error). */
    MODULO_ITEM_LIST("modulo_item_list", Arg.REF, Arg.VALUE),
    /** filter(pred, s): the elements that satisfy pred. */
    FILTER("filter", Arg.PRED, Arg.REF),
    /** add_two_lists(a, b): pairwise sums, truncated to the shorter list. */
    ADD_TWO_LISTS("add_two_lists", Arg.REF, Arg.REF),
    /** subtract_two_lists(a, b): pairwise differences, truncated to the shorter list. */
    SUBTRACT_TWO_LISTS("subtract_two_lists", Arg.REF, Arg.REF),
    /** modulo_two_lists(a, b): pairwise a mod b, truncated; pairs with b = 0 are dropped. */
    MODULO_TWO_LISTS("modulo_two_lists", Arg.REF, Arg.REF),
    /** scan_add(s): running sums. */
    SCAN_ADD("scan_add", Arg.REF),
    /** concatenate(a, b): a then b (exactly two arguments). */
    CONCATENATE("concatenate", Arg.REF, Arg.REF),
    /** interleave(a, b): a0 b0 a1 b1 ..., then the longer list's tail. */
    INTERLEAVE("interleave", Arg.REF, Arg.REF),
    /** {@code output = sequence_k}: only as the last line; written without a function name. */
    IDENTITY("", Arg.REF);

    /** Argument kinds. */
    public enum Arg {
        /** A literal value 0..255 (8 bits). */
        VALUE,
        /** A step or jump 1..8 (3 bits). */
        STEP,
        /** A repeat count 1..20 (log2 20 bits). */
        COUNT,
        /** A reference to an earlier line (log2 n bits on line n). */
        REF,
        /** A predicate (is_even, is_odd, is_not_zero); free under the paper's prior. */
        PRED,
        /** A literal list of values 0..255. */
        LIST
    }

    /** Smallest and largest step. */
    public static final int MIN_STEP = 1, MAX_STEP = 8;
    /** Smallest and largest repeat count. */
    public static final int MIN_COUNT = 1, MAX_COUNT = 20;
    /** Largest literal value. */
    public static final int MAX_VALUE = 255;

    private static final Fn[] ALL = values();
    private static final Map<String, Fn> BY_NAME = new HashMap<>();

    static {
        for (Fn f : ALL) if (f != IDENTITY) BY_NAME.put(f.text, f);
    }

    private final String text;
    private final Arg[] args;

    Fn(String text, Arg... args) {
        this.text = text;
        this.args = args;
    }

    /** The name in program text (empty for {@link #IDENTITY}). */
    public String text() {
        return text;
    }

    /** Number of arguments. */
    public int arity() {
        return args.length;
    }

    /** Kind of argument {@code i}. */
    public Arg arg(int i) {
        return args[i];
    }

    /** The argument kinds. */
    public List<Arg> args() {
        return List.of(args);
    }

    /** The function with this text name, or null. */
    public static Fn byName(String name) {
        return BY_NAME.get(name);
    }

    /** The function with this ordinal. */
    public static Fn of(int ordinal) {
        return ALL[ordinal];
    }

    /** Number of functions including {@link #IDENTITY}. */
    public static int count() {
        return ALL.length;
    }
}
