package dev.occam.kt.dsl;

/** The predicates of {@code filter}. */
public enum Pred {
    /** Even values (floor modulo: -2 is even). */
    IS_EVEN("is_even"),
    /** Odd values. */
    IS_ODD("is_odd"),
    /** Nonzero values. */
    IS_NOT_ZERO("is_not_zero");

    private final String text;

    Pred(String text) {
        this.text = text;
    }

    /** The name in program text. */
    public String text() {
        return text;
    }

    /** Whether {@code v} satisfies the predicate. */
    public boolean test(long v) {
        switch (this) {
            case IS_EVEN:
                return (v & 1) == 0;
            case IS_ODD:
                return (v & 1) != 0;
            default:
                return v != 0;
        }
    }

    /** The predicate with this name, or null. */
    public static Pred byName(String name) {
        for (Pred p : values()) if (p.text.equals(name)) return p;
        return null;
    }
}
