package org.cbhealth.routes.directory.soap;

import javax.xml.namespace.QName;

/**
 * The SOAP contract of a partner's directory service, as {@code wsdl/directory-service.wsdl} defines it: namespace,
 * the one operation ({@code ListDirectory}, paged), its SOAP action, the fault detail, and where the WSDL and its
 * schema are on the class path. Partners with a SOAP directory system implement it; the hub polls it.
 */
public final class DirectorySoapContract {

    private DirectorySoapContract() {}

    /** Namespace of every element of the directory messages. */
    public static final String NAMESPACE = "https://fhir.cbhealth.eu/soap/directory/v1";

    /** Class path of the service WSDL. */
    public static final String WSDL = "wsdl/directory-service.wsdl";
    /** Class path of the schema the WSDL imports. */
    public static final String SCHEMA = "wsdl/cbh-directory-v1.xsd";

    public static final QName SERVICE = new QName(NAMESPACE, "DirectoryService");
    public static final QName PORT = new QName(NAMESPACE, "DirectoryServiceSoap11");

    public static final String LIST_DIRECTORY = "ListDirectory";
    public static final String LIST_DIRECTORY_RESPONSE = "ListDirectoryResponse";
    /** Detail element of the service's SOAP Faults. */
    public static final String DIRECTORY_FAULT = "DirectoryFault";
    /** How the hub keeps one complete listing: every page, in order. */
    public static final String POLLED_DIRECTORY = "PolledDirectory";

    /** The largest page a request may ask for. */
    public static final int MAX_PAGE_SIZE = 1000;

    /** {@code SOAPAction} of {@code ListDirectory}. */
    public static final String LIST_DIRECTORY_ACTION = NAMESPACE + "/" + LIST_DIRECTORY;

    /** Fault codes of the {@code DirectoryFault} detail. */
    public enum FaultCode {
        InvalidRequest,
        InvalidPageToken,
        SnapshotExpired,
        ServiceUnavailable
    }
}
