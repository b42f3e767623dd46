package org.cbhealth.hub.simulator;

import jakarta.servlet.ServletConfig;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.cxf.Bus;
import org.apache.cxf.BusFactory;
import org.apache.cxf.bus.CXFBusFactory;
import org.apache.cxf.jaxws.EndpointImpl;
import org.apache.cxf.transport.servlet.CXFNonSpringServlet;

/**
 * A CXF servlet serving partner simulators, each at its own path below the servlet's mapping (e.g. {@code
 * /directory/si-ukc-maribor}, WSDL at {@code ?wsdl}). It runs on a CXF bus of its own, apart from the hub's SOAP
 * services, and leaves the process's default bus as it found it. The hub mounts it at {@code /simulator} for the
 * demo; tests mount it in a server of their own.
 */
public class SimulatorServlet extends CXFNonSpringServlet {

    private static final long serialVersionUID = 1L;

    private final transient Map<String, Object> simulators;

    /** @param simulators the implementor to publish at each path, e.g. {@code /directory/si-ukc-maribor} */
    public SimulatorServlet(Map<String, ?> simulators) {
        this.simulators = new LinkedHashMap<>(simulators);
    }

    @Override
    protected void loadBus(ServletConfig config) {
        Bus defaultBus = BusFactory.getDefaultBus(false);
        Bus threadBus = BusFactory.getThreadDefaultBus(false);
        Bus own = new CXFBusFactory().createBus();
        try {
            setBus(own);
            simulators.forEach((path, simulator) -> new EndpointImpl(own, simulator).publish(path));
        } finally {
            if (defaultBus != own) {
                BusFactory.setDefaultBus(defaultBus);
            }
            BusFactory.setThreadDefaultBus(threadBus);
        }
    }
}
