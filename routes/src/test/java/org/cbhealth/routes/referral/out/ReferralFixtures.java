package org.cbhealth.routes.referral.out;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.hl7v2.model.v251.message.REF_I12;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.profiles.validation.CbhConformanceResources;
import org.cbhealth.routes.directory.SpecialtyMapper;
import org.cbhealth.routes.hl7.Hl7v2Reader;
import org.cbhealth.routes.referral.RefI12Translator;
import org.cbhealth.routes.referral.ReferralPackage;
import org.cbhealth.routes.translate.TranslationContext;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Condition;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DocumentReference;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Organization;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Practitioner;
import org.hl7.fhir.r4.model.PractitionerRole;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.hl7.fhir.r4.model.ServiceRequest;
import org.hl7.fhir.r4.model.Task;

/**
 * The BG→MK sample referral ({@code ref-i12-bg-to-mk.hl7}) as the hub stores it: translated by {@link
 * RefI12Translator}, every resource given a hub id (Task/4711), references pointing to those ids, and the two partner
 * Organizations as the hub publishes them. Status variants move the Task along as the hub would.
 */
final class ReferralFixtures {

    static final CbhConformanceResources CONFORMANCE = CbhConformanceResources.load(FhirContext.forR4Cached());

    private ReferralFixtures() {}

    static RefI12Translator translator() {
        return new RefI12Translator(
                CONFORMANCE::identifierSystemForOid,
                new SpecialtyMapper(CONFORMANCE.all()),
                (value, type, name) -> "4068491".equals(value)
                        ? Optional.of(new Reference("Organization/kb-stip"))
                        : Optional.empty());
    }

    static TranslationContext bulgarianContext() {
        return new TranslationContext(
                "bg-mbal-blagoevgrad",
                "referrals",
                new Reference("Organization/mbal-blagoevgrad"),
                CbhCanonical.CS_BG_NHIF_SPECIALTY,
                "bg",
                Map.of(),
                Map.of());
    }

