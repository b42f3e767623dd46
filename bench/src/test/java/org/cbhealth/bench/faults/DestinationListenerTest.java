package org.cbhealth.bench.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import org.cbhealth.bench.RunEnvironment;
import org.junit.jupiter.api.Test;

class DestinationListenerTest {

    private static final String REFERRAL = withRf1("CBH-41-1", "41", "F1a2b-000007");

    private static String withRf1(String controlId, String hubNumber, String referrerNumber) {
        return "MSH|^~\\&|CBHUB|CBHEALTH|DEST|MK|20261207100000||REF^I12^REF_I12|" + controlId + "|P|2.5.1\r"
                + "RF1|P^Pending^HL70283|R^Routine^HL70280||||" + hubNumber + "|||||" + referrerNumber + "\r";
    }

    @Test
    void shouldRecordEachMessageAndAnswerAaForItsControlId() throws Exception {
        int port = RunEnvironment.freePorts(1)[0];
        try (DestinationListener destination = new DestinationListener(port)) {
            destination.open();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                InputStream in = new BufferedInputStream(socket.getInputStream());
                socket.getOutputStream().write(MllpFrames.frame(withRf1("CBH-41-1", "41", "F1a2b-000007")));
                String ack = MllpFrames.read(in);
                socket.getOutputStream().write(MllpFrames.frame(withRf1("CBH-41-1", "41", "F1a2b-000007")));
                MllpFrames.read(in);

                assertThat(ack).contains("\rMSA|AA|CBH-41-1\r");
            }
            assertThat(destination.receipts()).hasSize(2).allSatisfy(r -> {
                assertThat(r.controlId()).isEqualTo("CBH-41-1");
                assertThat(r.messageType()).isEqualTo("REF^I12");
                assertThat(r.hubNumber()).isEqualTo("41");
                assertThat(r.referrerNumber()).isEqualTo("F1a2b-000007");
                assertThat(r.nanos()).isPositive();
            });
        }
    }

    @Test
    void shouldAnswerArToWhatIsNotHl7AndNotRecordIt() throws Exception {
        int port = RunEnvironment.freePorts(1)[0];
        try (DestinationListener destination = new DestinationListener(port)) {
            destination.open();
            try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
                socket.getOutputStream().write(MllpFrames.frame("not a message"));
                String ack = MllpFrames.read(new BufferedInputStream(socket.getInputStream()));

                assertThat(ack).contains("MSA|AR|");
            }
            assertThat(destination.receipts()).isEmpty();
            assertThat(destination.unreadable()).isEqualTo(1);
        }
    }

    @Test
    void shouldRefuseConnectionsAndCutOpenOnesWhileDownThenListenAgainOnTheSamePort() throws Exception {
        int port = RunEnvironment.freePorts(1)[0];
        try (DestinationListener destination = new DestinationListener(port)) {
            destination.open();
            Socket open = new Socket(InetAddress.getLoopbackAddress(), port);
            open.getOutputStream().write(MllpFrames.frame(REFERRAL));
            InputStream in = new BufferedInputStream(open.getInputStream());
            MllpFrames.read(in);

            destination.close();

            assertThat(destination.isOpen()).isFalse();
            // the kernel may still complete a connection queued on the closed listener; a moment later it refuses
            await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> {
                        try (Socket refused = new Socket(InetAddress.getLoopbackAddress(), port)) {
                            refused.getOutputStream().write(MllpFrames.frame(REFERRAL));
                            MllpFrames.read(refused.getInputStream());
                        }
                    })
                    .isInstanceOf(ConnectException.class));
            assertThat(readAfterCut(in)).isNull();
            open.close();

            destination.open();
            try (Socket again = new Socket(InetAddress.getLoopbackAddress(), port)) {
                again.getOutputStream().write(MllpFrames.frame(REFERRAL));
                assertThat(MllpFrames.read(new BufferedInputStream(again.getInputStream())))
                        .contains("MSA|AA|CBH-41-1");
            }
            assertThat(destination.receipts()).hasSizeGreaterThanOrEqualTo(2);
            assertThat(destination
                            .receipts()
                            .get(destination.receipts().size() - 1)
                            .referrerNumber())
                    .isEqualTo("F1a2b-000007");
        }
    }

    private static String readAfterCut(InputStream in) {
        try {
            return MllpFrames.read(in);
        } catch (IOException reset) {
            return null;
        }
    }
}
