package dev.occam.lm.cm;

import java.util.Arrays;

/**
 * The cm bit predictor: hashed context models over nibble slots of bit-history states, a direct
 * order-1 model, a match model, a gated logistic mixer and an APM/SSE stage. One instance per
 * worker; {@link #reset} starts a block from a fixed initial state.
 *
 * <p>Protocol per byte: eight times {@link #p()} then {@link #update(int)}; after the eighth bit
 * the caller stores the byte at {@code hist[histOff + pos]} and calls {@link #byteDone()}.
 */
final class CmModel {
    /**
     * Hashed context models: orders 2, 4, 6 and the word model. (On the Canterbury texts +
     * world192, an order-3 model gained 0.6% and an order-0 model 0.35%, each for about 10% of the
     * speed.)
     */
    static final int NH = 4;
    /** Mixer inputs: NH hashed + order 1 + match + bias. */
    static final int NIN = NH + 3;
    private static final int MATCH_MIN = 8;
    private static final int MATCH_MAX = 65535;
    /** Mixer weight sets: 4 match-length buckets x 256 partial bytes. */
    private static final int SETS = 4 * 256;
    /** The mixer skips training when |y - p| * 4096 is below this (the bit was predicted well). */
    private static final int TRAIN_MIN_ERR = 100;

    private final int maxTableBits;
    private final int matchBits;
    private byte[] t;          // hashed slots: 16 bytes each = [checksum, 15 nibble-tree states]
    private int slotMask;      // (number of slots) - 1
    private final byte[] t1 = new byte[1 << 16];   // order-1 states: (c1, c0)
    private int[] mtab;        // match model: hash of the last MATCH_MIN bytes -> position (len/4 slots)
    private int mmask;

    // Adaptive state -> probability maps: 22-bit probability << 10 | 10-bit count.
    private final int[] sm = new int[(NH + 1) * 256];
    private final int[] smMatch = new int[64 * 2];
    private static final int[] DT = new int[1024];   // DT[n] = 2^16 / (n + 1.5)

    private final int[] x = new int[NIN];
    private final int[] w = new int[SETS * NIN];
    private int set;
    private int prMix;

    /** Order-1 APM: context = partial byte and the low 5 bits of the previous byte (540 KB, stays in L2). */
    private final Apm a2 = new Apm(1 << 13);

    private final int[] hh = new int[NH];      // context hashes of the current byte
    private final int[] slot = new int[NH];    // slot base index per hashed model
    private final int[] idx = new int[NH + 1]; // sm index in use per model
    private int sink;      // keeps the bucket pre-reads of findAll alive
    private int c0;        // 1 followed by the bits of the current byte
    private int c0n;       // 1 followed by the bits of the current nibble
    private int bpos;
    private int c4;        // last four bytes
    private int c8;        // the four bytes before those
    private int word;      // hash of the current word
    private int pos;       // bytes completed
    private byte[] hist;
    private int histOff;
    private int mptr;
    private int mlen;
    private int expByte;   // predicted byte (with the 0x100 marker) or 0
    private int mIdx;      // smMatch index in use, -1 for none

    static {
        for (int n = 0; n < 1024; n++) DT[n] = (2 << 16) / (2 * n + 3);
    }

    CmModel(int maxTableBits, int matchBits) {
        this.maxTableBits = maxTableBits;
        this.matchBits = matchBits;
    }

