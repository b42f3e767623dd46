package org.cbhealth.hub.directory;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.jpa.api.dao.IFhirResourceDao;
import ca.uhn.fhir.jpa.api.model.DaoMethodOutcome;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import org.cbhealth.hub.directory.DirectoryRecords.Held;
import org.cbhealth.hub.directory.DirectoryRecords.Key;
import org.cbhealth.profiles.CbhCanonical;
import org.cbhealth.routes.directory.DirectoryScope;
import org.cbhealth.routes.fhir.InputProblem;
import org.cbhealth.routes.translate.Translation;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.Endpoint;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Identifier;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Location;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Provenance;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Upserts one batch of a partner's directory records into the FHIR store.
 *
 * <ul>
 *   <li>Each record is stored under the hub id {@code <partner>-<own id>} ({@link DirectoryIds}); the own id is
 *       the record's id at the partner (FHIR sources) or its business identifier (CSV, JSON, SOAP). References
 *       between a partner's records are rewritten to those hub ids.
 *   <li>A record whose content is the same as last stored is not written ({@code cbh_directory_record} keeps a
 *       hash of it), so importing the same export again creates no version; a changed record gets one new version.
 *   <li>A full export deactivates the records of its channel it no longer lists ({@code active=false}, a Location
 *       {@code inactive}, an Endpoint {@code off}); records the partner withdrew are deactivated too. Nothing is
 *       deleted. When rows of a full export were refused, nothing is deactivated: a refused row may be a record
 *       that still exists.
 *   <li>Every stored record carries its source partner and channel in {@code meta.source}; each batch that
 *       changed something has one Provenance naming the partner and every version it wrote.
 *   <li>Each batch has a report ({@link ImportReports}) with its counts, refused parts and unmapped codes, and
 *       progress while it runs.
 * </ul>
 *
 * Records are written in chunks, each one database transaction together with its rows of
 * {@code cbh_directory_record}; a chunk that fails is written again record by record, so one bad record is
 * refused with its reason and the others are kept. Imports of the same partner run one at a time.
 *
 * <p>Chunks are small (20 records by default) on purpose: within one transaction every look-up HAPI makes while
 * storing a record (its own id, its references) first makes Hibernate flush, and each flush dirty-checks every
 * entity the transaction holds so far, so the cost per record grows with the chunk. In a profile of a 10,000-row CSV
 * import, flushing took 55 % of the importing thread at 200 records per chunk, mostly that checking; at 20 it took
 * 27 %, mostly the inserts themselves, and profile validation became the larger part.
 */
@Component
public class DirectoryImporter {

    private static final Logger LOG = LoggerFactory.getLogger(DirectoryImporter.class);

    /** Written first, so that references to them resolve when the others are stored. */
    private static final List<String> TYPE_ORDER = List.of(
            "Organization",
            "Location",
            "Endpoint",
            "Practitioner",
            "HealthcareService",
            "PractitionerRole",
            "OrganizationAffiliation");

    /** What one import did. */
    public record Result(
            long batchId,
            ImportReports.Counts counts,
            List<String> writtenIds,
            List<InputProblem> rejected,
            List<String> unmappedCodes,
            String note) {

        /** One line for answers and logs; counts only, no content. */
        public String summary() {
            return "import " + batchId + ": " + counts.created() + " created, " + counts.updated() + " updated, "
                    + counts.unchanged() + " unchanged, " + counts.deactivated() + " deactivated, "
                    + counts.rejected() + " rejected, " + counts.unmapped() + " unmapped code(s)"
                    + (note == null ? "" : "; " + note);
        }
    }

    /** Where a batch comes from. */
    public record Batch(
            String partnerId,
            String channel,
            Reference partnerOrganization,
            String source,
            DirectoryScope scope,
            byte[] raw,
            Map<String, String> attributes) {}

    private final DaoRegistry daos;
    private final FhirContext fhirContext;
    private final DirectoryRecords records;
    private final ImportReports reports;
    private final TransactionTemplate transactions;
    private final int chunkSize;
    private final Map<String, ReentrantLock> partnerLocks = new ConcurrentHashMap<>();

    public DirectoryImporter(
            DaoRegistry daos,
            FhirContext fhirContext,
            DirectoryRecords records,
            ImportReports reports,
            PlatformTransactionManager transactionManager,
            @Value("${cbhealth.directory.chunk-size:20}") int chunkSize) {
        this.daos = daos;
        this.fhirContext = fhirContext;
        this.records = records;
        this.reports = reports;
        this.transactions = new TransactionTemplate(transactionManager);
        this.chunkSize = chunkSize;
    }

    public Result importBatch(Batch batch, Translation translation) {
        ReentrantLock lock = partnerLocks.computeIfAbsent(batch.partnerId(), id -> new ReentrantLock());
        lock.lock();
        try {
            return run(batch, translation);
        } finally {
            lock.unlock();
        }
    }

