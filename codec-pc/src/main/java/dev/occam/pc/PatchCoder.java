package dev.occam.pc;

import dev.occam.core.CorruptInputException;
import dev.occam.core.coding.RangeDecoder;
import dev.occam.core.coding.RangeEncoder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Codes 8-bit planes of any size as tiles of the model's {@code rows x cols}: tile row by tile row,
 * left to right. A tile cut by the right or bottom edge is coded with the model's marginal over its
 * pixels inside the image (the others marginalised). Each plane is split into at most
 * {@value #MAX_SEGMENTS} segments of whole tile rows, each its own range-coder stream, so segments
 * are coded in parallel; the split depends only on the image size, never on the thread count.
 *
 * <p>Layout per plane: {@code [varint length of each segment's stream][streams]}.
 */
final class PatchCoder {
    static final int MAX_SEGMENTS = 16;

    private final PcModel m;
    private final int threads;
    private final ConcurrentLinkedQueue<Conditionals> workers = new ConcurrentLinkedQueue<>();

    PatchCoder(PcModel model, int threads) {
        this.m = model;
        this.threads = Math.max(1, threads);
    }

    /** Segments of a plane of height h: min(tile rows, 16); segment s covers tile rows [s*T/S, (s+1)*T/S). */
    int segments(int h) {
        return Math.min(tileRows(h), MAX_SEGMENTS);
    }

    private int tileRows(int h) {
        return (h + m.rows - 1) / m.rows;
    }

    /** Appends the coded planes (each width x height) to {@code out}. */
    void encode(byte[][] planes, int w, int h, ByteArrayOutputStream out) throws IOException {
        int segs = segments(h);
        List<Task<byte[]>> tasks = new ArrayList<>();
        for (byte[] plane : planes) {
            for (int s = 0; s < segs; s++) {
                int s0 = s;
                tasks.add(() -> encodeSegment(plane, w, h, s0, segs));
            }
        }
        List<byte[]> coded = run(tasks);
        for (int c = 0; c < planes.length; c++) {
            for (int s = 0; s < segs; s++) PcCodec.writeVarint(out, coded.get(c * segs + s).length);
            for (int s = 0; s < segs; s++) out.writeBytes(coded.get(c * segs + s));
        }
    }

    /** Decodes planes written by {@link #encode} from {@code src[p[0]..end)}; advances p[0] to the end of the data. */
    byte[][] decode(int channels, int w, int h, byte[] src, int[] p, int end, int base) throws IOException {
        int segs = segments(h);
        byte[][] planes = new byte[channels][w * h];
        List<Task<byte[]>> tasks = new ArrayList<>();
        for (int c = 0; c < channels; c++) {
            long[] lens = new long[segs];
            for (int s = 0; s < segs; s++) lens[s] = PcCodec.readVarint(src, p, end, base);
            int at = p[0];
            for (int s = 0; s < segs; s++) {
                if (lens[s] > end - at) throw new CorruptInputException(at - base, "pc: image segment runs past the end of the block");
                int from = at;
                int len = (int) lens[s];
                int s0 = s;
                byte[] plane = planes[c];
                tasks.add(() -> {
                    decodeSegment(plane, w, h, s0, segs, src, from, len, base);
                    return null;
                });
                at += len;
            }
            p[0] = at;
        }
        run(tasks);
        return planes;
    }

    private byte[] encodeSegment(byte[] plane, int w, int h, int s, int segs) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        RangeEncoder enc = new RangeEncoder(out);
        segment(plane, w, h, s, segs, enc, null);
        enc.finish();
        return out.toByteArray();
    }

    private void decodeSegment(byte[] plane, int w, int h, int s, int segs, byte[] src, int off, int len, int base) throws IOException {
        RangeDecoder dec = new RangeDecoder(src, off, len);
        segment(plane, w, h, s, segs, null, dec);
        if (dec.bytesRead() > len) throw new CorruptInputException(off + len - base, "pc: image segment truncated");
    }

    /** Codes the tile rows of segment s: whole tiles batched, then the tile cut by the right edge. */
    private void segment(byte[] plane, int w, int h, int s, int segs, RangeEncoder enc, RangeDecoder dec) throws IOException {
        int pr = m.rows;
        int pc = m.cols;
        int d = m.d;
        int tr = tileRows(h);
        int from = (int) ((long) tr * s / segs);
        int to = (int) ((long) tr * (s + 1) / segs);
        int whole = w / pc;
        int rest = w - whole * pc;
        byte[] buf = new byte[Math.max(1, whole) * d];
        Conditionals cond = workers.poll();
        if (cond == null) cond = new Conditionals(m);
        try {
            for (int t = from; t < to; t++) {
                int y0 = t * pr;
                int ph = Math.min(pr, h - y0);
                byte[] mask = ph == pr ? null : mask(ph, pc);
                if (whole > 0) {
                    if (enc != null) for (int j = 0; j < whole; j++) gather(plane, w, y0, j * pc, ph, pc, buf, j * d);
                    cond.codePatches(buf, 0, whole, mask, enc, dec);
                    if (dec != null) for (int j = 0; j < whole; j++) scatter(plane, w, y0, j * pc, ph, pc, buf, j * d);
                }
                if (rest > 0) {
                    byte[] rm = mask(ph, rest);
                    if (enc != null) gather(plane, w, y0, whole * pc, ph, rest, buf, 0);
                    cond.codePatches(buf, 0, 1, rm, enc, dec);
                    if (dec != null) scatter(plane, w, y0, whole * pc, ph, rest, buf, 0);
                }
            }
        } finally {
            workers.add(cond);
        }
    }

    /** 1 for the tile pixels (r, c) with r < ph and c < pw. */
    private byte[] mask(int ph, int pw) {
        byte[] mk = new byte[m.d];
        for (int r = 0; r < ph; r++) for (int c = 0; c < pw; c++) mk[r * m.cols + c] = 1;
        return mk;
    }

    private void gather(byte[] plane, int w, int y0, int x0, int ph, int pw, byte[] buf, int off) {
        java.util.Arrays.fill(buf, off, off + m.d, (byte) 0);
        for (int r = 0; r < ph; r++) System.arraycopy(plane, (y0 + r) * w + x0, buf, off + r * m.cols, pw);
    }

    private void scatter(byte[] plane, int w, int y0, int x0, int ph, int pw, byte[] buf, int off) {
        for (int r = 0; r < ph; r++) System.arraycopy(buf, off + r * m.cols, plane, (y0 + r) * w + x0, pw);
    }

    /** A unit of work (one segment of one plane). */
    interface Task<T> {
        T call() throws IOException;
    }

    /** Runs the tasks on up to {@code threads} daemon threads (in the caller's thread when 1); results in task order. */
    private <T> List<T> run(List<Task<T>> tasks) throws IOException {
        List<T> out = new ArrayList<>(tasks.size());
        int n = Math.min(threads, tasks.size());
        if (n <= 1) {
            for (Task<T> t : tasks) out.add(t.call());
            return out;
        }
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread th = new Thread(r, "pc-tiles");
            th.setDaemon(true);
            return th;
        });
        try {
            List<Future<T>> fs = new ArrayList<>();
            for (Task<T> t : tasks) fs.add(pool.submit(t::call));
            for (Future<T> f : fs) {
                try {
                    out.add(f.get());
                } catch (ExecutionException e) {
                    Throwable c = e.getCause();
                    if (c instanceof IOException io) throw io;
                    if (c instanceof RuntimeException re) throw re;
                    throw new IOException(c);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted");
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }
}
