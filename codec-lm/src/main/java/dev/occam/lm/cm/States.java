package dev.occam.lm.cm;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Nonstationary bit-history states: a state stands for a pair of counts (n0, n1) of zeros and
 * ones seen in a context. Coding bit y increments n_y (up to {@value #CAP}) and, when the other
 * count exceeds 2, halves its excess (n = n / 2 + 1), so old evidence fades once the context
 * changes behaviour. The reachable pairs from (0, 0) are numbered breadth-first at class init
 * (state 0 = nothing seen); there are fewer than 256, so a state fits in a byte.
 */
final class States {
    static final int CAP = 30;
    /** Number of states. */
    static final int COUNT;
    /** NEXT[2 * s + y]: the state after coding bit y in state s. */
    static final byte[] NEXT;
    /** Zero and one counts of each state. */
    static final int[] N0;
    static final int[] N1;
    /** n0 + n1 of each state: how much a slot has been used (the replacement priority). */
    static final int[] TOTAL = new int[256];

    static {
        Map<Integer, Integer> ids = new HashMap<>();
        ArrayDeque<int[]> queue = new ArrayDeque<>();
        int[] n0 = new int[256];
        int[] n1 = new int[256];
        int[] next = new int[512];
        ids.put(0, 0);
        queue.add(new int[] {0, 0});
        while (!queue.isEmpty()) {
            int[] s = queue.poll();
            int id = ids.get(s[0] << 8 | s[1]);
            n0[id] = s[0];
            n1[id] = s[1];
            for (int y = 0; y < 2; y++) {
                int a = s[0];
                int b = s[1];
                if (y == 1) {
                    b = Math.min(b + 1, CAP);
                    if (a > 2) a = a / 2 + 1;
                } else {
                    a = Math.min(a + 1, CAP);
                    if (b > 2) b = b / 2 + 1;
                }
                int key = a << 8 | b;
                Integer t = ids.get(key);
                if (t == null) {
                    t = ids.size();
                    ids.put(key, t);
                    queue.add(new int[] {a, b});
                }
                next[2 * id + y] = t;
            }
        }
        COUNT = ids.size();
        if (COUNT > 256) throw new AssertionError("too many states: " + COUNT);
        NEXT = new byte[512];
        for (int i = 0; i < 2 * COUNT; i++) NEXT[i] = (byte) next[i];
        N0 = java.util.Arrays.copyOf(n0, 256);
        N1 = java.util.Arrays.copyOf(n1, 256);
        for (int s = 0; s < 256; s++) TOTAL[s] = n0[s] + n1[s];
    }

    private States() {
    }
}