    private Result run(Batch batch, Translation translation) {
        long batchId = reports.start(
                batch.partnerId(),
                batch.channel(),
                batch.scope(),
                batch.attributes().get("fileName"),
                translation.resources().size() + translation.withdrawn().size(),
                batch.raw(),
                batch.attributes());
        try {
            Run run = new Run(batch, batchId, translation);
            run.execute();
            return run.result();
        } catch (RuntimeException e) {
            reports.finish(
                    batchId,
                    "failed",
                    new ImportReports.Counts(0, 0, 0, 0, 0, 0),
                    translation.rejected(),
                    translation.unmappedCodes(),
                    null,
                    "the hub failed: " + e.getClass().getSimpleName());
            throw e;
        }
    }

    /** One batch being imported. */
    private final class Run {
        private final Batch batch;
        private final long batchId;
        private final Translation translation;
        private final Map<Key, Held> held;
        private final List<InputProblem> rejected;
        private final List<String> written = new ArrayList<>();
        private int created;
        private int updated;
        private int unchanged;
        private int deactivated;
        private int processed;
        private String note;
        private String provenanceId;

        Run(Batch batch, long batchId, Translation translation) {
            this.batch = batch;
            this.batchId = batchId;
            this.translation = translation;
            this.held = records.of(batch.partnerId());
            this.rejected = new ArrayList<>(translation.rejected());
        }

        void execute() {
            Map<Key, Resource> incoming = keyed();
            Map<Key, String> hubIds = new HashMap<>();
            incoming.keySet().forEach(k -> hubIds.put(k, hubId(k)));
            List<Pending> changed = new ArrayList<>();
            for (Map.Entry<Key, Resource> entry : incoming.entrySet()) {
                Key key = entry.getKey();
                Resource resource = entry.getValue();
                resource.setId(new IdType(key.resourceType(), hubIds.get(key)));
                rewriteReferences(resource, hubIds);
                resource.setMeta(null);
                String hash = DirectoryIds.sha256(parser().encodeResourceToString(resource));
                Held before = held.get(key);
                if (before != null && hash.equals(before.contentHash())) {
                    unchanged++;
                    processed++;
                } else {
                    resource.getMeta().setSource(batch.source());
                    changed.add(new Pending(key, resource, hash));
                }
            }
            reports.progress(batchId, processed);
            changed.sort(Comparator.comparingInt(p -> rank(p.key().resourceType())));
            for (int from = 0; from < changed.size(); from += chunkSize) {
                List<Pending> chunk = changed.subList(from, Math.min(changed.size(), from + chunkSize));
                write(chunk);
                processed += chunk.size();
                reports.progress(batchId, processed);
            }
            deactivate(incoming.keySet());
            provenance();
            reports.finish(batchId, "done", counts(), rejected, translation.unmappedCodes(), provenanceId, note);
            LOG.info(
                    "Directory import {} of partner {} channel {}: {}",
                    batchId,
                    batch.partnerId(),
                    batch.channel(),
                    result().summary());
        }

        Result result() {
            return new Result(batchId, counts(), written, rejected, translation.unmappedCodes(), note);
        }

        private ImportReports.Counts counts() {
            return new ImportReports.Counts(
                    created,
                    updated,
                    unchanged,
                    deactivated,
                    rejected.size(),
                    translation.unmappedCodes().size());
        }

        /** The batch's records by type and own id; a second record with the same key is refused. */
        private Map<Key, Resource> keyed() {
            Map<Key, Resource> keyed = new LinkedHashMap<>();
            for (Resource resource : translation.resources()) {
                String localId = localId(resource);
                if (localId == null) {
                    rejected.add(new InputProblem(
                            resource.fhirType(),
                            "the record has neither an id nor an identifier with system and value"));
                    processed++;
                    continue;
                }
                Key key = new Key(resource.fhirType(), localId);
                if (keyed.putIfAbsent(key, resource) != null) {
                    rejected.add(new InputProblem(
                            key.toString(), "the batch lists this record twice; the first one was imported"));
                    processed++;
                }
            }
            return keyed;
        }

        private String localId(Resource resource) {
            if (resource.hasIdElement() && resource.getIdElement().hasIdPart()) {
                return resource.getIdElement().getIdPart();
            }
            String partnerSystems = CbhCanonical.partnerIdentifierSystem(batch.partnerId(), "");
            Identifier first = null;
            if (resource.getNamedProperty("identifier") != null) {
                for (var value : resource.getNamedProperty("identifier").getValues()) {
                    if (value instanceof Identifier id && id.hasSystem() && id.hasValue()) {
                        if (id.getSystem().startsWith(partnerSystems)) {
                            return id.getValue();
                        }
                        first = first == null ? id : first;
                    }
                }
            }
            return first == null ? null : first.getValue();
        }

