package dev.occam.kt.eval;

import dev.occam.core.coding.RangeEncoder;
import dev.occam.kt.dsl.Program;
import dev.occam.kt.gen.Task;
import dev.occam.kt.okt.Baselines;
import dev.occam.kt.okt.OktFile;
import dev.occam.kt.score.CodedPrior;
import dev.occam.kt.score.UniformPrior;
import dev.occam.kt.solve.Solution;
import dev.occam.kt.solve.Solver;
import dev.occam.kt.solve.Solvers;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntConsumer;

/**
 * Evaluations: synthetic tasks (accuracy against the generating programs) and real data cut into
 * chunks (a real .okt file), each with the paper's dataset rate, ours and the baselines.
 *
 * <p>Definitions. A task is <em>accurate</em> when the solver's program is correct (always: it is
 * verified) and no longer under the uniform prior than the generating program; this counts the
 * plain set_list fallback when it is short enough, so the reports also give the share accurate
 * with a program other than set_list and the accuracy of a fallback-only solver. A task is
 * <em>solved</em> when the program is not the plain set_list fallback (real chunks: and its
 * uniform bits are below f times the chunk's share of the built-in model's cost, bits per byte of
 * the whole input times its length, with f in {1, 1/2, 1/4, 1/10, 0} chosen to make the file smallest). The paper's rate is ceil(uniform bits of the solved + 8 x gzip
 * size of the unsolved joined by newlines as latin-1 + 1 bit per sequence) / (8 x raw bytes).
 */
public final class Evaluation {
    private static final double[] FACTORS = {1.0, 0.5, 0.25, 0.1, 0.0};

    private Evaluation() {
    }

    /**
     * Results on synthetic tasks.
     *
     * @param accuracy             share of tasks whose program is correct and no longer (uniform prior) than the generating program
     * @param accurateNotSetList   share of tasks that are accurate with a program other than the one-line
     *                             {@code output = set_list([...])}: what the search adds over the fallback
     * @param fallbackOnlyAccuracy the accuracy a solver returning only the set_list fallback gets on the
     *                             same tasks (set_list bits &lt;= generating bits)
     * @param solverFailures       internal failures the solver counted during this evaluation (bugs; should be 0)
     */
    public record SyntheticReport(int tasks, double accuracy, double accurateNotSetList, double fallbackOnlyAccuracy,
                                  double nonFallback, double exact, double meanBits,
                                  double meanGeneratingBits, double meanCodedBits, double meanCodedGeneratingBits,
                                  double meanSeconds, double maxSeconds, double paperRate, double ourRate,
                                  double gzipRate, double lmRate, long rawBytes, long solverFailures, List<Solution> solutions) {
    }

    /** Results on one real file ({@code solverFailures}: internal failures the solver counted, should be 0). */
    public record RealReport(String name, long rawBytes, int chunks, int nonFallback, int solved, double solvedProgramBits,
                             int programSectionBytes, int fallbackSectionBytes, int oktBytes, double paperRate,
                             double ourRate, double gzipRate, double lmRate, double seconds, long solverFailures, byte[] okt) {
    }

    /** Whether {@code p} is the plain fallback: one line, {@code output = set_list([...])}. */
    public static boolean isSetList(Program p) {
        return p.lines().size() == 1 && p.lines().get(0).fn() == dev.occam.kt.dsl.Fn.SET_LIST;
    }

    /** Solves the tasks and scores them. */
    public static SyntheticReport synthetic(List<Task> tasks, Solver solver, int threads, long budgetNanos, IntConsumer progress)
            throws IOException, InterruptedException {
        List<byte[]> targets = new ArrayList<>();
        for (Task t : tasks) targets.add(t.output());
        long failuresBefore = solver.failures();
        List<Solvers.Timed> res = Solvers.solveAll(solver, targets, threads, budgetNanos, progress);
        long failures = solver.failures() - failuresBefore;
        int n = tasks.size();
        int accurate = 0, nonFallback = 0, exact = 0, accurateNotSetList = 0, fallbackOnly = 0;
        double bits = 0, gen = 0, maxSec = 0, sec = 0;
        long raw = 0;
        List<Solution> sols = new ArrayList<>();
        ByteArrayOutputStream unsolvedJoined = new ByteArrayOutputStream();
        ByteArrayOutputStream unsolvedFramed = new ByteArrayOutputStream();
        ByteArrayOutputStream allJoined = new ByteArrayOutputStream();
        double solvedBits = 0;
        ByteArrayOutputStream progBytes = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(progBytes);
        CodedPrior prior = new CodedPrior();
        CodedPrior solvedMeter = new CodedPrior();
        CodedPrior genMeter = new CodedPrior();
        double coded = 0, codedGen = 0;
        int flagP = 32768;
        for (int i = 0; i < n; i++) {
            Task t = tasks.get(i);
            Solution s = res.get(i).solution();
            sols.add(s);
            raw += t.output().length;
            sec += res.get(i).nanos() / 1e9;
            maxSec = Math.max(maxSec, res.get(i).nanos() / 1e9);
            if (SolverChecks.outputs(s.program(), t.output())) exact++;
            double found = UniformPrior.bits(s.program()); // recomputed: no solver's own claim is trusted
            if (found <= t.bits() + 1e-9 && SolverChecks.outputs(s.program(), t.output())) {
                accurate++;
                if (!isSetList(s.program())) accurateNotSetList++;
            }
            if (UniformPrior.setListBits(t.output().length) <= t.bits() + 1e-9) fallbackOnly++;
            bits += found;
            gen += t.bits();
            coded += solvedMeter.cost(s.program());
            codedGen += genMeter.cost(t.program());
            if (i > 0) allJoined.write('\n');
            allJoined.write(t.output());
            boolean solved = !s.fallback();
            enc.encodeBit(solved ? 1 : 0, Math.max(64, Math.min(65472, flagP)));
            flagP += solved ? (65536 - flagP) >> 4 : -(flagP >> 4);
            if (solved) {
                nonFallback++;
                solvedBits += found;
                prior.encode(s.program(), enc);
            } else {
                if (unsolvedJoined.size() > 0) unsolvedJoined.write('\n');
                unsolvedJoined.write(t.output());
                varint(unsolvedFramed, t.output().length);
                unsolvedFramed.write(t.output());
            }
        }
        enc.finish();
        double paper = paperRate(solvedBits, unsolvedJoined.toByteArray(), n, raw);
        double ours = (8.0 * progBytes.size() + 8.0 * Baselines.cmEncode(unsolvedFramed.toByteArray()).length) / (8.0 * raw);
        byte[] all = allJoined.toByteArray();
        double gz = 8.0 * Baselines.gzipSize(all) / (8.0 * raw);
        double lm = 8.0 * Baselines.cmEncode(all).length / (8.0 * raw);
        return new SyntheticReport(n, ratio(accurate, n), ratio(accurateNotSetList, n), ratio(fallbackOnly, n), ratio(nonFallback, n),
                ratio(exact, n), bits / n, gen / n, coded / n, codedGen / n, sec / n, maxSec, paper, ours, gz, lm, raw, failures, sols);
    }

