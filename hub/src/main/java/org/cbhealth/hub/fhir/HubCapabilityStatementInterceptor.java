package org.cbhealth.hub.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import org.hl7.fhir.instance.model.api.IBaseConformance;
import org.hl7.fhir.r4.model.CapabilityStatement;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.info.BuildProperties;
import org.springframework.stereotype.Component;

/**
 * Names the hub in the server's CapabilityStatement ({@code software} and {@code implementation}), so a
 * partner reading {@code GET /fhir/metadata} knows which system and version it is talking to.
 */
@Component
@Interceptor
public class HubCapabilityStatementInterceptor {

    static final String SOFTWARE_NAME = "CBHealth Hub";

    private final FhirServerProperties properties;
    private final String version;

    public HubCapabilityStatementInterceptor(
            FhirServerProperties properties, ObjectProvider<BuildProperties> buildProperties) {
        this.properties = properties;
        BuildProperties build = buildProperties.getIfAvailable();
        this.version = build != null ? build.getVersion() : "development";
    }

    @Hook(Pointcut.SERVER_CAPABILITY_STATEMENT_GENERATED)
    public void nameTheHub(IBaseConformance capabilityStatement) {
        CapabilityStatement statement = (CapabilityStatement) capabilityStatement;
        statement.setName("CBHealthHub");
        statement.setTitle(properties.serverName());
        statement.setPublisher("CBHealth Hub project");
        statement.getSoftware().setName(SOFTWARE_NAME).setVersion(version);
        statement.getImplementation().setDescription(properties.serverName());
    }
}