        private String hubId(Key key) {
            Held before = held.get(key);
            return before != null ? before.hubId() : DirectoryIds.hubId(batch.partnerId(), key.localId());
        }

        /** {@code Type/<own id>} references to the partner's records (this batch's or earlier ones) → hub ids. */
        private void rewriteReferences(Resource resource, Map<Key, String> hubIds) {
            FhirTerser terser = fhirContext.newTerser();
            for (Reference reference : terser.getAllPopulatedChildElementsOfType(resource, Reference.class)) {
                if (!reference.hasReference() || reference.getReference().startsWith("#")) {
                    continue;
                }
                IdType target = new IdType(reference.getReference());
                if (target.hasBaseUrl() || !target.hasResourceType() || target.hasVersionIdPart()) {
                    continue;
                }
                Key key = new Key(target.getResourceType(), target.getIdPart());
                String hubId = hubIds.get(key);
                if (hubId == null && held.containsKey(key)) {
                    hubId = held.get(key).hubId();
                }
                if (hubId != null) {
                    reference.setReference(key.resourceType() + "/" + hubId);
                }
            }
        }

        private void write(List<Pending> chunk) {
            try {
                List<Written> done = transactions.execute(status -> {
                    List<Written> all = new ArrayList<>();
                    for (Pending pending : chunk) {
                        all.add(store(pending));
                    }
                    return all;
                });
                done.forEach(this::count);
            } catch (RuntimeException chunkFailed) {
                for (Pending pending : chunk) {
                    try {
                        count(transactions.execute(status -> store(pending)));
                    } catch (BaseServerResponseException refused) {
                        rejected.add(new InputProblem(location(pending), refusal(refused)));
                    } catch (RuntimeException e) {
                        rejected.add(new InputProblem(
                                location(pending),
                                "the hub could not store it: " + e.getClass().getSimpleName()));
                        LOG.warn(
                                "Directory import {}: {} not stored: {}",
                                batchId,
                                pending.key(),
                                e.getClass().getName());
                    }
                }
            }
        }

        private Written store(Pending pending) {
            @SuppressWarnings("unchecked")
            IFhirResourceDao<IBaseResource> dao = (IFhirResourceDao<IBaseResource>)
                    daos.getResourceDao(pending.resource().fhirType());
            Resource copy = pending.resource().copy();
            DaoMethodOutcome outcome = dao.update(copy, new SystemRequestDetails());
            long version = outcome.getId().getVersionIdPartAsLong();
            records.put(
                    batch.partnerId(),
                    pending.key(),
                    new Held(
                            outcome.getId().getIdPart(),
                            batch.channel(),
                            pending.hash(),
                            isActive(pending.resource()),
                            version),
                    batchId);
            return new Written(
                    outcome.getId().toUnqualified().getValue(),
                    Boolean.TRUE.equals(outcome.getCreated()),
                    outcome.isNop());
        }

        private void count(Written done) {
            if (done.nop()) {
                unchanged++;
            } else if (done.created()) {
                created++;
                written.add(done.versionedId());
            } else {
                updated++;
                written.add(done.versionedId());
            }
        }

        /** Records withdrawn by the partner, and, for a full export, those of its channel it no longer lists. */
        private void deactivate(Set<Key> listed) {
            Set<Key> gone = new HashSet<>();
            for (String withdrawn : translation.withdrawn()) {
                IdType id = new IdType(withdrawn);
                gone.add(new Key(id.getResourceType(), id.getIdPart()));
            }
            if (batch.scope() == DirectoryScope.FULL) {
                if (rejected.isEmpty()) {
                    held.forEach((key, record) -> {
                        if (record.active()
                                && record.channel().equals(batch.channel())
                                && TYPE_ORDER.contains(key.resourceType())
                                && !listed.contains(key)) {
                            gone.add(key);
                        }
                    });
                } else {
                    note = "nothing deactivated: " + rejected.size()
                            + " part(s) were refused and may be records that still exist; fix them and send the"
                            + " full export again";
                }
            }
            for (Key key : gone) {
                Held record = held.get(key);
                if (record == null || !record.active()) {
                    continue;
                }
                try {
                    Written done = transactions.execute(status -> deactivate(key, record));
                    if (!done.nop()) {
                        deactivated++;
                        written.add(done.versionedId());
                    }
                } catch (RuntimeException e) {
                    rejected.add(new InputProblem(key.toString(), "could not be deactivated: " + e.getMessage()));
                }
            }
        }