    /** Cuts {@code data} into chunks, solves them, writes the .okt file and scores it. */
    public static RealReport real(String name, byte[] data, int chunkSize, Solver solver, int threads, long budgetNanos,
                                  IntConsumer progress) throws IOException, InterruptedException {
        long start = System.nanoTime();
        int chunks = OktFile.chunkCount(data.length, chunkSize);
        List<byte[]> targets = new ArrayList<>(chunks);
        for (int c = 0; c < chunks; c++) targets.add(Arrays.copyOfRange(data, c * chunkSize, Math.min(data.length, (c + 1) * chunkSize)));
        int cm = Baselines.cmEncode(data).length;
        double bpb = data.length == 0 ? 8 : 8.0 * cm / data.length;
        long failuresBefore = solver.failures();
        List<Solvers.Timed> res = Solvers.solveAll(solver, targets, threads, budgetNanos, progress);
        long failures = solver.failures() - failuresBefore;
        // A chunk is stored as its program when that is cheaper than its share of the language model's cost
        // times a factor; the factor giving the smallest real file wins (0 = every chunk by the model).
        byte[] okt = null;
        List<Program> programs = null;
        for (double factor : FACTORS) {
            List<Program> ps = new ArrayList<>(chunks);
            for (int c = 0; c < chunks; c++) {
                Solution s = res.get(c).solution();
                byte[] t = targets.get(c);
                boolean use = !s.fallback() && UniformPrior.bits(s.program()) < factor * bpb * t.length && SolverChecks.outputs(s.program(), t);
                ps.add(use ? s.program() : null);
            }
            if (programs != null && ps.equals(programs)) continue;
            byte[] f = OktFile.encode(data, chunkSize, ps);
            if (okt == null || f.length < okt.length) {
                okt = f;
                programs = ps;
            }
        }
        double solvedBits = 0;
        int solved = 0, nonFallback = 0;
        ByteArrayOutputStream unsolvedJoined = new ByteArrayOutputStream();
        for (int c = 0; c < chunks; c++) {
            if (!res.get(c).solution().fallback()) nonFallback++;
            Program p = programs.get(c);
            if (p != null) {
                solved++;
                solvedBits += UniformPrior.bits(p);
            } else {
                if (unsolvedJoined.size() > 0) unsolvedJoined.write('\n');
                unsolvedJoined.write(targets.get(c));
            }
        }
        OktFile.Sizes sz = OktFile.sizes(okt, programs);
        double rawBits = 8.0 * Math.max(1, data.length);
        return new RealReport(name, data.length, chunks, nonFallback, solved, solvedBits, sz.programBytes(), sz.fallbackBytes(), okt.length,
                paperRate(solvedBits, unsolvedJoined.toByteArray(), chunks, data.length), 8.0 * okt.length / rawBits,
                8.0 * Baselines.gzipSize(data) / rawBits, 8.0 * cm / rawBits, (System.nanoTime() - start) / 1e9, failures, okt);
    }

    /** ceil(solved bits + 8 gzip(unsolved joined) + 1 bit per sequence) / (8 raw). */
    public static double paperRate(double solvedBits, byte[] unsolvedJoined, int sequences, long rawBytes) {
        double gz = unsolvedJoined.length == 0 ? 0 : 8.0 * Baselines.gzipSize(unsolvedJoined);
        return Math.ceil(solvedBits + gz + sequences) / (8.0 * Math.max(1, rawBytes));
    }

    private static double ratio(int a, int n) {
        return n == 0 ? Double.NaN : (double) a / n;
    }

    private static void varint(ByteArrayOutputStream out, long v) {
        while (v >= 0x80) {
            out.write((int) (v & 0x7F) | 0x80);
            v >>>= 7;
        }
        out.write((int) v);
    }

    /** Bits of a program under the uniform prior (for callers without the score package). */
    public static double uniformBits(Program p) {
        return UniformPrior.bits(p);
    }
}
