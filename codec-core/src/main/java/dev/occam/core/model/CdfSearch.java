package dev.occam.core.model;

/** Slot-to-symbol search over an integer CDF, shared by the models. */
final class CdfSearch {
    private CdfSearch() {
    }

    /**
     * The symbol s in [0, n) with cdf[s] <= slot < cdf[s+1]: binary search keeping
     * cdf[lo] <= slot < cdf[hi]; zero-frequency symbols (cdf[s] == cdf[s+1]) are never returned.
     */
    static int symbolAt(int[] cdf, int n, int slot) {
        int lo = 0;
        int hi = n;
        while (hi - lo > 1) {
            int mid = (lo + hi) >>> 1;
            if (cdf[mid] <= slot) lo = mid;
            else hi = mid;
        }
        return lo;
    }
}
