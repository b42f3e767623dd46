package org.cbhealth.bench.referral;

/** A sender of referrals over one channel, paced by {@link PacedLoad}. */
interface ChannelLoad {

    /** Sends the ledger's referrals {@code from} (inclusive) to {@code to} (exclusive); returns when all are done. */
    void send(ReferralLedger ledger, int from, int to) throws InterruptedException;
}
