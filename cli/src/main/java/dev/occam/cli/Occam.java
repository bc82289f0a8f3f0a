package dev.occam.cli;

/** PLACEHOLDER: replaced by the CLI implementation. */
public final class Occam {
    public static void main(String[] args) {
        System.exit(run(args));
    }

    public static int run(String... args) {
        return 2;
    }
}
