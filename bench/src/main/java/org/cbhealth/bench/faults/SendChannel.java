package org.cbhealth.bench.faults;

/** The channel kinds the harness's referrer sends on, each a channel of the sender partner on the hub. */
public enum SendChannel {
    /** REF^I12 over an MLLP connection to the hub; answered by ACK AA, AE or AR. */
    MLLP("referrals", 'M'),
    /** REF^I12 as a text message on the sender's own queue on the standalone broker; acknowledged by the broker. */
    JMS("referrals-jms", 'J'),
    /** REF^I12 posted to {@code /api/partners/<sender>/referrals-rest}; answered with an OperationOutcome. */
    REST("referrals-rest", 'R');

    /** The channel's name in the sender's partner file. */
    public final String channelName;

    /** The letter in the placer numbers of this channel's referrals. */
    public final char letter;

    SendChannel(String channelName, char letter) {
        this.channelName = channelName;
        this.letter = letter;
    }
}
