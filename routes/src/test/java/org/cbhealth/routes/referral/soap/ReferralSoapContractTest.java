package org.cbhealth.routes.referral.soap;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.cbhealth.routes.soap.HardenedXml;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/** The WSDLs and their schema agree with each other and with the names the readers and writers use. */
class ReferralSoapContractTest {

    private static final String WSDL = "http://schemas.xmlsoap.org/wsdl/";
    private static final String XSD = "http://www.w3.org/2001/XMLSchema";

    @Test
    void serviceWsdlHasSubmitReferralAndUpdateReferralStatusWithSoap11PortAndSoap12Binding() throws IOException {
        Document wsdl = load("wsdl/referral-service.wsdl");

        assertThat(attributes(wsdl, WSDL, "portType", "name")).containsExactly("ReferralServicePortType");
        assertThat(operationsOfPortType(wsdl)).containsExactly("SubmitReferral", "UpdateReferralStatus");
        assertThat(attributes(wsdl, "http://schemas.xmlsoap.org/wsdl/soap/", "operation", "soapAction"))
                .containsExactly(
                        "https://fhir.cbhealth.eu/soap/referral/v1/SubmitReferral",
                        "https://fhir.cbhealth.eu/soap/referral/v1/UpdateReferralStatus");
        assertThat(attributes(wsdl, "http://schemas.xmlsoap.org/wsdl/soap12/", "operation", "soapAction"))
                .containsExactly(
                        "https://fhir.cbhealth.eu/soap/referral/v1/SubmitReferral",
                        "https://fhir.cbhealth.eu/soap/referral/v1/UpdateReferralStatus");
        assertThat(attributes(wsdl, WSDL, "binding", "name"))
                .containsExactly("ReferralServiceSoap11Binding", "ReferralServiceSoap12Binding");
        assertThat(attributes(wsdl, WSDL, "port", "name")).containsExactly("ReferralServiceSoap11");
        assertThat(ReferralSoapContract.SERVICE_PORT.getLocalPart()).isEqualTo("ReferralServiceSoap11");
        assertThat(ReferralSoapContract.SERVICE.getLocalPart())
                .isEqualTo(attributes(wsdl, WSDL, "service", "name").get(0));
    }

    @Test
    void receiverWsdlHasDeliverReferralAndNotifyReferralStatus() throws IOException {
        Document wsdl = load("wsdl/referral-receiver.wsdl");

        assertThat(operationsOfPortType(wsdl)).containsExactly("DeliverReferral", "NotifyReferralStatus");
        assertThat(attributes(wsdl, "http://schemas.xmlsoap.org/wsdl/soap/", "operation", "soapAction"))
                .containsExactly(
                        ReferralSoapContract.soapAction(ReferralSoapContract.DELIVER_REFERRAL),
                        ReferralSoapContract.soapAction(ReferralSoapContract.NOTIFY_REFERRAL_STATUS));
    }

    @Test
    void everyMessagePartIsAnElementOfTheImportedSchema() throws IOException {
        Document schema = load(ReferralSoapContract.SCHEMA);
        List<String> elements = new ArrayList<>();
        NodeList top = schema.getDocumentElement().getChildNodes();
        for (int i = 0; i < top.getLength(); i++) {
            if (top.item(i) instanceof Element e && "element".equals(e.getLocalName())) {
                elements.add("cbh:" + e.getAttribute("name"));
            }
        }
        assertThat(schema.getDocumentElement().getAttribute("targetNamespace"))
                .isEqualTo(ReferralSoapContract.NAMESPACE);

        for (String wsdlPath : List.of(ReferralSoapContract.SERVICE_WSDL, ReferralSoapContract.RECEIVER_WSDL)) {
            Document wsdl = load(wsdlPath);
            assertThat(attributes(wsdl, XSD, "import", "schemaLocation")).containsExactly("cbh-referral-v1.xsd");
            assertThat(attributes(wsdl, WSDL, "part", "element"))
                    .allSatisfy(e -> assertThat(elements).contains(e));
        }
        assertThat(elements)
                .contains(
                        "cbh:SubmitReferralResponse",
                        "cbh:UpdateReferralStatusResponse",
                        "cbh:DeliverReferralResponse",
                        "cbh:NotifyReferralStatusResponse",
                        "cbh:Problems");
    }

    private static List<String> operationsOfPortType(Document wsdl) {
        Element portType =
                (Element) wsdl.getElementsByTagNameNS(WSDL, "portType").item(0);
        List<String> names = new ArrayList<>();
        NodeList operations = portType.getElementsByTagNameNS(WSDL, "operation");
        for (int i = 0; i < operations.getLength(); i++) {
            names.add(((Element) operations.item(i)).getAttribute("name"));
        }
        return names;
    }

    private static List<String> attributes(Document document, String namespace, String element, String attribute) {
        List<String> values = new ArrayList<>();
        NodeList found = document.getElementsByTagNameNS(namespace, element);
        for (int i = 0; i < found.getLength(); i++) {
            values.add(((Element) found.item(i)).getAttribute(attribute));
        }
        return values;
    }

    private static Document load(String path) throws IOException {
        try (InputStream in = ReferralSoapContractTest.class.getClassLoader().getResourceAsStream(path)) {
            assertThat(in).as(path).isNotNull();
            return new HardenedXml().parse(in.readAllBytes());
        }
    }
}