    /** The referral as stored at version 1: created, owned by the Štip hospital. */
    static ReferralPackage created() {
        Bundle bundle = translator().translate(read("ref-i12-bg-to-mk.hl7"), bulgarianContext());
        Map<String, String> ids = new HashMap<>();
        Map<String, Integer> next = new HashMap<>(Map.of(
                "Patient", 201,
                "Practitioner", 202,
                "PractitionerRole", 203,
                "Condition", 204,
                "Observation", 205,
                "ServiceRequest", 206));
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            Resource resource = entry.getResource();
            String id = resource instanceof Task ? "4711" : String.valueOf(next.get(resource.fhirType()));
            ids.put(entry.getFullUrl(), resource.fhirType() + "/" + id);
            resource.setId(resource.fhirType() + "/" + id);
        }
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            for (Reference reference : FhirContext.forR4Cached()
                    .newTerser()
                    .getAllPopulatedChildElementsOfType(entry.getResource(), Reference.class)) {
                if (ids.containsKey(reference.getReference())) {
                    reference.setReference(ids.get(reference.getReference()));
                }
            }
        }
        Task task = resource(bundle, Task.class);
        task.setId("Task/4711/_history/1");
        task.getMeta().setVersionId("1").setLastUpdatedElement(new InstantType("2026-11-20T07:31:05.120+00:00"));
        task.getOwner().setDisplay("ЈЗУ Клиничка болница Штип");
        return new ReferralPackage(
                task,
                resource(bundle, ServiceRequest.class),
                resource(bundle, Patient.class),
                resources(bundle, Condition.class),
                resources(bundle, Observation.class),
                List.of(),
                blagoevgrad(),
                stip(),
                resource(bundle, Practitioner.class),
                resource(bundle, PractitionerRole.class),
                null);
    }

    /** The referral at a later Task version with a new business status (and the Task status the hub maps it to). */
    static ReferralPackage withStatus(ReferralPackage referral, String businessStatus, int version) {
        Task task = referral.task().copy();
        task.setId("Task/4711/_history/" + version);
        task.getMeta()
                .setVersionId(String.valueOf(version))
                .setLastUpdatedElement(new InstantType("2026-11-2" + (version - 1) + "T10:15:00.000+00:00"));
        task.setStatus(
                switch (businessStatus) {
                    case "received" -> Task.TaskStatus.RECEIVED;
                    case "accepted", "scheduled" -> Task.TaskStatus.ACCEPTED;
                    case "declined" -> Task.TaskStatus.REJECTED;
                    case "completed" -> Task.TaskStatus.COMPLETED;
                    case "cancelled" -> Task.TaskStatus.CANCELLED;
                    default -> Task.TaskStatus.REQUESTED;
                });
        task.setBusinessStatus(new CodeableConcept()
                .addCoding(new Coding(CbhCanonical.CS_TASK_BUSINESS_STATUS, businessStatus, null)));
        task.setLastModifiedElement(new DateTimeType("2026-11-2" + (version - 1) + "T11:15:00+01:00"));
        return new ReferralPackage(
                task,
                referral.request(),
                referral.patient(),
                referral.conditions(),
                referral.observations(),
                referral.attachments(),
                referral.requester(),
                referral.owner(),
                referral.practitioner(),
                referral.role(),
                referral.outcome());
    }

    static ReferralPackage scheduled() {
        ReferralPackage referral = withStatus(created(), "scheduled", 3);
        referral.task().getRestriction().getPeriod().setStartElement(new DateTimeType("2026-12-03T09:00:00+01:00"));
        referral.task().addNote().setText("Елате на гладно.");
        return referral;
    }

    static ReferralPackage declined() {
        ReferralPackage referral = withStatus(created(), "declined", 2);
        referral.task().getStatusReason().setText("Нема слободни термини до март 2027.");
        return referral;
    }

    /** Completed with the discharge letter the Štip hospital sent as a URL. */
    static ReferralPackage completed() {
        ReferralPackage referral = withStatus(created(), "completed", 5);
        DocumentReference outcome = new DocumentReference();
        outcome.setId("DocumentReference/310");
        outcome.addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/partner/mk-kb-stip/outcome")
                .setValue("MK-OUT-555");
        outcome.setStatus(Enumerations.DocumentReferenceStatus.CURRENT);
        outcome.getType().addCoding(new Coding("http://loinc.org", "11488-4", "Consult note"));
        outcome.setSubject(new Reference("Patient/201"));
        outcome.addAuthor(new Reference("Organization/kb-stip"));
        outcome.addContent()
                .getAttachment()
                .setContentType("application/pdf")
                .setUrl("https://docs.kb-stip.example/out/555.pdf")
                .setTitle("Отпусно писмо");
        referral.task()
                .addOutput()
                .setValue(new Reference("DocumentReference/310"))
                .getType()
                .setText("Discharge letter");
        return new ReferralPackage(
                referral.task(),
                referral.request(),
                referral.patient(),
                referral.conditions(),
                referral.observations(),
                referral.attachments(),
                referral.requester(),
                referral.owner(),
                referral.practitioner(),
                referral.role(),
                outcome);
    }

    static Organization blagoevgrad() {
        Organization organization = new Organization();
        organization.setId("Organization/mbal-blagoevgrad");
        organization
                .addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/registry/bg-eik")
                .setValue("101004535");
        organization.setActive(true);
        organization.setName("МБАЛ „Благоевград“ АД");
        organization.addAddress().setCountry("BG");
        return organization;
    }

    static Organization stip() {
        Organization organization = new Organization();
        organization.setId("Organization/kb-stip");
        organization
                .addIdentifier()
                .setSystem("https://fhir.cbhealth.eu/sid/registry/mk-embs")
                .setValue("4068491");
        organization.setActive(true);
        organization.setName("ЈЗУ Клиничка болница Штип");
        organization.addAddress().setCity("Штип").setCountry("MK");
        return organization;
    }

    static REF_I12 read(String sample) {
        try (InputStream in = ReferralFixtures.class.getResourceAsStream("/samples/referral/" + sample)) {
            return (REF_I12)
                    new Hl7v2Reader(Set.of("REF^I12")).read(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static <T extends Resource> T resource(Bundle bundle, Class<T> type) {
        return resources(bundle, type).get(0);
    }

    static <T extends Resource> List<T> resources(Bundle bundle, Class<T> type) {
        List<T> found = new ArrayList<>();
        for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
            if (type.isInstance(entry.getResource())) {
                found.add(type.cast(entry.getResource()));
            }
        }
        return found;
    }
}