    /** Prepares for a block of {@code len} bytes whose history is read from {@code hist[histOff..]}. */
    void reset(byte[] hist, int histOff, int len) {
        this.hist = hist;
        this.histOff = histOff;
        int bits = tableBits(maxTableBits, len);
        if (t == null || t.length < (1 << bits)) t = new byte[1 << bits];
        else Arrays.fill(t, 0, 1 << bits, (byte) 0);
        slotMask = (1 << (bits - 4)) - 1;
        int mb = Math.max(12, Math.min(matchBits, 30 - Integer.numberOfLeadingZeros(Math.max(1, len))));
        if (mtab == null || mtab.length < (1 << mb)) mtab = new int[1 << mb];
        else Arrays.fill(mtab, 0, 1 << mb, 0);
        mmask = (1 << mb) - 1;
        Arrays.fill(t1, (byte) 0);
        for (int i = 0; i < NH + 1; i++) {
            for (int s = 0; s < 256; s++) {
                // initial P(1) = (n1 + 1/2) / (n0 + n1 + 1), with count 0 so it adapts at once
                int n0 = States.N0[s];
                int n1 = States.N1[s];
                int p = (int) (((2L * n1 + 1) << 22) / (2L * (n0 + n1) + 2));
                sm[i * 256 + s] = Math.min(p, (1 << 22) - 1) << 10;
            }
        }
        for (int i = 0; i < smMatch.length; i++) {
            int len1 = i >> 1;
            // the expected bit is right more often the longer the match
            int p = len1 == 0 ? 2048 : 4096 - 4096 / (len1 + 2);
            if ((i & 1) == 0) p = 4096 - p;
            smMatch[i] = p << 20;
        }
        Arrays.fill(w, 1 << 14); // 0.25 each
        a2.reset();
        c0 = 1;
        c0n = 1;
        bpos = 0;
        c4 = 0;
        c8 = 0;
        word = 0;
        pos = 0;
        mptr = 0;
        mlen = 0;
        expByte = 0;
        computeContexts();
    }

    /** Hash table bits for a block: about 64 bytes per input byte, clamped to [18, max]. */
    static int tableBits(int maxBits, int len) {
        int need = 32 - Integer.numberOfLeadingZeros(Math.max(1, len)) + 6;
        return Math.max(18, Math.min(maxBits, need));
    }

    /** A 32-bit finalizer: every input bit affects every output bit. */
    private static int mix32(int h) {
        h ^= h >>> 16;
        h *= 0x7FEB352D;
        h ^= h >>> 15;
        h *= 0x846CA68B;
        h ^= h >>> 16;
        return h;
    }

    /** Slot base of hash h: searches 3 slots of a 64-byte group for checksum (h & 255), else replaces the least used. */
    private int find(int h) {
        final byte[] t = this.t;
        int chk = h & 0xFF;
        int s0 = (h >>> 8) & slotMask;
        int best = -1;
        int bestPri = Integer.MAX_VALUE;
        for (int j = 0; j < 3; j++) {
            int b = (s0 ^ j) << 4;
            int st = t[b + 1] & 0xFF;
            if ((t[b] & 0xFF) == chk && st != 0) return b;
            int pri = States.TOTAL[st];
            if (pri < bestPri) {
                bestPri = pri;
                best = b;
            }
        }
        t[best] = (byte) chk;
        for (int i = 1; i < 16; i++) t[best + i] = 0;
        return best;
    }

    /**
     * slot[i] = find(hh[i] ^ m) for every hashed model; all buckets are read once first, without
     * data-dependent branches, so their cache misses overlap instead of queueing.
     */
    private void findAll(int m) {
        final byte[] t = this.t;
        final int[] hh = this.hh;
        int touch = 0;
        for (int i = 0; i < NH; i++) touch += t[(((hh[i] ^ m) >>> 8) & slotMask) << 4];
        sink += touch;
        for (int i = 0; i < NH; i++) slot[i] = find(hh[i] ^ m);
    }

    private void computeContexts() {
        int c1 = c4 & 0xFF;
        hh[0] = mix32((c4 & 0xFFFF) * 0x2F0B4C27 + 0x101);
        hh[1] = mix32(c4 * 0x6F4F2A35 + 0x303);
        hh[2] = mix32(mix32(c4 + 0x404) + (c8 & 0xFFFF) * 0x3C6EF372);
        hh[3] = mix32(word * 0x2E6A5B77 + c1 * 0x1F3 + 0x505);
        findAll(0);
    }

