/**
 * Entropy models as integer CDFs ({@link dev.occam.core.model.CdfModel}):
 * {@link dev.occam.core.model.Categorical} (immutable; reproducible quantisation of real-valued
 * probabilities with every symbol kept codable) and
 * {@link dev.occam.core.model.AdaptiveFrequencyModel} (mutable, count-based, periodic rebuild).
 */
package dev.occam.core.model;
