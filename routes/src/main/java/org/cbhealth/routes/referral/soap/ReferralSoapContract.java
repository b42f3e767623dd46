package org.cbhealth.routes.referral.soap;

import java.util.Set;
import javax.xml.namespace.QName;

/**
 * The SOAP contract of the referral flow, as the WSDLs under {@code wsdl/} define it: namespace, operations, SOAP
 * actions and where the WSDLs and their schema are on the class path. {@code referral-service.wsdl} is the hub's
 * service (partners submit referrals and status updates); {@code referral-receiver.wsdl} is what a partner
 * implements so the hub can deliver referrals and status notices to it.
 */
public final class ReferralSoapContract {

    private ReferralSoapContract() {}

    /** Namespace of every element of the referral messages. */
    public static final String NAMESPACE = "https://fhir.cbhealth.eu/soap/referral/v1";

    /** Class path of the hub's service WSDL. */
    public static final String SERVICE_WSDL = "wsdl/referral-service.wsdl";
    /** Class path of the WSDL partners implement to receive referrals. */
    public static final String RECEIVER_WSDL = "wsdl/referral-receiver.wsdl";
    /** Class path of the schema both WSDLs import. */
    public static final String SCHEMA = "wsdl/cbh-referral-v1.xsd";

    public static final QName SERVICE = new QName(NAMESPACE, "ReferralService");
    public static final QName SERVICE_PORT = new QName(NAMESPACE, "ReferralServiceSoap11");

    public static final String SUBMIT_REFERRAL = "SubmitReferral";
    public static final String UPDATE_REFERRAL_STATUS = "UpdateReferralStatus";
    public static final String DELIVER_REFERRAL = "DeliverReferral";
    public static final String NOTIFY_REFERRAL_STATUS = "NotifyReferralStatus";

    /** The operation elements of the hub's service. */
    public static final Set<QName> SERVICE_OPERATIONS =
            Set.of(new QName(NAMESPACE, SUBMIT_REFERRAL), new QName(NAMESPACE, UPDATE_REFERRAL_STATUS));

    /** The SOAPAction URI of an operation, as the WSDLs' bindings declare it. */
    public static String soapAction(String operation) {
        return NAMESPACE + "/" + operation;
    }
}