    /** P(next bit = 1) * 4096, in [1, 4095]. */
    int p() {
        final byte[] t = this.t;
        final int[] sm = this.sm;
        final int[] x = this.x;
        final int[] idx = this.idx;
        final int n = c0n;
        for (int i = 0; i < NH; i++) {
            int k = i << 8 | (t[slot[i] + n] & 0xFF);
            idx[i] = k;
            x[i] = Logistic.stretch(sm[k] >>> 20);
        }
        int c1 = c4 & 0xFF;
        int k1 = NH << 8 | (t1[c1 << 8 | c0] & 0xFF);
        idx[NH] = k1;
        x[NH] = Logistic.stretch(sm[k1] >>> 20);
        // match model: the next bit of the predicted byte, while the bits so far agree with it
        mIdx = -1;
        x[NH + 1] = 0;
        if (expByte != 0 && (expByte >>> (8 - bpos)) == c0) {
            int bit = (expByte >>> (7 - bpos)) & 1;
            mIdx = Math.min(mlen, 63) << 1 | bit;
            x[NH + 1] = Logistic.stretch(smMatch[mIdx] >>> 20);
        }
        x[NH + 2] = 256;
        int lenBucket = mIdx < 0 ? 0 : mlen < 16 ? 1 : mlen < 32 ? 2 : 3;
        set = (lenBucket << 8 | c0) * NIN;
        // mixer: squash(sum_i w_i x_i / 2^16), w in 16.16 fixed point, terms pre-shifted by 8
        final int[] w = this.w;
        final int b = set;
        int s = 0;
        for (int i = 0; i < NIN; i++) s += (w[b + i] * x[i]) >> 8;
        int pm = Logistic.squash(s >> 8);
        prMix = pm;
                int p2 = a2.p(pm, c0 | (c1 & 31) << 8);
        int p = (pm + 3 * p2 + 2) >> 2;
        return p < 1 ? 1 : p > 4095 ? 4095 : p;
    }

    /** w_i += x_i * err / 2^13 with err = (y * 4096 - p) * lr, clamped to +-8.0 (keeps w_i * x_i in int range). */
    private static void train(int[] w, int base, int[] x, int err) {
        for (int i = 0; i < NIN; i++) {
            int v = w[base + i] + ((x[i] * err) >> 13);
            w[base + i] = v < -(1 << 19) ? -(1 << 19) : v > (1 << 19) ? 1 << 19 : v;
        }
    }

    /** p += (y * 2^22 - p) / (n + 1.5), n counts updates up to limit. */
    private static void smUpdate(int[] sm, int k, int y, int limit) {
        int v = sm[k];
        int n = v & 1023;
        int p = v >>> 10;
        p += (int) ((((long) y << 22) - y - p) * DT[n] >> 16);
        if (n < limit) n++;
        sm[k] = p << 10 | n;
    }

    /** Updates every component with the coded bit y. */
    void update(int y) {
        final byte[] t = this.t;
        final int[] sm = this.sm;
        final int[] idx = this.idx;
        final int n = c0n;
        for (int i = 0; i < NH; i++) {
            int k = idx[i];
            smUpdate(sm, k, y, 1023);
            t[slot[i] + n] = States.NEXT[(k & 0xFF) << 1 | y];
        }
        int c1 = c4 & 0xFF;
        smUpdate(sm, idx[NH], y, 1023);
        t1[c1 << 8 | c0] = States.NEXT[(idx[NH] & 0xFF) << 1 | y];
        if (mIdx >= 0) {
            smUpdate(smMatch, mIdx, y, 1023);
            if (((expByte >>> (7 - bpos)) & 1) != y) {
                mlen = 0;
                expByte = 0;
            }
        }
        int err = (y << 12) - prMix;
        if (err >= TRAIN_MIN_ERR || err <= -TRAIN_MIN_ERR) {
            // learning rate (about 0.016, 0.008, 0.004 in natural units): fast while the block is young
            int lr = pos < 4096 ? 8 : pos < 65536 ? 4 : 2;
            train(w, set, x, err * lr);
        }
        a2.update(y);
        c0 = c0 << 1 | y;
        c0n = n << 1 | y;
        bpos++;
        if (bpos == 4) {
            c0n = 1;
            findAll(c0 * 0x3B9AC9F1);
        }
    }

