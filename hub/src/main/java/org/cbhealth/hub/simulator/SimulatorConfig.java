package org.cbhealth.hub.simulator;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;

/**
 * Partner simulators for the demo, served by the hub at {@value #PATH} when {@code cbhealth.demo.simulators} is true
 * (by default together with the demo partners, {@code cbhealth.partners.seed-demo}): one SOAP directory service per
 * fixture {@code simulator/directory/<partner>.xml} on the class path, at {@code /simulator/directory/<partner>}.
 * They stand for the partners' own systems, so the demo partner files can poll them; production has none.
 */
@Configuration
@ConditionalOnProperty(prefix = "cbhealth.demo", name = "simulators", havingValue = "true")
public class SimulatorConfig {

    /** Where the simulators are served. */
    public static final String PATH = "/simulator";

    @Bean
    public ServletRegistrationBean<SimulatorServlet> simulatorServlet() throws IOException {
        Map<String, DirectoryServiceSimulator> simulators = new LinkedHashMap<>();
        for (Resource fixture :
                new PathMatchingResourcePatternResolver().getResources("classpath:simulator/directory/*.xml")) {
            String name = fixture.getFilename();
            simulators.put(
                    "/directory/" + name.substring(0, name.length() - ".xml".length()),
                    new DirectoryServiceSimulator(bytes(fixture)));
        }
        ServletRegistrationBean<SimulatorServlet> registration =
                new ServletRegistrationBean<>(new SimulatorServlet(simulators), PATH + "/*");
        registration.setName("partnerSimulators");
        registration.setLoadOnStartup(1);
        return registration;
    }

    private static byte[] bytes(Resource resource) {
        try (InputStream in = resource.getInputStream()) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
