package org.cbhealth.hub.limits;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import ca.uhn.fhir.rest.server.exceptions.UnclassifiedServerFailureException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.cbhealth.routes.fhir.FhirInputLimits;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.OperationOutcome.IssueSeverity;
import org.hl7.fhir.r4.model.OperationOutcome.IssueType;

/**
 * What a client sends to {@code /fhir} is checked before HAPI parses it (the body is bounded and inflated already by
 * {@link RequestBodyLimitFilter}):
 *
 * <ul>
 *   <li>its content type is a FHIR one (JSON or XML; a JSON or XML patch for PATCH, a form for {@code _search}) in
 *       UTF-8, else 415;
 *   <li>it keeps within the {@link FhirInputLimits} (nesting, string and number length, Bundle entries), else 413,
 *       and XML carries no DOCTYPE, else 400;
 *   <li>it parses strictly: an unknown element or attribute, a value of the wrong type or form is answered 400 naming
 *       it, instead of being dropped silently as HAPI's lenient default does.
 * </ul>
 *
 * Each answer is an OperationOutcome whose issue names the element or position ({@code expression}).
 */
@Interceptor
public class FhirInputInterceptor {

    private static final Set<String> FHIR_JSON =
            Set.of("application/fhir+json", "application/json", "application/json+fhir");
    private static final Set<String> FHIR_XML =
            Set.of("application/fhir+xml", "application/xml", "application/xml+fhir", "text/xml");
    private static final Set<String> PATCH = Set.of("application/json-patch+json", "application/xml-patch+xml");
    private static final String FORM = "application/x-www-form-urlencoded";

    private final FhirContext fhirContext;
    private final FhirInputLimits limits;

    public FhirInputInterceptor(FhirContext fhirContext, FhirInputLimits limits) {
        this.fhirContext = fhirContext;
        this.limits = limits;
    }

    @Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
    public boolean checkBody(RequestDetails request) {
        RequestTypeEnum method = request.getRequestType();
        if (method != RequestTypeEnum.POST && method != RequestTypeEnum.PUT && method != RequestTypeEnum.PATCH) {
            return true;
        }
        byte[] body = request.loadRequestContents();
        if (body == null || body.length == 0) {
            return true;
        }
        String header = request.getHeader("Content-Type");
        String mediaType = mediaType(header);
        String charset = charset(header);
        boolean json = FHIR_JSON.contains(mediaType);
        boolean xml = FHIR_XML.contains(mediaType);
        boolean allowed = json
                || xml
                || (method == RequestTypeEnum.PATCH && PATCH.contains(mediaType))
                || (FORM.equals(mediaType) && "_search".equals(request.getOperation()));
        if (!allowed) {
            throw unsupported(
                    "Content-Type",
                    header == null
                            ? "no Content-Type: send FHIR as application/fhir+json or application/fhir+xml"
                            : "Content-Type '" + header + "' is not accepted here; application/fhir+json or"
                                    + " application/fhir+xml (charset UTF-8)");
        }
        if (charset != null && !charset.equals("utf-8") && !charset.equals("utf8")) {
            throw unsupported("Content-Type", "charset '" + charset + "' is not accepted; FHIR is exchanged in UTF-8");
        }
        if (!json && !xml) {
            return true;
        }
        try {
            limits.check(body);
        } catch (FhirInputLimits.LimitExceededException e) {
            throw withOutcome(new PayloadTooLargeException(e.getMessage()), IssueType.TOOLONG, e.problems());
        } catch (InvalidMessageException e) {
            throw withOutcome(new InvalidRequestException(e.getMessage()), IssueType.SECURITY, e.problems());
        }
        NamingErrorHandler errors = new NamingErrorHandler();
        IParser parser =
                (json ? fhirContext.newJsonParser() : fhirContext.newXmlParser()).setParserErrorHandler(errors);
        try {
            parser.parseResource(new String(body, StandardCharsets.UTF_8));
        } catch (DataFormatException e) {
            throw withOutcome(
                    new InvalidRequestException(e.getMessage()),
                    IssueType.STRUCTURE,
                    List.of(new InputProblem(errors.path(request.getResourceName()), e.getMessage())));
        }
        return true;
    }

    private static BaseServerResponseException unsupported(String location, String reason) {
        return withOutcome(
                new UnclassifiedServerFailureException(415, reason),
                IssueType.NOTSUPPORTED,
                List.of(new InputProblem(location, reason)));
    }

    private static BaseServerResponseException withOutcome(
            BaseServerResponseException exception, IssueType type, List<InputProblem> problems) {
        OperationOutcome outcome = new OperationOutcome();
        for (InputProblem problem : problems) {
            outcome.addIssue()
                    .setSeverity(IssueSeverity.ERROR)
                    .setCode(type)
                    .setDiagnostics(problem.reason())
                    .addExpression(problem.location());
        }
        exception.setOperationOutcome(outcome);
        return exception;
    }

    private static String mediaType(String header) {
        if (header == null) {
            return "";
        }
        int semicolon = header.indexOf(';');
        return (semicolon < 0 ? header : header.substring(0, semicolon)).trim().toLowerCase(Locale.ROOT);
    }

    private static String charset(String header) {
        if (header == null) {
            return null;
        }
        for (String parameter : header.split(";")) {
            String[] pair = parameter.trim().split("=", 2);
            if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
                return pair[1].trim().replace("\"", "").toLowerCase(Locale.ROOT);
            }
        }
        return null;
    }

    /** HAPI's strict handler, remembering where the first problem was (parent element and the element). */
    private static final class NamingErrorHandler extends StrictErrorHandler {

        private String location;

        /** Where the problem is: {@code Organization.nmae}, {@code name.fmaily}; {@code request} when unknown. */
        String path(String resourceType) {
            if (location == null) {
                return "request";
            }
            return location.contains(".") || resourceType == null ? location : resourceType + "." + location;
        }

        private void at(IParseLocation where, String element) {
            if (location == null) {
                String parent = where == null ? null : where.getParentElementName();
                location = parent == null ? element : element == null ? parent : parent + "." + element;
            }
        }

        @Override
        public void unknownElement(IParseLocation where, String element) {
            at(where, element);
            super.unknownElement(where, element);
        }

        @Override
        public void unknownAttribute(IParseLocation where, String attribute) {
            at(where, attribute);
            super.unknownAttribute(where, attribute);
        }

        @Override
        public void invalidValue(IParseLocation where, String value, String error) {
            at(where, null);
            super.invalidValue(where, value, error);
        }

        @Override
        public void unexpectedRepeatingElement(IParseLocation where, String element) {
            at(where, element);
            super.unexpectedRepeatingElement(where, element);
        }

        @Override
        public void missingRequiredElement(IParseLocation where, String element) {
            at(where, element);
            super.missingRequiredElement(where, element);
        }
    }
}
