package org.cbhealth.hub.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The network between the hub and a partner, on the loopback interface: forwards every connection made to its port
 * to the partner's, byte for byte. {@link #cut()} is an outage as the hub sees it — open connections are dropped and
 * new ones refused — while the partner's server keeps running; {@link #restore()} opens the same port again.
 */
public final class TcpProxy implements AutoCloseable {

    private final int port;
    private final int targetPort;
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile ServerSocket listener;

    public TcpProxy(int port, int targetPort) {
        this.port = port;
        this.targetPort = targetPort;
        restore();
    }

    public int port() {
        return port;
    }

    /** Opens the port again and forwards what arrives. */
    public synchronized void restore() {
        if (listener != null) {
            return;
        }
        try {
            ServerSocket socket = new ServerSocket();
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            listener = socket;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ServerSocket accepting = listener;
        Thread acceptor = new Thread(() -> accept(accepting), "tcp-proxy-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** Closes the port and drops every open connection. */
    public synchronized void cut() {
        if (listener == null) {
            return;
        }
        closeQuietly(listener);
        listener = null;
        connections.forEach(TcpProxy::closeQuietly);
        connections.clear();
    }

    @Override
    public void close() {
        cut();
    }

    private void accept(ServerSocket accepting) {
        while (!accepting.isClosed()) {
            try {
                Socket client = accepting.accept();
                Socket partner = new Socket(InetAddress.getLoopbackAddress(), targetPort);
                connections.add(client);
                connections.add(partner);
                pump(client, partner);
                pump(partner, client);
            } catch (IOException closedOrRefused) {
                // the port was cut, or the partner refused: the client's connection ends
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(
                () -> {
                    try (InputStream in = from.getInputStream();
                            OutputStream out = to.getOutputStream()) {
                        in.transferTo(out);
                    } catch (IOException dropped) {
                        // one side closed or was cut
                    } finally {
                        closeQuietly(from);
                        closeQuietly(to);
                        connections.remove(from);
                        connections.remove(to);
                    }
                },
                "tcp-proxy-pump-" + port);
        thread.setDaemon(true);
        thread.start();
    }

    private static void closeQuietly(java.io.Closeable closeable) {
        try {
            closeable.close();
        } catch (IOException e) {
            // closing is all that is asked
        }
    }
}
