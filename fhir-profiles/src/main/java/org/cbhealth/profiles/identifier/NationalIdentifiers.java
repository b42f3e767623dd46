package org.cbhealth.profiles.identifier;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The national personal identifier validators of the partner countries, by identifier system. */
public final class NationalIdentifiers {

    private static final List<NationalIdentifierValidator> ALL = List.of(
            new BgEgnValidator(),
            new MkEmbgValidator(),
            new SiEmsoValidator(),
            new UaRnokppValidator(),
            new PlPeselValidator(),
            new EeIsikukoodValidator(),
            new LtAsmensKodasValidator(),
            new LvPersonasKodsValidator(),
            new AtSvnrValidator());

    private static final Map<String, NationalIdentifierValidator> BY_SYSTEM = ALL.stream()
            .collect(Collectors.toUnmodifiableMap(NationalIdentifierValidator::system, Function.identity()));

    private NationalIdentifiers() {}

    public static List<NationalIdentifierValidator> all() {
        return ALL;
    }

    public static Optional<NationalIdentifierValidator> forSystem(String system) {
        return Optional.ofNullable(system).map(BY_SYSTEM::get);
    }

    /** Checks a value of a known national identifier system; any other system is not ours to judge. */
    public static IdentifierCheck check(String system, String value) {
        return forSystem(system).map(v -> v.check(value)).orElse(IdentifierCheck.ok());
    }
}
