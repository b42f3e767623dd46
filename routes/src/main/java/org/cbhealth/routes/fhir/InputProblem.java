package org.cbhealth.routes.fhir;

/**
 * One thing wrong with an input, where it is: a JSON pointer ({@code /patient/birthDate}), a FHIRPath
 * ({@code Patient.birthDate}), an HL7 location ({@code PID-7}) or a CSV line and column.
 */
public record InputProblem(String location, String reason) {

    @Override
    public String toString() {
        return location + ": " + reason;
    }
}
