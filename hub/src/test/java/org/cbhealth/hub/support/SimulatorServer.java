package org.cbhealth.hub.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;
import org.cbhealth.hub.simulator.SimulatorServlet;

/**
 * Partner simulators on a port of their own, as a partner's system is: a Tomcat with the {@link SimulatorServlet} at
 * {@code /simulator}. Stopping it is a real outage (connections refused); it starts again on the same port, serving
 * the same simulators (their state kept).
 */
public final class SimulatorServer implements AutoCloseable {

    private final int port = FreePorts.next();
    private final Map<String, ?> simulators;
    private Tomcat tomcat;

    /** @param simulators the simulator at each path, e.g. {@code /directory/si-ukc-maribor} */
    public SimulatorServer(Map<String, ?> simulators) {
        this.simulators = simulators;
    }

    public synchronized SimulatorServer start() {
        try {
            Path base = Files.createTempDirectory("cbhealth-simulator-");
            Tomcat server = new Tomcat();
            server.setBaseDir(base.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            server.setConnector(connector);
            Context context = server.addContext("", base.toString());
            Wrapper servlet = Tomcat.addServlet(context, "simulators", new SimulatorServlet(simulators));
            servlet.setLoadOnStartup(1);
            context.addServletMappingDecoded("/simulator/*", "simulators");
            server.start();
            tomcat = server;
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (LifecycleException e) {
            throw new IllegalStateException("the simulators do not start on port " + port, e);
        }
    }

    /** An outage: the port refuses connections until {@link #start()}. */
    public synchronized void stop() {
        if (tomcat == null) {
            return;
        }
        try {
            tomcat.stop();
            tomcat.destroy();
        } catch (LifecycleException e) {
            throw new IllegalStateException(e);
        } finally {
            tomcat = null;
        }
    }

    /** The URL of a simulator's path, e.g. {@code url("/directory/si-ukc-maribor")}. */
    public String url(String path) {
        return "http://127.0.0.1:" + port + "/simulator" + path;
    }

    @Override
    public void close() {
        stop();
    }
}
