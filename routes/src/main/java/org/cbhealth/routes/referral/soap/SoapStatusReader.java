package org.cbhealth.routes.referral.soap;

import java.net.URI;
import java.net.URISyntaxException;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
import java.time.YearMonth;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import javax.xml.namespace.QName;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.fhir.InvalidMessageException;
import org.cbhealth.routes.referral.StatusUpdate;
import org.cbhealth.routes.soap.ElementReader;
import org.cbhealth.routes.soap.HardenedXml;
import org.cbhealth.routes.soap.SoapEnvelopeReader;
import org.cbhealth.routes.soap.SoapVersion;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Reads the {@code UpdateReferralStatus} element of {@code referral-service.wsdl} (alone, or inside a SOAP envelope)
 * into a {@link StatusUpdate}. The referral is named by the hub's referral number ({@code referral}) or by the
 * referrer's own number ({@code placer}: the referrer's partner id and number, whose identifier system is {@code
 * CbhCanonical.partnerIdentifierSystem(partner, "referral")}). Checked: exactly one of the two; a status code of
 * {@code CbhCanonical.CS_TASK_BUSINESS_STATUS} a partner may report; a reason for declined and cancelled; an
 * appointment (FHIR dateTime, a time with its offset) for scheduled; an outcome document with a content type and
 * either valid base64 data or an absolute http(s) URL, which is never fetched here. XML is parsed hardened; every
 * problem is located by an XPath-like path such as {@code /UpdateReferralStatus/scheduledStart}.
 */
public class SoapStatusReader {

    /** The business statuses a partner may report (all but created). */
    public static final List<String> STATUSES =
            List.of("received", "accepted", "declined", "scheduled", "completed", "cancelled");

    private static final QName OPERATION =
            new QName(ReferralSoapContract.NAMESPACE, ReferralSoapContract.UPDATE_REFERRAL_STATUS);
    private static final Pattern PARTNER_ID = Pattern.compile("[a-z0-9][a-z0-9-]{0,62}");
    private static final Pattern WHITE_SPACE = Pattern.compile("\\s+");

    private final HardenedXml xml = new HardenedXml();
    private final SoapEnvelopeReader envelopes = new SoapEnvelopeReader(xml);

    /**
     * @throws InvalidMessageException listing every problem with its path
     */
    public StatusUpdate read(byte[] message) {
        Element payload = operationElement(xml.parse(message));
        List<InputProblem> problems = new ArrayList<>();
        ElementReader root = ElementReader.root(payload, ReferralSoapContract.NAMESPACE, problems);
        String at = root.path();

        String referral = root.text("referral");
        String placerPartner = null;
        String placerValue = null;
        Optional<ElementReader> placer = root.child("placer");
        if (placer.isPresent()) {
            placerPartner = placer.get().text("partner");
            placerValue = placer.get().text("value");
            if (required(problems, at + "/placer/partner", placerPartner)
                    && !PARTNER_ID.matcher(placerPartner).matches()) {
                problems.add(new InputProblem(
                        at + "/placer/partner",
                        "'" + placerPartner + "' is not a partner id (lower-case letters, digits, hyphens)"));
            }
            required(problems, at + "/placer/value", placerValue);
            placer.get().finish();
        }
        if (referral != null && placer.isPresent()) {
            problems.add(new InputProblem(at + "/placer", "give referral or placer, not both"));
        } else if (referral == null && placer.isEmpty()) {
            problems.add(new InputProblem(
                    at + "/referral", "required: the hub's referral number (or placer: the referrer's own number)"));
        } else if (referral != null) {
            required(problems, at + "/referral", referral);
        }

        String status = root.text("status");
        if (required(problems, at + "/status", status) && !STATUSES.contains(status)) {
            problems.add(
                    new InputProblem(at + "/status", "'" + status + "' is not one of " + String.join(", ", STATUSES)));
        }
        String reason = root.text("reason");
        if (("declined".equals(status) || "cancelled".equals(status)) && (reason == null || reason.isBlank())) {
            problems.add(new InputProblem(at + "/reason", "required when the status is " + status));
        }
        String scheduledStart = root.text("scheduledStart");
        if (scheduledStart != null) {
            dateTimeProblem(scheduledStart).ifPresent(p -> problems.add(new InputProblem(at + "/scheduledStart", p)));
        } else if ("scheduled".equals(status)) {
            problems.add(new InputProblem(at + "/scheduledStart", "required when the status is scheduled"));
        }
        String note = root.text("note");
        StatusUpdate.Outcome outcome =
                root.child("outcome").map(o -> outcome(o, problems)).orElse(null);
        root.finish();

        if (!problems.isEmpty()) {
            throw new InvalidMessageException("Status update refused", problems);
        }
        return new StatusUpdate(
                referral,
                placerPartner == null ? null : CbhCanonical.partnerIdentifierSystem(placerPartner, "referral"),
                placerValue,
                status,
                blankToNull(reason),
                scheduledStart,
                outcome,
                blankToNull(note));
    }