    /** After the eighth bit: the byte is at {@code hist[histOff + pos]}; moves to the next byte. */
    void byteDone() {
        int c = c0 & 0xFF;
        c0 = 1;
        c0n = 1;
        bpos = 0;
        c8 = c8 << 8 | c4 >>> 24;
        c4 = c4 << 8 | c;
        pos++;
        // words: letters (case folded), digits and bytes >= 128; the hash resets on anything else
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c >= 128) {
            if (c >= 'A' && c <= 'Z') c += 32;
            word = (word + c + 1) * 0x3D4D51CB;
        } else {
            word = 0;
        }
        // match model: extend the current match or look one up by the hash of the last MATCH_MIN bytes
        final byte[] h = hist;
        final int o = histOff;
        if (mlen > 0) {
            if (mlen < MATCH_MAX) mlen++;
            mptr++;
        }
        if (pos >= MATCH_MIN) {
            int hm = 0;
            for (int i = pos - MATCH_MIN; i < pos; i++) hm = (hm + (h[o + i] & 0xFF) + 1) * 0x2F0B4C27;
            hm = mix32(hm) & mmask;
            if (mlen == 0) {
                int cand = mtab[hm];
                if (cand > 0) {
                    int l = 0;
                    while (l < 64 && cand - 1 - l >= 0 && h[o + cand - 1 - l] == h[o + pos - 1 - l]) l++;
                    if (l >= MATCH_MIN) {
                        mlen = l;
                        mptr = cand;
                    }
                }
            }
            mtab[hm] = pos;
        }
        expByte = mlen > 0 ? (h[o + mptr] & 0xFF) | 0x100 : 0;
        computeContexts();
    }

    /**
     * Adaptive probability map (SSE): refines p by context, interpolating between 33 buckets of
     * stretch(p). Each bucket is stored as its offset from the identity map modulo 2^16, so a fresh
     * table is all zeros and resets with one fill.
     */
    static final class Apm {
        /** IDENTITY[j] = squash((j - 16) * 128) in 16 bits: the initial value of bucket j. */
        private static final int[] IDENTITY = new int[33];
        private final char[] t;
        private int index;
        private int bucket;

        static {
            for (int j = 0; j < 33; j++) IDENTITY[j] = Logistic.squash((j - 16) * 128) * 16;
        }

        Apm(int n) {
            this.t = new char[n * 33];
        }

        void reset() {
            Arrays.fill(t, (char) 0);
        }

        /** Interpolated p for context cx; remembers the nearer bucket for update. */
        int p(int pr, int cx) {
            int s = Logistic.stretch(pr) + 2048;
            int lo = s >> 7;
            int wt = s & 127;
            int base = cx * 33 + lo;
            int a = (IDENTITY[lo] + t[base]) & 0xFFFF;
            int b = (IDENTITY[lo + 1] + t[base + 1]) & 0xFFFF;
            bucket = lo + (wt >> 6);
            index = cx * 33 + bucket;
            return (a * (128 - wt) + b * wt) >> 11;
        }

        /** The nearer bucket moves 1/64 of the way toward the coded bit. */
        void update(int y) {
            int g = y == 0 ? 0 : 65535;
            int id = IDENTITY[bucket];
            int v = (id + t[index]) & 0xFFFF;
            v += (g - v) >> 6;
            t[index] = (char) (v - id);
        }
    }
}
