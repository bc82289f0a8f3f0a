package dev.occam.kt.solve;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;

/** Runs a solver over many targets on a thread pool, each target with its own time budget. */
public final class Solvers {
    private Solvers() {
    }

    /**
     * One result: the solution and the wall time spent on it.
     *
     * @param solution the verified program
     * @param nanos    time from the start of this target's search to its result
     */
    public record Timed(Solution solution, long nanos) {
    }

    /**
     * Solves every target (results in input order).
     *
     * @param threads   worker threads (0 = all cores)
     * @param budgetNanos time budget per target (the solver's deadline is 95% of it)
     * @param progress  called with the number of finished targets (from worker threads), or null
     */
    public static List<Timed> solveAll(Solver solver, List<byte[]> targets, int threads, long budgetNanos, IntConsumer progress)
            throws InterruptedException {
        int n = threads <= 0 ? Runtime.getRuntime().availableProcessors() : threads;
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(n, Math.max(1, targets.size()))), r -> {
            Thread t = new Thread(r, "kt-solver");
            t.setDaemon(true);
            return t;
        });
        AtomicInteger done = new AtomicInteger();
        try {
            List<Future<Timed>> fs = new ArrayList<>(targets.size());
            for (byte[] t : targets) {
                fs.add(pool.submit(() -> {
                    long start = System.nanoTime();
                    // 5% of the budget is kept for verification and hand-over, so the wall time stays within it
                    Solution s = solver.solve(t, start + budgetNanos - budgetNanos / 20);
                    Timed r = new Timed(s, System.nanoTime() - start);
                    int d = done.incrementAndGet();
                    if (progress != null) progress.accept(d);
                    return r;
                }));
            }
            List<Timed> out = new ArrayList<>(targets.size());
            for (Future<Timed> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof RuntimeException re) throw re;
                    if (c instanceof Error er) throw er;
                    throw new IllegalStateException(c);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
