package com.shopsense.scoring;

/** A payment's fraud probability with the manifest threshold it is judged against. */
public record FraudScore(ScoredEvent scored, float probability, double threshold, String modelVersion) {

    public boolean isAlert() {
        return probability >= threshold;
    }
}
