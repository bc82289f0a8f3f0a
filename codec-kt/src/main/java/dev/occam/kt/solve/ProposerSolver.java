package dev.occam.kt.solve;

import dev.occam.kt.dsl.Interpreter;
import dev.occam.kt.dsl.KtException;
import dev.occam.kt.dsl.Parser;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.score.UniformPrior;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A base solver plus proposers: the base solver's program (always correct) is the floor; every
 * candidate a proposer returns is parsed and run under the interpreter's default limits, and kept
 * only when its output equals the target and it is shorter. Malformed, failing or wrong
 * candidates are counted and dropped. The base solver gets half of the budget, the proposers
 * share the rest; calls to each proposer are serialised.
 */
public final class ProposerSolver implements Solver {
    private final Solver base;
    private final List<Proposer> proposers;
    private final int candidates;
    private final AtomicLong proposed = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicLong wrong = new AtomicLong();
    private final AtomicLong verified = new AtomicLong();
    private final AtomicLong used = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    /** A solver that asks each proposer for up to {@code candidates} programs per target. */
    public ProposerSolver(Solver base, List<Proposer> proposers, int candidates) {
        this.base = base;
        this.proposers = List.copyOf(proposers);
        this.candidates = candidates;
    }

    /** The base solver's internal failures. */
    @Override
    public long failures() {
        return base.failures();
    }

    @Override
    public Solution solve(byte[] target, long deadlineNanos) {
        long now = System.nanoTime();
        long half = now + Math.max(0, (deadlineNanos - now) / 2);
        Solution best = base.solve(target, proposers.isEmpty() ? deadlineNanos : half);
        for (Proposer p : proposers) {
            List<String> texts;
            try {
                synchronized (p) {
                    texts = p.propose(target, candidates, deadlineNanos);
                }
            } catch (IOException | RuntimeException e) {
                errors.incrementAndGet();
                continue;
            }
            for (String text : texts) {
                proposed.incrementAndGet();
                Program prog;
                try {
                    prog = Parser.parse(text);
                } catch (KtException e) {
                    malformed.incrementAndGet();
                    continue;
                }
                byte[] out;
                try {
                    out = Interpreter.run(prog);
                } catch (KtException e) {
                    failed.incrementAndGet();
                    continue;
                }
                if (!Arrays.equals(out, target)) {
                    wrong.incrementAndGet();
                    continue;
                }
                verified.incrementAndGet();
                double bits = UniformPrior.bits(prog);
                if (bits < best.bits() - 1e-9) {
                    best = new Solution(prog, bits, false, p.name());
                    used.incrementAndGet();
                }
            }
        }
        return best;
    }

    /**
     * Counts so far: candidates proposed, malformed (parse error), failed (run error), wrong output,
     * verified (correct), used (correct and shorter than the best so far), proposer errors.
     */
    public record Stats(long proposed, long malformed, long failed, long wrong, long verified, long used, long errors) {
    }

    /** The counters. */
    public Stats stats() {
        return new Stats(proposed.get(), malformed.get(), failed.get(), wrong.get(), verified.get(), used.get(), errors.get());
    }
}
