package org.cbhealth.routes.referral.out;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.referral.ReferralPackage;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.Meta;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * Referrals and status notices as FHIR R4 transaction Bundles in JSON, for partners reached over a JMS/AMQP queue or
 * by FHIR REST push: the destination posts the Bundle as it is to its own FHIR server (FHIR R4 §3.1.0.11,
 * transactions).
 *
 * <p>A referral is one conditional create per resource (Patient, Practitioner and PractitionerRole when present,
 * Conditions, Observations, attached DocumentReferences, ServiceRequest, Task) on its business identifier, so the same
 * referral delivered twice creates nothing new. Each entry has a {@code urn:uuid} full URL and references between
 * them point to those; the referring and the receiving Organization are logical references (identifier and name),
 * because the partner's server does not know the hub's ids. The ServiceRequest and the Task also carry the hub's
 * referral number ({@code CbhCanonical.SID_HUB_REFERRAL}), their conditional-create key.
 *
 * <p>A status notice is the Task as a conditional update on the hub's referral number ({@code PUT
 * Task?identifier=…}), complete (a PUT replaces the partner's copy): status, business status, status reason,
 * restriction period, notes and output. Its references to resources that are not in the Bundle become logical
 * references on their business identifiers; the outcome document of a completed referral, when there is one, is a
 * conditional create in the same Bundle and the Task's output points to it.
 *
 * <p>A resource without a business identifier (no identifier; for a DocumentReference no master identifier either)
 * is a plain create; a reference the writer cannot express without the hub's ids keeps only its identifier and
 * display. A Task without logical id (or, for a status notice, without business status) is an {@link
 * IllegalArgumentException}.
 */
public class FhirReferralWriter implements ReferralWriter {

    public static final String CONTENT_TYPE = "application/fhir+json; charset=UTF-8";

    /** Task.output.type added when the Task of a completed referral does not point to its outcome document itself. */
    static final String OUTCOME_OUTPUT_TEXT = "Referral outcome";

    private final FhirContext fhirContext;
    private final FhirTerser terser;

    /** @param fhirContext the hub's shared R4 context */
    public FhirReferralWriter(FhirContext fhirContext) {
        this.fhirContext = fhirContext;
        this.terser = fhirContext.newTerser();
    }

    @Override
    public OutboundMessage referral(ReferralPackage referral) {
        String number = OutboundHeaders.referralNumber(referral);
        List<Resource> entries = new ArrayList<>();
        entries.add(referral.patient());
        if (referral.practitioner() != null) {
            entries.add(referral.practitioner());
        }
        if (referral.role() != null) {
            entries.add(referral.role());
        }
        entries.addAll(referral.conditions());
        entries.addAll(referral.observations());
        entries.addAll(referral.attachments());
        entries.add(referral.request());
        entries.add(referral.task());

        Links links = new Links(referral, number);
        entries.forEach(links::inBundle);
        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        for (Resource resource : entries) {
            Resource copy = prepare(resource, links, number);
            addCreate(bundle, links.fullUrl(resource), copy);
        }
        return new OutboundMessage(encode(bundle), CONTENT_TYPE, OutboundHeaders.referral(referral));
    }

    @Override
    public OutboundMessage status(ReferralPackage referral) {
        String number = OutboundHeaders.referralNumber(referral);
        Links links = new Links(referral, number);
        DocumentReference outcome = referral.outcome();
        if (outcome != null) {
            links.inBundle(outcome);
        }
        links.inBundle(referral.task());

        Bundle bundle = new Bundle().setType(Bundle.BundleType.TRANSACTION);
        if (outcome != null) {
            addCreate(bundle, links.fullUrl(outcome), prepare(outcome, links, number));
        }
        Task task = (Task) prepare(referral.task(), links, number);
        if (outcome != null && !pointsTo(task, links.fullUrl(outcome))) {
            task.addOutput()
                    .setValue(new Reference(links.fullUrl(outcome)))
                    .getType()
                    .setText(OUTCOME_OUTPUT_TEXT);
        }
        bundle.addEntry()
                .setFullUrl(links.fullUrl(referral.task()))
                .setResource(task)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.PUT)
                .setUrl("Task?" + identifierQuery(hubReferral(number)));
        return new OutboundMessage(encode(bundle), CONTENT_TYPE, OutboundHeaders.status(referral));
    }

    /** A copy without the hub's id, version and bookkeeping meta, its references rewritten for the Bundle. */
    private Resource prepare(Resource resource, Links links, String number) {
        Resource copy = resource.copy();
        copy.setId((String) null);
        Meta meta = new Meta();
        resource.getMeta().getProfile().forEach(p -> meta.addProfile(p.getValue()));
        resource.getMeta().getSecurity().forEach(s -> meta.addSecurity(s.copy()));
        copy.setMeta(meta.isEmpty() ? null : meta);
        if (copy instanceof Task task && !hasIdentifier(task.getIdentifier(), number)) {
            task.addIdentifier(hubReferral(number));
        }
        if (copy instanceof ServiceRequest request && !hasIdentifier(request.getIdentifier(), number)) {
            request.addIdentifier(hubReferral(number));
        }
        for (Reference reference : terser.getAllPopulatedChildElementsOfType(copy, Reference.class)) {
            links.rewrite(reference);
        }
        return copy;
    }

    private static void addCreate(Bundle bundle, String fullUrl, Resource resource) {
        Bundle.BundleEntryRequestComponent request = bundle.addEntry()
                .setFullUrl(fullUrl)
                .setResource(resource)
                .getRequest()
                .setMethod(Bundle.HTTPVerb.POST)
                .setUrl(resource.fhirType());
        businessIdentifier(resource).ifPresent(id -> request.setIfNoneExist(identifierQuery(id)));
    }

    /**
     * The identifier a resource is matched on at the partner: the hub's referral number for the Task and the
     * ServiceRequest, the master identifier of a DocumentReference, else the first identifier.
     */
    private static Optional<Identifier> businessIdentifier(Resource resource) {
        if (resource instanceof Task || resource instanceof ServiceRequest) {
            return identifiers(resource).stream()
                    .filter(i -> CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()))
                    .findFirst();
        }
        if (resource instanceof DocumentReference document
                && document.getMasterIdentifier().hasSystem()
                && document.getMasterIdentifier().hasValue()) {
            return Optional.of(document.getMasterIdentifier());
        }
        return identifiers(resource).stream()
                .filter(i -> i.hasSystem() && i.hasValue())
                .findFirst();
    }

    private static List<Identifier> identifiers(Resource resource) {
        var property = resource.getNamedProperty("identifier");
        if (property == null) {
            return List.of();
        }
        return property.getValues().stream()
                .filter(Identifier.class::isInstance)
                .map(Identifier.class::cast)
                .toList();
    }

    private static boolean hasIdentifier(List<Identifier> identifiers, String number) {
        return identifiers.stream()
                .anyMatch(i -> CbhCanonical.SID_HUB_REFERRAL.equals(i.getSystem()) && number.equals(i.getValue()));
    }

    private static Identifier hubReferral(String number) {
        return new Identifier().setSystem(CbhCanonical.SID_HUB_REFERRAL).setValue(number);
    }

    private static String identifierQuery(Identifier identifier) {
        return "identifier="
                + URLEncoder.encode(identifier.getSystem() + "|" + identifier.getValue(), StandardCharsets.UTF_8);
    }

    private static boolean pointsTo(Task task, String fullUrl) {
        return task.getOutput().stream()
                .anyMatch(o -> o.getValue() instanceof Reference r && fullUrl.equals(r.getReference()));
    }

    private String encode(Bundle bundle) {
        return fhirContext.newJsonParser().encodeResourceToString(bundle);
    }

    /**
     * Where each resource of the package is reachable from the Bundle: by its {@code urn:uuid} when it is an entry,
     * else by a logical reference on its business identifier (the two Organizations also with their name).
     */
    private static final class Links {

        private final String number;
        private final Map<Resource, String> entries = new IdentityHashMap<>();
        private final Map<String, String> fullUrls = new HashMap<>();
        private final Map<String, Reference> logical = new HashMap<>();

        Links(ReferralPackage referral, String number) {
            this.number = number;
            organization(referral.requester());
            organization(referral.owner());
            logical(referral.request(), Optional.of(hubReferral(number)));
            logical(referral.task(), Optional.of(hubReferral(number)));
            List<Resource> others = new ArrayList<>();
            others.add(referral.patient());
            others.add(referral.practitioner());
            others.add(referral.role());
            others.addAll(referral.conditions());
            others.addAll(referral.observations());
            others.addAll(referral.attachments());
            others.add(referral.outcome());
            for (Resource resource : others) {
                if (resource != null) {
                    logical(resource, businessIdentifier(resource));
                }
            }
        }

        private void logical(Resource resource, Optional<Identifier> identifier) {
            if (resource.getIdElement().hasIdPart() && identifier.isPresent()) {
                logical.put(
                        key(resource),
                        new Reference().setType(resource.fhirType()).setIdentifier(plain(identifier.get())));
            }
        }

        private void organization(Organization organization) {
            if (organization == null || !organization.getIdElement().hasIdPart()) {
                return;
            }
            Reference reference = new Reference().setType("Organization");
            organization.getIdentifier().stream()
                    .filter(i -> i.hasSystem() && i.hasValue())
                    .findFirst()
                    .ifPresent(i -> reference.setIdentifier(plain(i)));
            if (organization.hasName()) {
                reference.setDisplay(organization.getName());
            }
            logical.put(key(organization), reference);
        }

        /** Makes the resource an entry: its full URL is derived from the referral number and its hub id. */
        void inBundle(Resource resource) {
            String name =
                    resource.getIdElement().hasIdPart() ? key(resource) : resource.fhirType() + "#" + entries.size();
            String fullUrl = "urn:uuid:"
                    + UUID.nameUUIDFromBytes(
                            ("cbhealth-referral|" + number + "|" + name).getBytes(StandardCharsets.UTF_8));
            entries.put(resource, fullUrl);
            if (resource.getIdElement().hasIdPart()) {
                fullUrls.put(key(resource), fullUrl);
            }
        }

        String fullUrl(Resource resource) {
            return entries.get(resource);
        }

        void rewrite(Reference reference) {
            if (!reference.hasReference()) {
                return;
            }
            String target = reference.getReference();
            if (target.startsWith("#") || target.startsWith("urn:")) {
                return;
            }
            IdType id = new IdType(target);
            String key = id.getResourceType() + "/" + id.getIdPart();
            String fullUrl = fullUrls.get(key);
            if (fullUrl != null) {
                reference.setReference(fullUrl);
                return;
            }
            reference.setReference(null);
            Reference known = logical.get(key);
            if (known != null) {
                reference.setType(known.getType());
                reference.setIdentifier(known.getIdentifier().copy());
                if (known.hasDisplay()) {
                    reference.setDisplay(known.getDisplay());
                }
            }
        }

        private static String key(Resource resource) {
            return resource.fhirType() + "/" + resource.getIdElement().getIdPart();
        }

        private static Identifier plain(Identifier identifier) {
            return new Identifier().setSystem(identifier.getSystem()).setValue(identifier.getValue());
        }
    }
}