        private Written deactivate(Key key, Held record) {
            @SuppressWarnings("unchecked")
            IFhirResourceDao<IBaseResource> dao =
                    (IFhirResourceDao<IBaseResource>) daos.getResourceDao(key.resourceType());
            SystemRequestDetails request = new SystemRequestDetails();
            Resource current = (Resource) dao.read(new IdType(key.resourceType(), record.hubId()), request);
            setInactive(current);
            current.getMeta().setSource(batch.source());
            DaoMethodOutcome outcome = dao.update(current, request);
            records.put(
                    batch.partnerId(),
                    key,
                    new Held(
                            record.hubId(),
                            record.channel(),
                            null,
                            false,
                            outcome.getId().getVersionIdPartAsLong()),
                    batchId);
            return new Written(outcome.getId().toUnqualified().getValue(), false, outcome.isNop());
        }

        /** One Provenance for the batch: the partner as author, every version the batch wrote as target. */
        private void provenance() {
            if (written.isEmpty()) {
                return;
            }
            Provenance provenance = new Provenance();
            written.forEach(id -> provenance.addTarget(new Reference(id)));
            provenance.setRecordedElement(InstantType.now());
            provenance
                    .getActivity()
                    .addCoding()
                    .setSystem("http://terminology.hl7.org/CodeSystem/v3-DataOperation")
                    .setCode("UPDATE")
                    .setDisplay("revise");
            Provenance.ProvenanceAgentComponent agent = provenance.addAgent();
            agent.getType()
                    .addCoding()
                    .setSystem("http://terminology.hl7.org/CodeSystem/provenance-participant-type")
                    .setCode("author");
            agent.setWho(batch.partnerOrganization().copy());
            provenance
                    .addEntity()
                    .setRole(Provenance.ProvenanceEntityRole.SOURCE)
                    .setWhat(new Reference()
                            .setIdentifier(new Identifier()
                                    .setSystem(CbhCanonical.BASE + "/sid/directory-import")
                                    .setValue(String.valueOf(batchId)))
                            .setDisplay("directory import " + batchId + " from " + batch.source()));
            provenance.getMeta().setSource(batch.source());
            try {
                provenanceId = transactions.execute(status -> daos.getResourceDao(Provenance.class)
                        .create(provenance, new SystemRequestDetails())
                        .getId()
                        .toUnqualifiedVersionless()
                        .getValue());
            } catch (RuntimeException e) {
                LOG.warn(
                        "Directory import {}: Provenance not stored: {}",
                        batchId,
                        e.getClass().getName());
                note = (note == null ? "" : note + "; ") + "Provenance not stored";
            }
        }

        private String location(Pending pending) {
            return pending.key().toString();
        }
    }

    private IParser parser() {
        return fhirContext.newJsonParser();
    }

    private static int rank(String type) {
        int rank = TYPE_ORDER.indexOf(type);
        return rank < 0 ? TYPE_ORDER.size() : rank;
    }

    static boolean isActive(Resource resource) {
        if (resource instanceof Location location) {
            return location.getStatus() != Location.LocationStatus.INACTIVE
                    && location.getStatus() != Location.LocationStatus.SUSPENDED;
        }
        if (resource instanceof Endpoint endpoint) {
            return endpoint.getStatus() == null || endpoint.getStatus() == Endpoint.EndpointStatus.ACTIVE;
        }
        var active = resource.getNamedProperty("active");
        if (active != null && active.hasValues() && active.getValues().get(0) instanceof BooleanType flag) {
            return flag.booleanValue();
        }
        return true;
    }

    static void setInactive(Resource resource) {
        if (resource instanceof Location location) {
            location.setStatus(Location.LocationStatus.INACTIVE);
        } else if (resource instanceof Endpoint endpoint) {
            endpoint.setStatus(Endpoint.EndpointStatus.OFF);
        } else {
            resource.setProperty("active", new BooleanType(false));
        }
    }

    private static String refusal(BaseServerResponseException e) {
        if (e.getOperationOutcome() instanceof OperationOutcome outcome && outcome.hasIssue()) {
            StringBuilder text = new StringBuilder();
            for (OperationOutcome.OperationOutcomeIssueComponent issue : outcome.getIssue()) {
                if (issue.getSeverity() != OperationOutcome.IssueSeverity.ERROR
                        && issue.getSeverity() != OperationOutcome.IssueSeverity.FATAL) {
                    continue;
                }
                if (!text.isEmpty()) {
                    text.append("; ");
                }
                if (issue.hasExpression()) {
                    text.append(issue.getExpression().get(0).getValue()).append(": ");
                }
                text.append(issue.getDiagnostics());
            }
            if (!text.isEmpty()) {
                return text.toString();
            }
        }
        return e.getMessage();
    }

    private record Pending(Key key, Resource resource, String hash) {}

    private record Written(String versionedId, boolean created, boolean nop) {}
}