    private Element operationElement(Document document) {
        Element root = document.getDocumentElement();
        if ("Envelope".equals(root.getLocalName())
                && SoapVersion.ofNamespace(root.getNamespaceURI()).isPresent()) {
            return envelopes.unwrap(document, Set.of(OPERATION)).payload();
        }
        if (!OPERATION.equals(new QName(root.getNamespaceURI(), root.getLocalName()))) {
            throw new InvalidMessageException(
                    "Status update refused",
                    List.of(new InputProblem(
                            "/" + root.getNodeName(),
                            "expected " + OPERATION + ": this channel takes status updates of referrals")));
        }
        return root;
    }

    private static StatusUpdate.Outcome outcome(ElementReader e, List<InputProblem> problems) {
        String at = e.path();
        String title = e.text("title");
        String contentType = e.text("contentType");
        String data = e.text("data");
        String url = e.text("url");
        e.finish();
        required(problems, at + "/contentType", contentType);
        byte[] bytes = null;
        if (data != null && url != null) {
            problems.add(new InputProblem(at + "/url", "give data or url, not both"));
        } else if (data == null && url == null) {
            problems.add(new InputProblem(at + "/data", "required: the document inline (base64), or its url"));
        }
        if (data != null) {
            try {
                bytes = Base64.getDecoder().decode(WHITE_SPACE.matcher(data).replaceAll(""));
            } catch (IllegalArgumentException notBase64) {
                problems.add(new InputProblem(at + "/data", "not valid base64 (xs:base64Binary, RFC 4648)"));
            }
        }
        if (url != null && !httpUrl(url)) {
            problems.add(new InputProblem(at + "/url", "'" + url + "' is not an absolute http(s) URL"));
        }
        return new StatusUpdate.Outcome(blankToNull(title), contentType, bytes, url);
    }

    /** Empty when {@code value} is a FHIR dateTime: YYYY, YYYY-MM, YYYY-MM-DD, or a date-time with its offset. */
    static Optional<String> dateTimeProblem(String value) {
        try {
            switch (value.length()) {
                case 4 -> Year.parse(value);
                case 7 -> YearMonth.parse(value);
                case 10 -> LocalDate.parse(value);
                default -> OffsetDateTime.parse(value);
            }
            return Optional.empty();
        } catch (DateTimeException e) {
            return Optional.of("'" + value + "' is not a FHIR dateTime (YYYY-MM-DD, or YYYY-MM-DDThh:mm:ss with an"
                    + " offset such as +02:00 or Z)");
        }
    }

    private static boolean httpUrl(String value) {
        try {
            URI uri = new URI(value);
            return ("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) && uri.getHost() != null;
        } catch (URISyntaxException e) {
            return false;
        }
    }

    private static boolean required(List<InputProblem> problems, String path, String value) {
        if (value == null || value.isBlank()) {
            problems.add(new InputProblem(path, "required"));
            return false;
        }
        return true;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value;
    }
}
