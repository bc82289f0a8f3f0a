import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes the "structured.bin" test file of codec-kt/README.md: 64 KiB in 128-byte chunks that cycle
 * through four kinds, chunk c being of kind c mod 4: random bytes; an arithmetic progression (step
 * 1 or 2, taken mod 256); two constant runs (the cut at 20..108); a periodic pattern (a random unit
 * of 2..8 bytes repeated). Deterministic: the bytes depend only on the seed (default 1).
 *
 * <p>Run with the JDK's source launcher (no build needed), from the project root:
 * {@code java samples/scripts/KtStructured.java structured.bin [SEED]}.
 */
public final class KtStructured {
    private KtStructured() {
    }

    /** args: output file, optional seed. */
    public static void main(String[] args) throws IOException {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: java samples/scripts/KtStructured.java OUT [SEED]");
            System.exit(2);
        }
        long seed = args.length == 2 ? Long.parseLong(args[1]) : 1;
        Files.write(Path.of(args[0]), generate(seed, 512, 128));
    }

    /** {@code chunks} chunks of {@code size} bytes of the four kinds in turn. */
    static byte[] generate(long seed, int chunks, int size) {
        SplittableRandom r = new SplittableRandom(seed);
        byte[] out = new byte[chunks * size];
        for (int c = 0; c < chunks; c++) {
            int at = c * size;
            switch (c % 4) {
                case 0 -> {
                    for (int i = 0; i < size; i++) out[at + i] = (byte) r.nextInt(256);
                }
                case 1 -> {
                    int start = r.nextInt(256), step = 1 + r.nextInt(2);
                    for (int i = 0; i < size; i++) out[at + i] = (byte) (start + step * i);
                }
                case 2 -> {
                    int a = r.nextInt(256), b = r.nextInt(256), cut = 20 + r.nextInt(size - 40 + 1);
                    for (int i = 0; i < size; i++) out[at + i] = (byte) (i < cut ? a : b);
                }
                default -> {
                    int[] unit = new int[2 + r.nextInt(7)];
                    for (int i = 0; i < unit.length; i++) unit[i] = r.nextInt(256);
                    for (int i = 0; i < size; i++) out[at + i] = (byte) unit[i % unit.length];
                }
            }
        }
        return out;
    }
}
